import { selectedBackend } from "../actions/plan.js";
import { backendKey } from "../model/keys.js";
import type { Poller } from "../store/poller.js";
import type { MonitorState } from "../store/state.js";
import { tableBodyHeight, visibleWindow } from "./components/Table.js";
import { type Move, moveCursor, validCursor } from "./cursor.js";
import type { ActionId } from "./keymap.js";
import { eventDetail, type Overlay, scrolled } from "./overlay.js";
import { tableFilterPrompt } from "./panels/tablesFilter.js";
import type { PlannedActionId } from "./plan.js";
import type { PromptEnv } from "./prompt/env.js";
import { PROMPT_HANDLERS } from "./prompt/handlers.js";
import type { Tone } from "./table/types.js";
import type { UiAction, UiState } from "./uiState.js";
import type { ViewModel } from "./viewModel.js";
import { expandAll } from "./views/backends.js";
import type { ViewId } from "./views/index.js";
import { serverStatePane } from "./views/serverStatePane.js";
import { GROUPING_TITLES, nextSessionGrouping, sessionGroupFilter } from "./views/sessionGroups.js";
import { openSortPicker, sortPickerKey } from "./views/sortPicker.js";

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
  /** Changes the UI state through `reduceUi` (uiState.ts), at once: the next key sees it. */
  dispatch(action: UiAction): void;
  say(text: string, tone?: Tone): void;
  exit(): void;
  poller: Poller;
  /** Plans an action through the controller (a dialog follows). */
  plan(id: PlannedActionId): void;
  /** Confirms the open dialog (stage 2 first when it asks twice). */
  confirm(): void;
  submitPrompt(): void;
  /** Back to the fleet overview, when this target was opened from it. */
  fleet?: () => void;
  /** Largest scroll of the open help or detail pane, and its page, from the height it is drawn at. */
  scrollLimits(): { max: number; page: number };
  /** The Runtime API prompt (`:`), when the App was given a CLI session. */
  cli?: PromptEnv | null;
}

/** A key's handler; `key` is the key's name (src/ui/keys.ts), for bindings with several keys. */
export type Handler = (env: HandlerEnv, key: string) => void;

const view =
  (v: ViewId): Handler =>
  (env) =>
    env.dispatch({ type: "view", view: v });

const move =
  (m: Move): Handler =>
  (env) => {
    const { ui, vm } = env.fresh();
    const page = Math.max(1, tableBodyHeight(vm.tableHeight) - 1);
    const key = moveCursor(vm.keys, validCursor(vm.keys, ui.cursor[ui.view]), m, page);
    const index = key === null ? -1 : vm.keys.indexOf(key);
    const scroll = visibleWindow(index, ui.scroll[ui.view], vm.tableHeight, vm.keys.length);
    env.dispatch({ type: "cursor", key, scroll });
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
    env.dispatch({ type: "overlay", overlay: { ...o, scroll: scrolled(id, o.scroll, max, page) } });
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
    env.dispatch({ type: "overlay", overlay: { kind: "sort", index: out.state.index } });
    return;
  }
  env.dispatch({ type: "overlay", overlay: null });
  if (out.kind === "pick") env.dispatch({ type: "sort", view: ui.view, sort: out.sort });
}

const overlay = (env: HandlerEnv, o: Overlay) => env.dispatch({ type: "overlay", overlay: o });

