/**
 * The columns of the stick tables view: the table list (name, type, size, used, a fill gauge), and
 * a table's entries (key, expiry, then one column per stored data type, in HAProxy's order).
 */
import type { StickTable, TableDataType, TableEntry } from "../../parse/table.js";
import { compact, duration } from "../../text/format.js";
import { fillRatio, gaugeCell } from "../components/gauge.js";
import type { Column, SortState } from "../table/types.js";

/** A row of the list: one table. */
export interface TableListRow {
  kind: "table";
  key: string;
  table: StickTable;
}

/** A row of a table's entries. */
export interface TableEntryRow {
  kind: "entry";
  key: string;
  entry: TableEntry;
}

export type TablesRow = TableListRow | TableEntryRow;

const listOnly =
  <T>(f: (t: StickTable) => T, none: T) =>
  (row: TablesRow): T =>
    row.kind === "table" ? f(row.table) : none;

const FILL_WIDTH = 22;

export const tableListColumns: Column<TablesRow>[] = [
  {
    id: "name",
    title: "TABLE",
    width: 14,
    grow: true,
    priority: 0,
    cell: (row) => ({ text: row.kind === "table" ? row.table.name : "" }),
    sortValue: listOnly((t) => t.name, null),
  },
  {
    id: "type",
    title: "TYPE",
    width: 7,
    priority: 1,
    cell: (row) => ({ text: listOnly((t) => t.type, "")(row) }),
    sortValue: listOnly((t) => t.type, null),
  },
  {
    id: "size",
    title: "SIZE",
    width: 7,
    align: "right",
    priority: 2,
    cell: (row) => ({ text: compact(listOnly((t) => t.size, null)(row)) }),
    sortValue: listOnly((t) => t.size, null),
    descendingFirst: true,
  },
  {
    id: "used",
    title: "USED",
    width: 7,
    align: "right",
    priority: 0,
    cell: (row) => ({ text: compact(listOnly((t) => t.used, null)(row)) }),
    sortValue: listOnly((t) => t.used, null),
    descendingFirst: true,
  },
  {
    id: "fill",
    title: "FILL",
    width: FILL_WIDTH,
    priority: 1,
    // A full table evicts the oldest entries (or refuses new ones with `nopurge`): red at 100 %.
    cell: (row) =>
      row.kind === "table" ? gaugeCell(row.table.used, row.table.size, FILL_WIDTH) : { text: "" },
    sortValue: listOnly((t) => fillRatio(t.used, t.size), null),
    descendingFirst: true,
  },
];

/** The list's default order: the fullest table first. */
export const TABLE_LIST_SORT: SortState = { columnId: "fill", descending: true };

/** A data type's column title: `HTTP_REQ_RATE/10s`, `GPC0`. */
export function dataTitle(t: TableDataType): string {
  const name = t.name.toUpperCase();
  if (t.periodMs === null) return name;
  const p = t.periodMs;
  const period =
    p % 3_600_000 === 0
      ? `${p / 3_600_000}h`
      : p % 60_000 === 0
        ? `${p / 60_000}m`
        : p % 1000 === 0
          ? `${p / 1000}s`
          : `${p}ms`;
  return `${name}/${period}`;
}

const entryOnly =
  <T>(f: (e: TableEntry) => T, none: T) =>
  (row: TablesRow): T =>
    row.kind === "entry" ? f(row.entry) : none;

/** The column of one stored data type: numbers right-aligned and biggest first. */
function dataColumn(t: TableDataType, index: number): Column<TablesRow> {
  const value = entryOnly((e) => e.data[t.name] ?? null, null);
  const isRate = t.periodMs !== null;
  return {
    id: `data:${t.name}`,
    title: dataTitle(t),
    // +1: room for the sort arrow beside the title.
    width: Math.max(6, dataTitle(t).length + 1),
    align: "right",
    // Rates stay longest on a narrow terminal, then the first counters.
    priority: isRate ? 1 : Math.min(4, 2 + Math.floor(index / 4)),
    cell: (row) => {
      const v = value(row);
      if (v === null) return { text: "-", tone: "dim" };
      return typeof v === "number"
        ? { text: compact(v), tone: isRate && v > 0 ? "accent" : "none" }
        : { text: v };
    },
    sortValue: value,
    descendingFirst: true,
  };
}

/** The entries' columns: key, expiry, then every stored data type present in the dump. */
export function entryColumns(types: readonly TableDataType[]): Column<TablesRow>[] {
  return [
    {
      id: "key",
      title: "KEY",
      width: 15,
      grow: true,
      priority: 0,
      cell: (row) => ({ text: row.kind === "entry" ? row.entry.key : "" }),
      sortValue: entryOnly((e) => e.key, null),
    },
    {
      id: "exp",
      title: "EXPIRES",
      width: 7,
      align: "right",
      priority: 1,
      cell: (row) => {
        const ms = entryOnly((e) => e.expMs, null)(row);
        return { text: ms === null ? "-" : duration(ms / 1000) };
      },
      sortValue: entryOnly((e) => e.expMs, null),
    },
    ...types.map(dataColumn),
  ];
}

/** The entries' default order: the first rate, highest first (else by key). */
export function entriesDefaultSort(types: readonly TableDataType[]): SortState {
  const rate = types.find((t) => t.periodMs !== null && t.name.endsWith("_rate"));
  return rate ? { columnId: `data:${rate.name}`, descending: true } : { columnId: "key", descending: false };
}
