import type { Panel, PanelContext } from "./panels/types.js";
import type { Column, KeyedRow } from "./table/types.js";
import type { BackendRow } from "./views/backends.js";
import type { ErrorRow } from "./views/errors.js";
import type { FrontendRow } from "./views/frontends.js";
import type { PanelViewId, ViewId } from "./views/index.js";
import type { SessionGroupRow } from "./views/sessionGroups.js";
import type { SessionRow } from "./views/sessions.js";
import type { TimelineRow } from "./views/timeline.js";

export type { KeyedRow } from "./table/types.js";

/** One view's rows with the columns that draw and sort them, under one row type. */
export interface TableOf<V extends ViewId, R extends KeyedRow> {
  view: V;
  columns: Column<R>[];
  rows: R[];
  /** The columns that can be sorted on, hidden ones (the trouble column) included. */
  sortColumns: Column<R>[];
}

/** The current view's table: which view it is tells the type of its rows (no cast needed). */
export type ViewTable =
  | TableOf<"frontends", FrontendRow>
  | TableOf<"backends", BackendRow>
  | (TableOf<"sessions", SessionRow> & { grouping?: undefined })
  /** The sessions view grouped (top talkers, `o`): one row per source or per backend/server. */
  | (TableOf<"sessions", SessionGroupRow> & { grouping: "source" | "server" })
  | TableOf<"errors", ErrorRow>
  | TableOf<"timeline", TimelineRow>
  | PanelTable;

/**
 * A panel view's table (src/ui/panels/): its rows' type is the panel's own, erased here; `panelTable`
 * is the one place that pairs them, from one panel's `build`, so rows and columns still match.
 */
export interface PanelTable extends TableOf<PanelViewId, KeyedRow> {
  panel: Panel<KeyedRow>;
  ctx: PanelContext;
}

export function panelTable<R extends KeyedRow>(
  view: PanelViewId,
  panel: Panel<R>,
  ctx: PanelContext,
  t: { columns: Column<R>[]; sortColumns: Column<R>[]; rows: R[] },
): PanelTable {
  // Sound: columns, sortColumns, rows and the panel's callbacks all come from the same Panel<R>.
  const erase = <T>(x: T) => x as unknown as never;
  return {
    view,
    panel: erase(panel),
    ctx,
    columns: erase(t.columns),
    sortColumns: erase(t.sortColumns),
    rows: t.rows,
  };
}

/**
 * Hands the table to code that works on any row type (the Table component, the sort picker): rows
 * and columns stay paired, and `use` cannot mix them with another view's.
 */
export function withTable<T>(t: ViewTable, use: <R extends KeyedRow>(t: TableOf<ViewId, R>) => T): T {
  switch (t.view) {
    case "frontends":
      return use(t);
    case "backends":
      return use(t);
    case "sessions":
      return t.grouping ? use(t) : use(t);
    case "errors":
      return use(t);
    case "timeline":
      return use(t);
    case "tables":
    case "maps":
    case "certs":
    case "process":
      return use(t);
  }
}
