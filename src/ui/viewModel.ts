import type { ExtraQuery } from "../store/extras.js";
import type { MonitorState } from "../store/state.js";
import { plural } from "../text/format.js";
import { panelOf } from "./panels/index.js";
import type { PanelContext } from "./panels/types.js";
import type { Selection } from "./plan.js";
import { detailOf, selectionOf } from "./selection.js";
import type { Column, SortState, Tone } from "./table/types.js";
import {
  BACKEND_COLUMN_SET_TITLES,
  type BackendColumnSetId,
  backendColumnSets,
  backendTroubleColumn,
  buildBackendRows,
  expandAll,
  nextBackendColumnSet,
} from "./views/backends.js";
import { buildErrorRows, errorColumns } from "./views/errors.js";
import { compileFilter } from "./views/filter.js";
import { buildFrontendRows, frontendColumns, frontendTroubleColumn } from "./views/frontends.js";
import { isPanelView, type PanelViewId, type ViewId } from "./views/index.js";
import {
  buildSessionGroupRows,
  GROUP_DEFAULT_SORT,
  groupColumns,
  groupTabExtra,
  type SessionGrouping,
} from "./views/sessionGroups.js";
import { buildSessionRows, SESSION_DEFAULT_SORT, sessionColumns } from "./views/sessions.js";
import { findColumn } from "./views/sort.js";
import { type SortChoice, sortChoices } from "./views/sortPicker.js";
import { buildTimelineRows, timelineColumns } from "./views/timeline.js";
import { TROUBLE_ID, TROUBLE_SORT } from "./views/trouble.js";
import { panelTable, type ViewTable, withTable } from "./viewTable.js";

type PerView<T> = Record<ViewId, T>;

/** What the operator chose: per-view cursor, scroll, sort and filter; tree and column set. */
export interface UiState {
  view: ViewId;
  cursor: PerView<string | null>;
  scroll: PerView<number>;
  sort: PerView<SortState | null>;
  filter: PerView<string>;
  /** Backends the operator folded (`be/<name>`): every backend starts unfolded, like htop's tree. */
  collapsed: Set<string>;
  columnSet: BackendColumnSetId;
  showCapture: boolean;
  /** Per panel view: the row opened with Enter (a stick table, a map), null at the top level. */
  drill: PerView<string | null>;
  /**
   * While drilled in: the list's own filter and sort, put back on the way out (a table's entries
   * and the list of tables are different rows: a filter typed on one must not hide the other's).
   */
  outer: PerView<OuterList | null>;
  /** The sessions view's grouping (top talkers): none, by source address, by backend/server. */
  sessionGrouping: SessionGrouping;
}

/** A panel's list as it was when a row was opened (UiState.outer). */
export interface OuterList {
  filter: string;
  sort: SortState | null;
  /** The list's row the cursor was on. */
  cursor: string | null;
}

const perView = <T>(v: T): PerView<T> => ({
  frontends: v,
  backends: v,
  sessions: v,
  errors: v,
  timeline: v,
  tables: v,
  maps: v,
  certs: v,
  process: v,
});

export function initialUiState(): UiState {
  return {
    view: "frontends",
    cursor: perView<string | null>(null),
    scroll: perView(0),
    sort: perView<SortState | null>(null),
    filter: perView(""),
    collapsed: new Set(),
    columnSet: "status",
    showCapture: true,
    drill: perView<string | null>(null),
    outer: perView<OuterList | null>(null),
    sessionGrouping: "none",
  };
}

/**
 * Everything the body needs for the current view, computed from the poll and the UI state: the
 * view's table (rows and columns typed by `view`, see viewTable.ts) and what goes around it.
 */
export type ViewModel = ViewTable & ViewModelCommon;

export interface ViewModelCommon {
  keys: string[];
  selection: Selection;
  sort: SortState | null;
  defaultSort: SortState | null;
  tableHeight: number;
  emptyText: string;
  /** Lines under the table (the selected error's capture). */
  detail: string[];
  filterLabel: string;
  sortLabel: string;
  tabExtra: string;
  /** A standing note for the status line (e.g. why sessions are not shown). */
  note: string | null;
  noteTone: Tone | null;
  /** The columns `s` offers to sort on (the column picker), the default first. */
  sortChoices: SortChoice[];
  nextColumnSet: () => BackendColumnSetId;
}

