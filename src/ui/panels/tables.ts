/**
 * View 6, stick tables (issue 13 point 2): the tables (`show table`: name, type, size, used, a fill
 * gauge), and with Enter a table's entries: key, expiry and every stored counter as a column,
 * highest rate first. `/` filters the entries by key here; `f` pushes a data filter to HAProxy
 * (`show table <t> data.<type> <op> <value>`), so a huge table is filtered where it lives. At most
 * MAX_TABLE_ENTRIES entries are read per poll (tablesQueries.ts); the status line says so.
 */

import { dataFilterArgs } from "../../actions/tableCommands.js";
import type { StickTable, TableDump } from "../../parse/table.js";
import { readExtra } from "../../store/extras.js";
import { compact, plural } from "../../text/format.js";
import { sanitize } from "../../text/sanitize.js";
import type { Column, SortState } from "../table/types.js";
import { uniqueKey } from "../views/cells.js";
import type { Filter } from "../views/filter.js";
import { findColumn, sortRows } from "../views/sort.js";
import {
  entriesDefaultSort,
  entryColumns,
  TABLE_LIST_SORT,
  type TableEntryRow,
  type TableListRow,
  type TablesRow,
  tableListColumns,
} from "./tablesColumns.js";
import {
  entriesQuery,
  MAX_TABLE_ENTRIES,
  needsDataFilter,
  parseDrill,
  TABLE_LIST_QUERY,
  tableList,
  tableQueries,
} from "./tablesQueries.js";
import type { Panel, PanelBuilt, PanelContext } from "./types.js";

/** The operator's sort when it names one of these columns, else the default. */
function sorted(
  rows: TablesRow[],
  columns: Column<TablesRow>[],
  sort: SortState | null,
  fallback: SortState,
) {
  const chosen = sort && findColumn(columns, sort.columnId) ? sort : fallback;
  return sortRows(rows, findColumn(columns, chosen.columnId), chosen.descending);
}

function buildList(ctx: PanelContext, filter: Filter, sort: SortState | null): PanelBuilt<TablesRow> {
  const result = readExtra<StickTable[]>(ctx.state.extras, TABLE_LIST_QUERY);
  const tables = tableList(ctx.state);
  const rows: TableListRow[] = (tables ?? [])
    .filter((t) => filter.match(sanitize(t.name)))
    .map((t) => ({ kind: "table", key: t.name, table: t }));
  return {
    columns: tableListColumns,
    rows: sorted(rows, tableListColumns, sort, TABLE_LIST_SORT),
    defaultSort: TABLE_LIST_SORT,
    emptyText:
      result?.error ?? (tables === null ? "fetching show table…" : "no stick table in this configuration"),
    tabExtra: tables ? plural(tables.length, "table") : "",
    note: result?.error ?? null,
    noteTone: result?.error ? "warn" : null,
  };
}

function buildEntries(ctx: PanelContext, filter: Filter, sort: SortState | null): PanelBuilt<TablesRow> {
  const d = parseDrill(ctx.drill);
  if (!d) {
    return {
      columns: entryColumns([]),
      rows: [],
      defaultSort: null,
      emptyText: "this table cannot be opened",
    };
  }
  const info = tableList(ctx.state)?.find((t) => t.name === d.table) ?? null;
  if (needsDataFilter(d, info?.used ?? null)) {
    const why = `${d.table} holds ${info?.used.toLocaleString("en")} entries, more than haptop reads per poll (${MAX_TABLE_ENTRIES.toLocaleString("en")}): press f for a data filter HAProxy applies (e.g. http_req_rate gt 10)`;
    return {
      columns: entryColumns([]),
      rows: [],
      defaultSort: null,
      emptyText: why,
      tabExtra: `${d.table}: ${compact(info?.used ?? null)}/${compact(info?.size ?? null)}`,
      note: why,
      noteTone: "warn",
    };
  }
  const result = readExtra<TableDump>(ctx.state.extras, entriesQuery(d));
  const dump = result?.value ?? null;
  const types = dump?.types ?? [];
  const columns = entryColumns(types);
  const seen = new Set<string>();
  const rows: TableEntryRow[] = [];
  for (const entry of dump?.entries ?? []) {
    if (!filter.match(sanitize(entry.key))) continue;
    rows.push({ kind: "entry", key: uniqueKey(seen, entry.ptr), entry });
  }
  const defaultSort = entriesDefaultSort(types);
  const notes: string[] = [];
  if (d.filter) notes.push(`HAProxy filter: ${dataFilterArgs(d.filter)} (f to change)`);
  if (dump && dump.total > dump.entries.length)
    notes.push(
      `showing the first ${MAX_TABLE_ENTRIES.toLocaleString("en")} of ${dump.total.toLocaleString("en")} entries: narrow with a data filter (f)`,
    );
  if (dump?.restricted)
    notes.push("entries not shown: the socket's level is user (HAProxy dumps them at operator)");
  if (result?.error) notes.push(result.error);
  const shown = dump ? `${dump.entries.length}${dump.total > dump.entries.length ? "+" : ""}` : "…";
  return {
    columns,
    rows: sorted(rows, columns, sort, defaultSort),
    defaultSort,
    emptyText:
      result?.error ??
      (dump === null
        ? `fetching ${d.table}…`
        : dump.restricted
          ? "entries need operator level"
          : d.filter
            ? `no entry matches ${dataFilterArgs(d.filter)}`
            : "no entry in this table"),
    tabExtra: `${d.table}: ${shown}${info ? `/${compact(info.size)}` : ""}`,
    note: notes.length ? notes.join(" · ") : null,
    noteTone: result?.error || dump?.restricted || (dump && dump.total > dump.entries.length) ? "warn" : null,
  };
}

export const tablesPanel: Panel<TablesRow> = {
  view: "tables",
  queries: (ctx) => tableQueries(ctx.state, ctx.drill),
  build: (ctx, filter, sort) =>
    ctx.drill === null ? buildList(ctx, filter, sort) : buildEntries(ctx, filter, sort),
  selection: (row, ctx) => {
    if (!row) return { kind: null };
    if (row.kind === "table") return { kind: "table", table: row.table.name };
    const d = parseDrill(ctx.drill);
    return d ? { kind: "table-entry", table: d.table, key: row.entry.key } : { kind: null };
  },
  detail: (row) => {
    if (!row) return [];
    if (row.kind === "table") {
      const t = row.table;
      return [`${t.name}  type ${t.type}  ${t.used} of ${t.size} entries  (Enter: its entries)`];
    }
    const e = row.entry;
    const data = Object.entries(e.data).map(([k, v]) => `${k}=${v}`);
    return [`key ${e.key}  ${e.ptr}  use=${e.use ?? "-"}  ${data.join(" ")}`];
  },
  drillInto: (row) => (row.kind === "table" ? row.table.name : null),
};
