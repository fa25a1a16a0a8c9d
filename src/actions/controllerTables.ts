import { request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import { parseTableDump, parseTableList, type TableEntry } from "../parse/table.js";
import { builtPlan, type Planner } from "./controllerServer.js";
import type { ActionOutcome, ActionPlan, Planned, Selection } from "./plan.js";
import type { ActionOptions, ActionResult } from "./runtime.js";
import {
  buildTableCommand,
  parseGpValue,
  SHOW_TABLES,
  type TableChange,
  TableInputError,
  tableKeyArg,
} from "./tableCommands.js";

/** What the stick-table plans need of the controller. */
export interface TablePlanContext {
  target: Target;
  timeoutMs: number;
  actionOpts: () => ActionOptions;
  record: (work: () => Promise<ActionResult>) => Promise<ActionOutcome>;
}

type TableEntrySelection = Extract<Selection, { kind: "table-entry" }>;

/** The gpt/gpc counters of an entry, in HAProxy's order: what `set table` may change. */
export function settableCounters(entry: TableEntry): string[] {
  return Object.keys(entry.data).filter((k) => /^gp[ct]\d+$/.test(k));
}

/**
 * Reads what `set` prompts accept: `<value>` (the entry's first gpc, else its first gpt) or
 * `<counter> <value>`. Throws TableInputError with the reason.
 */
export function parseSetInput(
  text: string,
  counters: readonly string[],
): { dataType: string; value: number } {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 1) {
    const dataType = counters.find((c) => c.startsWith("gpc")) ?? counters[0];
    if (!dataType) throw new TableInputError("this table stores no gpt/gpc counter");
    return { dataType, value: parseGpValue(parts[0]!) };
  }
  if (parts.length === 2) {
    const dataType = parts[0]!.replace(/^data\./, "");
    if (!counters.includes(dataType))
      throw new TableInputError(
        `${JSON.stringify(dataType.slice(0, 20))} is not a counter of this entry (${counters.join(", ") || "none"})`,
      );
    return { dataType, value: parseGpValue(parts[1]!) };
  }
  throw new TableInputError("type a value, or a counter and a value (e.g. gpc0 1)");
}

/** The plans of the stick tables view: clear an entry, set one of its gpt/gpc counters. */
export function tablePlanners(
  ctx: TablePlanContext,
): Record<"table-clear-entry" | "table-set-entry", Planner> {
  const { target, timeoutMs } = ctx;

  const needsEntry = (sel: Selection): TableEntrySelection => {
    if (sel.kind !== "table-entry")
      throw new TableInputError("select an entry of a stick table first (Enter on a table)");
    return sel;
  };

  /** The table's key type, read now (the key is checked against it before anything is built). */
  const keyType = async (table: string): Promise<string> => {
    const [list = ""] = await request(target, [SHOW_TABLES], { timeoutMs });
    const t = parseTableList(list).find((x) => x.name === table);
    if (!t) throw new TableInputError(`table ${JSON.stringify(table.slice(0, 40))} is gone (reloaded?)`);
    return t.type;
  };

  const plan = (title: string, change: TableChange, notes: string[], tone: ActionPlan["tone"]): ActionPlan =>
    builtPlan(ctx, title, buildTableCommand(change), tone, notes);

  const guarded =
    (work: (sel: TableEntrySelection) => Promise<Planned>): Planner =>
    async (sel) => {
      try {
        return await work(needsEntry(sel));
      } catch (e) {
        if (e instanceof TableInputError) return { error: e.message };
        throw e;
      }
    };

  return {
    "table-clear-entry": guarded(async (sel) => {
      const type = await keyType(sel.table);
      return plan(
        `Clear an entry of ${sel.table}`,
        { kind: "clear-entry", table: sel.table, keyType: type, key: sel.key },
        [
          "removes the entry: its counters (rates, gpc, gpt) start from zero at its next request",
          "HAProxy keeps an entry a live session is tracking: the result is read back",
        ],
        "warn",
      );
    }),
    "table-set-entry": guarded(async (sel) => {
      const type = await keyType(sel.table);
      // Checked before it goes into the read below (refused with the reason otherwise).
      const key = tableKeyArg(type, sel.key);
      const [reply = ""] = await request(target, [`show table ${sel.table} key ${key}`], { timeoutMs });
      const entry = parseTableDump(reply, "show table … key").entries[0];
      if (!entry) return { error: "this entry is no longer in the table (expired or cleared)" };
      const counters = settableCounters(entry);
      if (counters.length === 0) return { error: `${sel.table} stores no gpt/gpc counter to set` };
      return {
        title: `Set a counter of an entry of ${sel.table}`,
        label: `value (sets ${counters.find((c) => c.startsWith("gpc")) ?? counters[0]}), or <counter> <value>`,
        current: counters.map((c) => `${c}=${entry.data[c]}`).join(" "),
        submit: async (text) => {
          try {
            const { dataType, value } = parseSetInput(text, counters);
            return plan(
              `Set ${dataType} of an entry of ${sel.table}`,
              { kind: "set-entry", table: sel.table, keyType: type, key: sel.key, dataType, value },
              [`${dataType}: ${entry.data[dataType]} → ${value}`],
              "accent",
            );
          } catch (e) {
            return { error: e instanceof Error ? e.message : String(e) };
          }
        },
      };
    }),
  };
}