const rowKey = (r: { key: string }) => r.key;

/** Remembers the last rows built, so a key press or a clock tick does not rebuild 10k rows. */
export interface ViewModelCache {
  inputs?: unknown[];
  built?: { table: Built; keys: string[]; filter: ReturnType<typeof compileFilter> };
}

const sameInputs = (a: unknown[] | undefined, b: unknown[]) =>
  !!a && a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The current view's rows, columns and selection. Pure: the App calls it while rendering and again
 * in the key handler with the newest UI state (keys typed faster than a frame must see each other).
 */
export function viewModel(
  state: MonitorState,
  ui: UiState,
  width: number,
  bodyHeight: number,
  cache: ViewModelCache = {},
): ViewModel {
  const view = ui.view;
  const inputs = [
    state,
    view,
    ui.sort[view],
    ui.filter[view],
    ui.collapsed,
    ui.columnSet,
    ui.drill[view],
    ui.sessionGrouping,
  ];
  if (!sameInputs(cache.inputs, inputs) || !cache.built) {
    const filter = compileFilter(ui.filter[view]);
    const b = build(state, ui, filter);
    cache.inputs = inputs;
    cache.built = { table: b, keys: b.rows.map(rowKey), filter };
  }
  const { keys, filter, table: built } = cache.built;
  const cursor =
    ui.cursor[view] !== null && keys.includes(ui.cursor[view]!) ? ui.cursor[view] : (keys[0] ?? null);
  const index = cursor === null ? -1 : keys.indexOf(cursor);
  const selection = selectionOf(built, index, state);
  const detail = detailOf(built, index, { width, bodyHeight, showCapture: ui.showCapture });
  const sort = ui.sort[view] ?? built.defaultSort;
  const sortColumn = withTable(built, (t) => {
    const c = sort ? findColumn(t.sortColumns, sort.columnId) : undefined;
    return c ? { id: c.id, title: c.title } : undefined;
  });
  return {
    ...built,
    keys,
    selection,
    sort,
    tableHeight: Math.max(2, bodyHeight - detail.length),
    detail,
    filterLabel: filter.error ? `${ui.filter[view]} (${filter.error})` : filter.label,
    sortLabel: sortColumn
      ? sortColumn.id === TROUBLE_ID
        ? `trouble first${sort?.descending ? "" : " (reversed)"}`
        : `${sortColumn.title}${sort?.descending ? "▼" : "▲"}`
      : "",
    sortChoices: withTable(built, (t) => sortChoices(t.sortColumns, built.defaultSort)),
    nextColumnSet: () => nextBackendColumnSet(ui.columnSet),
  };
}

/** The view's table and what depends only on the poll and the view's settings (cached). */
type Built = ViewTable &
  Pick<ViewModelCommon, "defaultSort" | "emptyText" | "tabExtra" | "note" | "noteTone">;

