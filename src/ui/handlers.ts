import type { Poller } from "../store/poller.js";
import type { MonitorState } from "../store/state.js";
import { tableBodyHeight, visibleWindow } from "./components/Table.js";
import { type Move, moveCursor, validCursor } from "./cursor.js";
import type { ActionId } from "./keymap.js";
import { eventDetail, type Overlay, scrolled } from "./overlay.js";
import type { PlannedActionId } from "./plan.js";
import type { Tone } from "./table/types.js";
import type { UiState, ViewModel } from "./viewModel.js";
import { expandAll } from "./views/backends.js";
import { nextView, type ViewId } from "./views/index.js";
import { openSortPicker, sortPickerKey } from "./views/sortPicker.js";
import type { TimelineRow } from "./views/timeline.js";

/** The newest state, read at each key: several keys may arrive before the next render. */
export interface Fresh {
  state: MonitorState;
  ui: UiState;
  vm: ViewModel;
  overlay: Overlay;
}

/** What a key handler may do; the App provides it. Handlers do no I/O and never await. */
export interface HandlerEnv {
  fresh(): Fresh;
  setUi(change: (u: UiState) => UiState): void;
  setOverlay(o: Overlay): void;
  say(text: string, tone?: Tone): void;
  exit(): void;
  poller: Poller;
  /** Plans an action through the controller (a dialog follows). */
  plan(id: PlannedActionId): void;
  /** Confirms the open dialog (stage 2 first when it asks twice). */
  confirm(): void;
  submitPrompt(): void;
  /** Largest scroll of the open help or detail pane, and its page, from the height it is drawn at. */
  scrollLimits(): { max: number; page: number };
}

/** A key's handler; `key` is the key's name (src/ui/keys.ts), for bindings with several keys. */
export type Handler = (env: HandlerEnv, key: string) => void;

const view =
  (v: ViewId): Handler =>
  (env) =>
    env.setUi((u) => ({ ...u, view: v }));

const move =
  (m: Move): Handler =>
  (env) => {
    const { ui, vm } = env.fresh();
    const page = Math.max(1, tableBodyHeight(vm.tableHeight) - 1);
    const key = moveCursor(vm.keys, validCursor(vm.keys, ui.cursor[ui.view]), m, page);
    const index = key === null ? -1 : vm.keys.indexOf(key);
    env.setUi((u) => ({
      ...u,
      cursor: { ...u.cursor, [u.view]: key },
      scroll: {
        ...u.scroll,
        [u.view]: visibleWindow(index, u.scroll[u.view], vm.tableHeight, vm.keys.length),
      },
    }));
  };

const interval =
  (deltaMs: number): Handler =>
  (env) => {
    const next = env.fresh().state.intervalMs + deltaMs;
    env.poller.setIntervalMs(next);
    env.say(`polling every ${(Math.min(60_000, Math.max(500, next)) / 1000).toFixed(1)} s`);
  };

const planned =
  (id: PlannedActionId): Handler =>
  (env) =>
    env.plan(id);

const scroll =
  (id: ActionId): Handler =>
  (env) => {
    const o = env.fresh().overlay;
    if (o?.kind !== "help" && o?.kind !== "detail") return;
    const { max, page } = env.scrollLimits();
    env.setOverlay({ ...o, scroll: scrolled(id, o.scroll, max, page) });
  };

/**
 * A key in the open column picker: move, close, or pick (sets the view's sort; picking the column
 * sorted on now reverses it). Also gets the keys no binding takes: a letter jumps to a column.
 */
export function sortPickerInput(env: HandlerEnv, key: string): void {
  const { ui, vm, overlay } = env.fresh();
  if (overlay?.kind !== "sort") return;
  const out = sortPickerKey(overlay, vm.sortChoices, key, vm.sort);
  if (out.kind === "move") {
    env.setOverlay({ kind: "sort", index: out.state.index });
    return;
  }
  env.setOverlay(null);
  if (out.kind === "pick") env.setUi((u) => ({ ...u, sort: { ...u.sort, [ui.view]: out.sort } }));
}

/** Folds or unfolds one backend (`be/<name>`). */
function toggleFold(u: UiState, key: string): UiState {
  const collapsed = new Set(u.collapsed);
  if (collapsed.has(key)) collapsed.delete(key);
  else collapsed.add(key);
  return { ...u, collapsed };
}

