/**
 * What the stick tables view fetches while it is open, and how the opened table (and its data
 * filter) is kept in the panel's drill key.
 *
 * - `show table` (the list) every poll: one line per table, cheap.
 * - With a table opened: `show table <t> [data.<type> <op> <value>]` every poll, at most
 *   MAX_TABLE_ENTRIES entries parsed (the rest only counted).
 * - A table holding more than MAX_TABLE_ENTRIES entries is not dumped whole: HAProxy has no limit
 *   on `show table`, and a 1M-entry dump is 80 MB and 2.5–6 s of HAProxy's time (measured on
 *   2.6.12, 2 entries stored), past the socket's reply and time limits. The operator is asked for a
 *   data filter (`f`), which HAProxy applies while it walks the table.
 */

import {
  checkTableName,
  type DataFilter,
  dataFilterArgs,
  parseDataFilter,
  SHOW_TABLES,
  showTableCommand,
} from "../../actions/tableCommands.js";
import { parseTableDump, parseTableList, type StickTable, type TableDump } from "../../parse/table.js";
import { type ExtraQuery, readExtra } from "../../store/extras.js";
import type { MonitorState } from "../../store/state.js";

/** The most entries parsed and shown per poll. */
export const MAX_TABLE_ENTRIES = 10_000;

/** The table list, every poll. */
export const TABLE_LIST_QUERY: ExtraQuery<StickTable[]> = {
  key: "tables:list",
  commands: [SHOW_TABLES],
  parse: ([reply]) => parseTableList(reply ?? ""),
};

/** The opened table and the data filter pushed to HAProxy, as kept in the drill key. */
export interface TableDrill {
  table: string;
  filter: DataFilter | null;
}

/**
 * The drill key of a table (and its filter): `<table>` or `<table> data.<type> <op> <value>`. A
 * table name never holds a blank (checkTableName), so the first blank ends it.
 */
export function drillKey(d: TableDrill): string {
  return d.filter ? `${d.table} ${dataFilterArgs(d.filter)}` : d.table;
}

/** The drill key read back; null when it is not one (a name that cannot be sent). */
export function parseDrill(key: string | null): TableDrill | null {
  if (key === null) return null;
  const blank = key.indexOf(" ");
  const table = blank < 0 ? key : key.slice(0, blank);
  try {
    checkTableName(table);
    return { table, filter: blank < 0 ? null : parseDataFilter(key.slice(blank + 1)) };
  } catch {
    return null;
  }
}

/** The entries of one table (under its filter), at most MAX_TABLE_ENTRIES parsed. */
export function entriesQuery(d: TableDrill): ExtraQuery<TableDump> {
  const command = showTableCommand(d.table, d.filter);
  return {
    key: `tables:entries:${drillKey(d)}`,
    commands: [command],
    parse: ([reply]) => parseTableDump(reply ?? "", command, MAX_TABLE_ENTRIES),
  };
}

/** True when the opened table is too big to dump without a data filter (see above). */
export function needsDataFilter(d: TableDrill, used: number | null): boolean {
  return d.filter === null && used !== null && used > MAX_TABLE_ENTRIES;
}

/** The last table list, or null before the first answer. */
export function tableList(state: MonitorState): StickTable[] | null {
  return readExtra<StickTable[]>(state.extras, TABLE_LIST_QUERY)?.value ?? null;
}

/** What the view fetches now: the list, and the opened table's entries. */
export function tableQueries(state: MonitorState, drill: string | null): ExtraQuery[] {
  const d = parseDrill(drill);
  if (!d) return [TABLE_LIST_QUERY];
  const used = tableList(state)?.find((t) => t.name === d.table)?.used ?? null;
  return needsDataFilter(d, used) ? [TABLE_LIST_QUERY] : [TABLE_LIST_QUERY, entriesQuery(d)];
}
