import type { Column } from "./table/types.js";
import type { BackendRow } from "./views/backends.js";
import type { ErrorRow } from "./views/errors.js";
import type { FrontendRow } from "./views/frontends.js";
import type { ViewId } from "./views/index.js";
import type { SessionRow } from "./views/sessions.js";
import type { TimelineRow } from "./views/timeline.js";

/** Every row of every view has a stable key (the cursor follows it, never an index). */
export interface KeyedRow {
  key: string;
}

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
  | TableOf<"sessions", SessionRow>
  | TableOf<"errors", ErrorRow>
  | TableOf<"timeline", TimelineRow>;

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
      return use(t);
    case "errors":
      return use(t);
    case "timeline":
      return use(t);
  }
}