/** One handler per action id: a missing one fails to compile. */
export const HANDLERS: Record<ActionId, Handler> = {
  quit: (env) => env.exit(),
  help: (env) => overlay(env, { kind: "help", scroll: 0 }),
  refresh: (env) => env.poller.refreshNow(),
  pause: (env) => env.poller.togglePause(),
  faster: interval(-500),
  slower: interval(500),
  "next-view": (env) => env.dispatch({ type: "next-view", step: 1 }),
  "prev-view": (env) => env.dispatch({ type: "next-view", step: -1 }),
  fleet: (env) => env.fleet?.(),
  "view-frontends": view("frontends"),
  "view-backends": view("backends"),
  "view-sessions": view("sessions"),
  "view-errors": view("errors"),
  "view-timeline": view("timeline"),
  "view-tables": view("tables"),
  "view-maps": view("maps"),
  "view-certs": view("certs"),
  "view-process": view("process"),
  up: move("up"),
  down: move("down"),
  "page-up": move("page-up"),
  "page-down": move("page-down"),
  home: move("home"),
  end: move("end"),
  expand: (env) => {
    const sel = env.fresh().vm.selection;
    if (sel.kind === "backend") env.dispatch({ type: "toggle-fold", key: backendKey(sel.backend) });
  },
  capture: (env) => env.dispatch({ type: "toggle-capture" }),
  "open-event": (env) => {
    const { ui, vm } = env.fresh();
    const key = validCursor(vm.keys, ui.cursor[ui.view]);
    const row = vm.view === "timeline" ? vm.rows[vm.keys.indexOf(key ?? "")] : undefined;
    if (row) overlay(env, { kind: "detail", ...eventDetail(row.event), scroll: 0 });
  },
  drill: (env) => {
    const { vm } = env.fresh();
    if (vm.view !== "tables" && vm.view !== "maps") return;
    const { ui } = env.fresh();
    const row = vm.rows[vm.keys.indexOf(validCursor(vm.keys, ui.cursor[ui.view]) ?? "")];
    const key = row ? (vm.panel.drillInto?.(row, vm.ctx) ?? null) : null;
    if (key !== null) env.dispatch({ type: "drill", key });
  },
  "drill-up": (env) => env.dispatch({ type: "drill", key: null }),
  // The pid is the selected row's, which only the master's own `show proc` makes (panels/processRows.ts).
  "watch-worker": (env) => {
    const sel = env.fresh().vm.selection;
    if (sel.kind !== "worker") return;
    const why = env.poller.retarget(sel.pid);
    if (why) env.say(why, "bad");
    else env.say(`watching worker ${sel.pid} through the master CLI (b: back)`, "accent");
  },
  "watch-home": (env) => {
    if (!env.fresh().state.via) return env.say("not watching a worker: polling the command line's target");
    const why = env.poller.retarget(null);
    env.say(why ?? "back to the command line's target", why ? "bad" : "none");
  },
  collapse: (env) => {
    const sel = env.fresh().vm.selection;
    const backend = selectedBackend(sel);
    if (backend === null) return;
    env.dispatch({ type: "collapse", key: backendKey(backend) });
  },
  "expand-all": (env) => {
    // Unfold everything; when nothing is folded, fold everything.
    const { state, ui } = env.fresh();
    env.dispatch({ type: "fold-all", all: ui.collapsed.size > 0 ? new Set() : expandAll(state.snapshot) });
  },
  // A new filter starts empty and applies as it is typed; Esc puts the previous one back.
  filter: (env) => env.dispatch({ type: "filter-start" }),
  // Esc clears the filter; with none, it leaves a table's or map's entries (k9s's Esc).
  "clear-filter": (env) => {
    const { ui } = env.fresh();
    if (ui.filter[ui.view] === "" && ui.drill[ui.view] !== null) env.dispatch({ type: "drill", key: null });
    else env.dispatch({ type: "filter-clear" });
  },
  sort: (env) => {
    const { vm } = env.fresh();
    overlay(env, { kind: "sort", ...openSortPicker(vm.sortChoices, vm.sort) });
  },
  reverse: (env) => {
    const { vm } = env.fresh();
    env.dispatch({ type: "reverse-sort", fallback: vm.defaultSort });
  },
  columns: (env) => {
    const { vm } = env.fresh();
    env.dispatch({ type: "column-set", columnSet: vm.nextColumnSet() });
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
  "map-add": planned("map-add"),
  "map-del": planned("map-del"),
  "map-set": planned("map-set"),
  "table-clear-entry": planned("table-clear-entry"),
  "table-set-entry": planned("table-set-entry"),
  // The data filter prompt: its answer reopens the table with the filter (the prompt closes first,
  // so the App drops the prompt's own answer: there is nothing to confirm, nothing is sent here).
  "table-data-filter": (env) => {
    const { state, ui, vm } = env.fresh();
    const prompt = tableFilterPrompt(state, ui.drill.tables, vm.selection, (key) => {
      overlay(env, null);
      env.dispatch({ type: "drill", key });
    });
    if ("error" in prompt) env.say(prompt.error, "warn");
    else overlay(env, { kind: "prompt", prompt, text: "", error: null });
  },
  "group-sessions": (env) => {
    const next = nextSessionGrouping(env.fresh().ui.sessionGrouping);
    env.dispatch({ type: "session-grouping", grouping: next });
    env.say(`sessions: ${GROUPING_TITLES[next]}`);
  },
  "open-group": (env) => {
    const sel = env.fresh().vm.selection;
    if (sel.kind !== "source-group") return;
    env.dispatch({ type: "open-session-group", filter: sessionGroupFilter(sel.source) });
    env.say(`sessions from ${sel.source}`);
  },
  "server-state": (env) => {
    const { state, vm } = env.fresh();
    const sel = vm.selection;
    if (sel.kind !== "server") return;
    const entry = state.snapshot?.backends
      .find((b) => b.name === sel.backend)
      ?.servers.find((s) => s.name === sel.server);
    if (entry) overlay(env, { kind: "detail", ...serverStatePane(entry), scroll: 0 });
  },
  "health-toggle": planned("health-toggle"),
  "agent-toggle": planned("agent-toggle"),
  maxconn: planned("maxconn"),
  "confirm-yes": (env) => env.confirm(),
  "confirm-no": (env) => {
    const o = env.fresh().overlay;
    if (o?.kind === "confirm") env.say(`${o.plan.title}: cancelled, nothing sent`);
    overlay(env, null);
  },
  "confirm-all": (env) => {
    const o = env.fresh().overlay;
    if (o?.kind === "confirm" && o.plan.allBackends)
      overlay(env, { kind: "confirm", plan: o.plan.allBackends.toggle(), stage: 1 });
  },
  ...PROMPT_HANDLERS,
  "prompt-submit": (env) => env.submitPrompt(),
  "prompt-cancel": (env) => overlay(env, null),
  "filter-apply": (env) => env.dispatch({ type: "filter-apply" }),
  "filter-cancel": (env) => env.dispatch({ type: "filter-cancel" }),
  "dismiss-running": (env) => {
    const o = env.fresh().overlay;
    if (o?.kind === "running") env.say(`${o.title}: still running; its outcome will show here`);
    overlay(env, null);
  },
  "sort-pick": sortPickerInput,
  "sort-close": sortPickerInput,
  "sort-move": sortPickerInput,
  "close-overlay": (env) => overlay(env, null),
  "scroll-up": scroll("scroll-up"),
  "scroll-down": scroll("scroll-down"),
  "scroll-page-up": scroll("scroll-page-up"),
  "scroll-page-down": scroll("scroll-page-down"),
  "scroll-top": scroll("scroll-top"),
  "scroll-end": scroll("scroll-end"),
};