function build(state: MonitorState, ui: UiState, filter: ReturnType<typeof compileFilter>): Built {
  const view = ui.view;
  const base = { defaultSort: null, tabExtra: "", note: null, noteTone: null } as const;
  const sortOf = <R>(columns: Column<R>[], fallback: SortState | null = null) => {
    const s = ui.sort[view] ?? fallback;
    return s ? { column: findColumn(columns, s.columnId), descending: s.descending } : undefined;
  };
  // Trouble on top by default: DOWN first, then 5xx/s, errors/s, queue, the fullest gauge.
  const frontendSortColumns = [frontendTroubleColumn, ...frontendColumns];
  const waiting = state.snapshot ? "" : "waiting for HAProxy…";
  switch (view) {
    case "frontends":
      return {
        ...base,
        view,
        columns: frontendColumns,
        sortColumns: frontendSortColumns,
        defaultSort: TROUBLE_SORT,
        rows: buildFrontendRows(state, filter, sortOf(frontendSortColumns, TROUBLE_SORT)),
        emptyText: waiting || "no frontend matches",
      };
    case "backends": {
      const columns = backendColumnSets[ui.columnSet];
      const sortColumns = [backendTroubleColumn, ...columns];
      const expanded = expandAll(state.snapshot);
      for (const key of ui.collapsed) expanded.delete(key);
      const rows = buildBackendRows(state, { expanded, filter, sort: sortOf(sortColumns, TROUBLE_SORT) });
      return {
        ...base,
        view,
        columns,
        sortColumns,
        defaultSort: TROUBLE_SORT,
        rows,
        emptyText: waiting || "no backend matches",
        tabExtra:
          `columns: ${BACKEND_COLUMN_SET_TITLES[ui.columnSet]}` +
          (state.partialPoll
            ? `  large config: servers on screen polled, all every ${Math.round((state.fullEvery * state.intervalMs) / 1000)} s`
            : ""),
      };
    }
    case "sessions":
      if (ui.sessionGrouping !== "none") {
        const grouping = ui.sessionGrouping;
        const columns = groupColumns(grouping);
        const rows = buildSessionGroupRows(state, grouping, filter, sortOf(columns, GROUP_DEFAULT_SORT));
        return {
          ...base,
          view,
          grouping,
          columns,
          sortColumns: columns,
          rows,
          defaultSort: GROUP_DEFAULT_SORT,
          emptyText:
            state.sessionsError ?? (state.sessions === null ? "fetching show sess…" : "no live session"),
          note: state.sessionsError,
          noteTone: state.sessionsError ? "warn" : null,
          tabExtra: state.sessions ? groupTabExtra(rows, grouping) : "",
        };
      }
      return {
        ...base,
        view,
        columns: sessionColumns,
        sortColumns: sessionColumns,
        rows: buildSessionRows(state, filter, sortOf(sessionColumns, SESSION_DEFAULT_SORT)),
        defaultSort: SESSION_DEFAULT_SORT,
        emptyText:
          state.sessionsError ?? (state.sessions === null ? "fetching show sess…" : "no live session"),
        note: state.sessionsError,
        noteTone: state.sessionsError ? "warn" : null,
        tabExtra: state.sessions ? plural(state.sessions.filter((s) => !s.isCli).length, "session") : "",
      };
    case "errors":
      return {
        ...base,
        view,
        columns: errorColumns,
        sortColumns: errorColumns,
        rows: buildErrorRows(state, filter, sortOf(errorColumns)),
        emptyText:
          state.errorsError ?? (state.errors === null ? "fetching show errors…" : "no error captured"),
        note: state.errorsError,
        noteTone: state.errorsError ? "warn" : null,
        tabExtra: state.errors ? `${state.errors.total} captured` : "",
      };
    case "timeline":
      return {
        ...base,
        view,
        columns: timelineColumns,
        sortColumns: timelineColumns,
        rows: buildTimelineRows(state, filter),
        emptyText: "no event yet: state changes, reloads and actions appear here",
        tabExtra: plural(state.events.length, "event"),
      };
    case "tables":
    case "maps":
    case "certs":
    case "process": {
      const panel = panelOf(view);
      const ctx = panelContext(state, ui, view);
      const p = panel.build(ctx, filter, ui.sort[view]);
      return {
        ...base,
        ...panelTable(view, panel, ctx, { ...p, sortColumns: p.sortColumns ?? p.columns }),
        defaultSort: p.defaultSort,
        emptyText: waiting || p.emptyText,
        tabExtra: p.tabExtra ?? "",
        note: p.note ?? null,
        noteTone: p.noteTone ?? null,
      };
    }
  }
}

/** What a panel view reads: the state and the operator's drill (see src/ui/panels/types.ts). */
export function panelContext(state: MonitorState, ui: UiState, view: PanelViewId): PanelContext {
  return { state, drill: ui.drill[view] };
}

/** The extra queries the current view needs fetched (none outside the panel views). */
export function viewQueries(state: MonitorState, ui: UiState): ExtraQuery[] {
  const view = ui.view;
  return isPanelView(view) ? panelOf(view).queries(panelContext(state, ui, view)) : [];
}

export { rowKey };