/** One handler per action id: a missing one fails to compile. */
export const HANDLERS: Record<ActionId, Handler> = {
  quit: (env) => env.exit(),
  help: (env) => env.setOverlay({ kind: "help", scroll: 0 }),
  refresh: (env) => env.poller.refreshNow(),
  pause: (env) => env.poller.togglePause(),
  faster: interval(-500),
  slower: interval(500),
  "next-view": (env) => env.setUi((u) => ({ ...u, view: nextView(u.view, 1) })),
  "prev-view": (env) => env.setUi((u) => ({ ...u, view: nextView(u.view, -1) })),
  "view-frontends": view("frontends"),
  "view-backends": view("backends"),
  "view-sessions": view("sessions"),
  "view-errors": view("errors"),
  "view-timeline": view("timeline"),
  up: move("up"),
  down: move("down"),
  "page-up": move("page-up"),
  "page-down": move("page-down"),
  home: move("home"),
  end: move("end"),
  expand: (env) => {
    const sel = env.fresh().vm.selection;
    if (sel.kind === "backend" && sel.backend) env.setUi((u) => toggleFold(u, `be/${sel.backend}`));
  },
  capture: (env) => env.setUi((u) => ({ ...u, showCapture: !u.showCapture })),
  "open-event": (env) => {
    const { ui, vm } = env.fresh();
    const key = validCursor(vm.keys, ui.cursor[ui.view]);
    const row = vm.rows[vm.keys.indexOf(key ?? "")] as TimelineRow | undefined;
    if (row) env.setOverlay({ kind: "detail", ...eventDetail(row.event), scroll: 0 });
  },
  collapse: (env) => {
    const sel = env.fresh().vm.selection;
    if (!sel.backend) return;
    const key = `be/${sel.backend}`;
    env.setUi((u) => ({
      ...u,
      collapsed: new Set(u.collapsed).add(key),
      cursor: { ...u.cursor, backends: key },
    }));
  },
  "expand-all": (env) => {
    // Unfold everything; when nothing is folded, fold everything.
    const snapshot = env.fresh().state.snapshot;
    env.setUi((u) => ({ ...u, collapsed: u.collapsed.size > 0 ? new Set() : expandAll(snapshot) }));
  },
  filter: (env) => {
    const { ui } = env.fresh();
    // A new filter starts empty and applies as it is typed; Esc puts the previous one back.
    env.setOverlay({ kind: "filter", text: "", previous: ui.filter[ui.view] });
    env.setUi((u) => ({ ...u, filter: { ...u.filter, [u.view]: "" } }));
  },
  "clear-filter": (env) => env.setUi((u) => ({ ...u, filter: { ...u.filter, [u.view]: "" } })),
  sort: (env) => {
    const { vm } = env.fresh();
    env.setOverlay({ kind: "sort", ...openSortPicker(vm.sortChoices, vm.sort) });
  },
  reverse: (env) => {
    const { vm } = env.fresh();
    env.setUi((u) => {
      const cur = u.sort[u.view] ?? vm.defaultSort;
      return cur ? { ...u, sort: { ...u.sort, [u.view]: { ...cur, descending: !cur.descending } } } : u;
    });
  },
  columns: (env) => {
    const { vm } = env.fresh();
    env.setUi((u) => ({ ...u, columnSet: vm.nextColumnSet() }));
  },
  maint: planned("maint"),
  drain: planned("drain"),
  ready: planned("ready"),
  weight: planned("weight"),
  "weight-up": planned("weight-up"),
  "weight-down": planned("weight-down"),
  "kill-session": planned("kill-session"),
  "kill-server-sessions": planned("kill-server-sessions"),
  reload: planned("reload"),
  "clear-max": planned("clear-max"),
  "clear-all": planned("clear-all"),
  "confirm-yes": (env) => env.confirm(),
  "confirm-no": (env) => {
    const o = env.fresh().overlay;
    if (o?.kind === "confirm") env.say(`${o.plan.title}: cancelled, nothing sent`);
    env.setOverlay(null);
  },
  "confirm-all": (env) => {
    const o = env.fresh().overlay;
    if (o?.kind === "confirm" && o.plan.allBackends)
      env.setOverlay({ kind: "confirm", plan: o.plan.allBackends.toggle(), stage: 1 });
  },
  "prompt-submit": (env) => env.submitPrompt(),
  "prompt-cancel": (env) => env.setOverlay(null),
  "filter-apply": (env) => {
    env.setUi((u) => ({ ...u, cursor: { ...u.cursor, [u.view]: null } }));
    env.setOverlay(null);
  },
  "filter-cancel": (env) => {
    const o = env.fresh().overlay;
    if (o?.kind === "filter") env.setUi((u) => ({ ...u, filter: { ...u.filter, [u.view]: o.previous } }));
    env.setOverlay(null);
  },
  "dismiss-running": (env) => {
    const o = env.fresh().overlay;
    if (o?.kind === "running") env.say(`${o.title}: still running; its outcome will show here`);
    env.setOverlay(null);
  },
  "sort-pick": sortPickerInput,
  "sort-close": sortPickerInput,
  "sort-move": sortPickerInput,
  "close-overlay": (env) => env.setOverlay(null),
  "scroll-up": scroll("scroll-up"),
  "scroll-down": scroll("scroll-down"),
  "scroll-page-up": scroll("scroll-page-up"),
  "scroll-page-down": scroll("scroll-page-down"),
  "scroll-top": scroll("scroll-top"),
  "scroll-end": scroll("scroll-end"),
};
