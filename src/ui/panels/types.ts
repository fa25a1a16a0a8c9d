import type { ExtraQuery } from "../../store/extras.js";
import type { MonitorState } from "../../store/state.js";
import type { Selection } from "../plan.js";
import type { Column, DetailLayout, KeyedRow, SortState, Tone } from "../table/types.js";
import type { Filter } from "../views/filter.js";
import type { PanelViewId } from "../views/index.js";

/** What a panel reads: the poll's state (its extras included) and where the operator is in it. */
export interface PanelContext {
  state: MonitorState;
  /**
   * The row the operator opened with Enter (a stick table, a map), or null at the panel's top
   * level. Esc / ← / Backspace go back up.
   */
  drill: string | null;
}

/** A panel's table and what goes around it, for the current poll and drill. */
export interface PanelBuilt<R extends KeyedRow> {
  columns: Column<R>[];
  /** The sortable columns (hidden ones included); `columns` when absent. */
  sortColumns?: Column<R>[];
  /** The rows, filtered and sorted by the panel (`sort` is the operator's, else `defaultSort`). */
  rows: R[];
  defaultSort: SortState | null;
  emptyText: string;
  tabExtra?: string;
  /** A standing note for the status line (why something is missing, a degraded release). */
  note?: string | null;
  noteTone?: Tone | null;
}

/**
 * One view of the Runtime API beyond the stats page (stick tables, maps, certificates, process):
 * what it fetches while open, and how its rows are built and selected. Pure: no I/O (the poller
 * runs `queries`), the same context giving the same rows.
 */
export interface Panel<R extends KeyedRow> {
  view: PanelViewId;
  /** The extra queries to run with each poll while the view is open (src/store/extras.ts). */
  queries: (ctx: PanelContext) => ExtraQuery[];
  /** The rows for the context, filtered by `filter` and sorted by `sort` (else its default). */
  build: (ctx: PanelContext, filter: Filter, sort: SortState | null) => PanelBuilt<R>;
  /** What the cursor's row is, for actions (by name, never an index). */
  selection: (row: R | undefined, ctx: PanelContext) => Selection;
  /** Lines under the table for the selected row. */
  detail?: (row: R | undefined, layout: DetailLayout, ctx: PanelContext) => string[];
  /** The drill key Enter opens on this row (a table's name), or null when the row has nothing under it. */
  drillInto?: (row: R, ctx: PanelContext) => string | null;
}
