/**
 * The data filter of the stick tables view (`f`): a prompt for `<counter> <op> <value>` whose
 * answer becomes part of the drill key (tablesQueries.ts), so the next poll asks HAProxy for
 * `show table <t> data.<counter> <op> <value>` only. Nothing is sent from here: the filter is
 * parsed into checked parts (parseDataFilter) and the command is rebuilt from them.
 */
import { dataFilterArgs, parseDataFilter } from "../../actions/tableCommands.js";
import type { TableDump } from "../../parse/table.js";
import { readExtra } from "../../store/extras.js";
import type { MonitorState } from "../../store/state.js";
import type { Selection, ValuePrompt } from "../plan.js";
import { drillKey, entriesQuery, parseDrill } from "./tablesQueries.js";

/**
 * The prompt for the opened table (or the table under the cursor in the list), or why there is
 * none. `apply` gets the new drill key (the table alone when the input is empty: no filter).
 */
export function tableFilterPrompt(
  state: MonitorState,
  drill: string | null,
  selection: Selection,
  apply: (drillKey: string) => void,
): ValuePrompt | { error: string } {
  const opened = parseDrill(drill);
  const table = opened?.table ?? (selection.kind === "table" ? selection.table : null);
  if (table === null) return { error: "select a stick table first" };
  const at = opened ?? { table, filter: null };
  if (!parseDrill(table)) return { error: "this table's name cannot be sent to HAProxy" };
  // The types the table stores, once its entries were read (else HAProxy judges the counter).
  const types = readExtra<TableDump>(state.extras, entriesQuery(at))?.value?.types.map((t) => t.name) ?? [];
  const example = types.find((t) => t.endsWith("_rate")) ?? types[0] ?? "http_req_rate";
  return {
    title: `Data filter on ${table} (applied by HAProxy)`,
    label: `<counter> <op> <value>, e.g. ${example} gt 10 (op: eq ne le ge lt gt); empty: no filter`,
    current: at.filter ? dataFilterArgs(at.filter) : "none",
    submit: async (text) => {
      try {
        const filter = text.trim() === "" ? null : parseDataFilter(text, types);
        apply(drillKey({ table, filter }));
        // The caller closed the prompt: this answer is not shown (nothing to confirm).
        return { error: "" };
      } catch (e) {
        return { error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
