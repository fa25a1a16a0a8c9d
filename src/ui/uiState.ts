import type { Overlay } from "./overlay.js";
import type { SortState } from "./table/types.js";
import { initialUiState, type UiState as ViewSettings } from "./viewModel.js";
import type { BackendColumnSetId } from "./views/backends.js";
import { nextView, type ViewId } from "./views/index.js";
import type { SessionGrouping } from "./views/sessionGroups.js";

/**
 * Everything the App remembers between keys: the view settings the view model reads (per-view
 * cursor, scroll, sort, filter; folds, column set) and the overlay on top. Only `reduceUi` changes it.
 */
export interface UiState extends ViewSettings {
  overlay: Overlay;
}

/**
 * What a key handler may ask for. Anything that needs the poll or the view model (where the cursor
 * moves to, which backends exist) is worked out by the handler and carried in the action, so the
 * reducer stays pure.
 */
export type UiAction =
  | { type: "view"; view: ViewId }
  | { type: "next-view"; step: 1 | -1 }
  /** The current view's cursor and its table's first visible row. */
  | { type: "cursor"; key: string | null; scroll: number }
  | { type: "toggle-fold"; key: string }
  /** Folds a backend and puts the cursor on it (from one of its servers). */
  | { type: "collapse"; key: string }
  /** Unfolds everything, or, when nothing is folded, folds `all`. */
  | { type: "fold-all"; all: Set<string> }
  | { type: "toggle-capture" }
  | { type: "column-set"; columnSet: BackendColumnSetId }
  | { type: "sort"; view: ViewId; sort: SortState | null }
  /** Reverses the current view's sort (`fallback` when it has none of its own: the view's default). */
  | { type: "reverse-sort"; fallback: SortState | null }
  /** Opens the filter line: the filter starts empty, the previous one is kept for Esc. */
  | { type: "filter-start" }
  /** The filter as typed so far: applied live, cursor back to the first row. */
  | { type: "filter-type"; text: string }
  | { type: "filter-apply" }
  | { type: "filter-cancel" }
  | { type: "filter-clear" }
  | { type: "overlay"; overlay: Overlay }
  /** Opens a panel row's entries (a stick table, a map), or goes back up with null. */
  | { type: "drill"; key: string | null }
  /** Groups the sessions view (top talkers); its sort, cursor and scroll start over (other columns). */
  | { type: "session-grouping"; grouping: SessionGrouping }
  /** From a top-talkers group to its sessions: the plain list, filtered by `filter`. */
  | { type: "open-session-group"; filter: string };

export function initialState(): UiState {
  return { ...initialUiState(), overlay: null };
}

/** The current view's entry of a per-view record, replaced. */
function forView<T>(s: UiState, rec: Record<ViewId, T>, value: T): Record<ViewId, T> {
  return { ...rec, [s.view]: value };
}

/** The UI's only state transition. Pure: same state and action, same result; never mutates `s`. */
export function reduceUi(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case "view":
      return { ...s, view: a.view };
    case "next-view":
      return { ...s, view: nextView(s.view, a.step) };
    case "cursor":
      return { ...s, cursor: forView(s, s.cursor, a.key), scroll: forView(s, s.scroll, a.scroll) };
    case "toggle-fold": {
      const collapsed = new Set(s.collapsed);
      if (collapsed.has(a.key)) collapsed.delete(a.key);
      else collapsed.add(a.key);
      return { ...s, collapsed };
    }
    case "collapse":
      return { ...s, collapsed: new Set(s.collapsed).add(a.key), cursor: { ...s.cursor, backends: a.key } };
    case "fold-all":
      return { ...s, collapsed: s.collapsed.size > 0 ? new Set() : new Set(a.all) };
    case "toggle-capture":
      return { ...s, showCapture: !s.showCapture };
    case "column-set":
      return { ...s, columnSet: a.columnSet };
    case "sort":
      return { ...s, sort: { ...s.sort, [a.view]: a.sort } };
    case "reverse-sort": {
      const cur = s.sort[s.view] ?? a.fallback;
      return cur ? { ...s, sort: forView(s, s.sort, { ...cur, descending: !cur.descending }) } : s;
    }
    case "filter-start":
      return {
        ...s,
        overlay: { kind: "filter", text: "", previous: s.filter[s.view] },
        filter: forView(s, s.filter, ""),
      };
    case "filter-type":
      if (s.overlay?.kind !== "filter") return s;
      return {
        ...s,
        overlay: { ...s.overlay, text: a.text },
        filter: forView(s, s.filter, a.text),
        cursor: forView(s, s.cursor, null),
      };
    case "filter-apply":
      return { ...s, overlay: null, cursor: forView(s, s.cursor, null) };
    case "filter-cancel":
      if (s.overlay?.kind !== "filter") return { ...s, overlay: null };
      return { ...s, overlay: null, filter: forView(s, s.filter, s.overlay.previous) };
    case "filter-clear":
      return { ...s, filter: forView(s, s.filter, "") };
    case "overlay":
      return { ...s, overlay: a.overlay };
    case "session-grouping":
      return {
        ...s,
        sessionGrouping: a.grouping,
        sort: { ...s.sort, sessions: null },
        cursor: { ...s.cursor, sessions: null },
        scroll: { ...s.scroll, sessions: 0 },
      };
    case "open-session-group":
      return {
        ...reduceUi(s, { type: "session-grouping", grouping: "none" }),
        filter: { ...s.filter, sessions: a.filter },
      };
    case "drill": {
      // From the list into a row's entries: the first entry, unfiltered, in the entries' default
      // order, the list's filter and sort kept aside. From entries to entries (a data filter
      // reopening the table) they stay. Back out: the cursor on the list's row opened, the list's
      // filter and sort as they were.
      const back = s.drill[s.view];
      const outer = s.outer[s.view];
      if (a.key !== null && back !== null)
        return {
          ...s,
          drill: forView(s, s.drill, a.key),
          cursor: forView(s, s.cursor, null),
          scroll: forView(s, s.scroll, 0),
        };
      const goingIn = a.key !== null;
      return {
        ...s,
        drill: forView(s, s.drill, a.key),
        cursor: forView(s, s.cursor, goingIn ? null : (outer?.cursor ?? back)),
        scroll: forView(s, s.scroll, 0),
        outer: forView(
          s,
          s.outer,
          goingIn
            ? { filter: s.filter[s.view], sort: s.sort[s.view], cursor: s.cursor[s.view] ?? a.key }
            : null,
        ),
        filter: forView(s, s.filter, goingIn ? "" : (outer?.filter ?? s.filter[s.view])),
        sort: forView(s, s.sort, goingIn ? null : outer ? outer.sort : s.sort[s.view]),
      };
    }
  }
}
