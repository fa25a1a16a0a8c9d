import { Box, useApp, useInput } from "ink";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { Poller } from "../store/poller.js";
import type { MonitorState } from "../store/state.js";
import { sanitize } from "../text/sanitize.js";
import { Body } from "./Body.js";
import { Dialog, dialogHeight } from "./components/Dialog.js";
import { Footer } from "./components/Footer.js";
import { HEADER_HEIGHT, Header } from "./components/Header.js";
import { HelpOverlay, helpMaxScroll } from "./components/HelpOverlay.js";
import { StatusLine } from "./components/StatusLine.js";
import { tableBodyHeight, visibleWindow } from "./components/Table.js";
import { TooSmall } from "./components/TooSmall.js";
import { moveCursor, validCursor } from "./cursor.js";
import { BINDINGS, disabledReason, footerItems, helpGroups, type KeyContext, resolveKey } from "./keymap.js";
import { keyName } from "./keys.js";
import type { ActionController, ActionPlan, ValuePrompt } from "./plan.js";
import { TabBar } from "./TabBar.js";
import type { Tone } from "./table/types.js";
import { useSyncState } from "./useSyncState.js";
import { useTerminalSize } from "./useTerminalSize.js";
import { initialUiState, type UiState, type ViewModel, type ViewModelCache, viewModel } from "./viewModel.js";
import { type BackendRow, expandAll } from "./views/backends.js";
import { nextView, type ViewId } from "./views/index.js";

export const MIN_WIDTH = 80;
export const MIN_HEIGHT = 24;

export interface AppProps {
  poller: Poller;
  controller: ActionController;
  color: boolean;
  readOnly: boolean;
  /** Ticks the header's "updated … ago" and retry countdown. */
  clockMs?: number;
  /** Fixed size for tests; the terminal's otherwise. */
  size?: { columns: number; rows: number };
}

type Overlay =
  | null
  | { kind: "help"; scroll: number }
  | { kind: "filter"; text: string }
  | { kind: "confirm"; plan: ActionPlan; stage: 1 | 2 }
  | { kind: "prompt"; prompt: ValuePrompt; text: string; error: string | null }
  | { kind: "running"; title: string; lines: string[] };

export function App(props: AppProps) {
  const { poller, controller, color, readOnly } = props;
  const state = useSyncExternalStore(poller.store.subscribe, poller.store.getSnapshot);
  const terminal = useTerminalSize();
  const size = props.size ?? terminal;
  const { exit } = useApp();
  const [ui, getUi, setUi] = useSyncState<UiState>(initialUiState);
  const [overlay, getOverlay, setOverlay] = useSyncState<Overlay>(() => null);
  const [status, , setStatus] = useSyncState<{ text: string; tone: Tone } | null>(() => null);
  const now = useClock(props.clockMs ?? 1000);
  const cache = useRef<ViewModelCache>({}).current;

  // The root is at most rows - 1 tall: a frame as tall as the terminal makes Ink clear and flicker.
  const width = size.columns;
  const height = size.rows - 1;
  const bodyHeight = Math.max(0, height - HEADER_HEIGHT - 3);
  const contextOf = (vm: ViewModel, u: UiState, level: MonitorState["level"]): KeyContext => ({
    view: u.view,
    row: vm.selection.kind,
    level,
    readOnly,
    reloadUnavailable: controller.reloadUnavailable,
  });
  const vm = viewModel(state, ui, width, bodyHeight, cache);
  const cursorKey = validCursor(vm.keys, ui.cursor[ui.view]);
  const ctx = contextOf(vm, ui, state.level);

  // Only fetch `show sess` / `show errors` while their view is open, and on a large config only
  // the servers on screen (see src/store/adaptive.ts).
  const scrollTop = visibleWindow(
    vm.keys.indexOf(cursorKey ?? ""),
    ui.scroll[ui.view],
    vm.tableHeight,
    vm.keys.length,
  );
  const onScreen =
    ui.view === "backends" ? backendsNear(vm.rows as BackendRow[], scrollTop, vm.tableHeight) : [];
  const onScreenKey = onScreen.join("\u0000");
  useEffect(() => {
    poller.setDemand({
      sessions: ui.view === "sessions",
      errors: ui.view === "errors",
      backendsOnScreen: onScreenKey ? onScreenKey.split("\u0000") : [],
    });
  }, [poller, ui.view, onScreenKey]);

  /** The newest state, for key handlers: several keys may arrive before the next render. */
  const fresh = () => {
    const s = poller.store.getSnapshot();
    const u = getUi();
    const v = viewModel(s, u, width, bodyHeight, cache);
    return { state: s, ui: u, vm: v, ctx: contextOf(v, u, s.level) };
  };

  const setCursor = (key: string | null, vm: ViewModel) =>
    setUi((u) => {
      const index = key === null ? -1 : vm.keys.indexOf(key);
      const scroll = visibleWindow(index, u.scroll[u.view], vm.tableHeight, vm.keys.length);
      return { ...u, cursor: { ...u.cursor, [u.view]: key }, scroll: { ...u.scroll, [u.view]: scroll } };
    });

  const say = (text: string, tone: Tone = "none") => setStatus({ text, tone });

  const startPlan = (planned: Awaited<ReturnType<ActionController["plan"]>>) => {
    if ("error" in planned) {
      setOverlay(null);
      return say(planned.error, "bad");
    }
    if ("submit" in planned)
      return setOverlay({ kind: "prompt", prompt: planned, text: planned.initial, error: null });
    setOverlay({ kind: "confirm", plan: planned, stage: 1 });
  };

  /** Plans off the input handler: planning may ask HAProxy (a reload reads the running process). */
  const planAsync = (title: string, planning: Promise<Awaited<ReturnType<ActionController["plan"]>>>) => {
    setOverlay({ kind: "running", title, lines: ["preparing…"] });
    planning.then(startPlan).catch((e: unknown) => {
      setOverlay(null);
      say(`${title}: ${e instanceof Error ? e.message : String(e)}`, "bad");
    });
  };

  const runPlan = (plan: ActionPlan) => {
    const lines: string[] = [];
    setOverlay({ kind: "running", title: plan.title, lines: ["running…"] });
    plan
      .run((line) => {
        lines.push(line);
        setOverlay({ kind: "running", title: plan.title, lines: lines.slice(-6) });
      })
      .then((o) => say(o.message, o.ok ? "good" : "bad"))
      .catch((e: unknown) =>
        say(`${plan.title} failed: ${e instanceof Error ? e.message : String(e)}`, "bad"),
      )
      .finally(() => {
        setOverlay(null);
        poller.refreshNow();
      });
  };

  const act = (id: string) => {
    const { state, ui, vm } = fresh();
    const cursorKey = validCursor(vm.keys, ui.cursor[ui.view]);
    const page = Math.max(1, tableBodyHeight(vm.tableHeight) - 1);
    switch (id) {
      case "quit":
        return exit();
      case "help":
        return setOverlay({ kind: "help", scroll: 0 });
      case "refresh":
        return poller.refreshNow();
      case "pause":
        return poller.togglePause();
      case "faster":
      case "slower": {
        const next = state.intervalMs + (id === "faster" ? -500 : 500);
        poller.setIntervalMs(next);
        return say(`polling every ${(Math.min(60_000, Math.max(500, next)) / 1000).toFixed(1)} s`);
      }
      case "next-view":
      case "prev-view":
        return setUi((u) => ({ ...u, view: nextView(u.view, id === "next-view" ? 1 : -1) }));
      case "view-frontends":
      case "view-backends":
      case "view-sessions":
      case "view-errors":
      case "view-timeline":
        return setUi((u) => ({ ...u, view: id.slice(5) as ViewId }));
      case "up":
      case "down":
      case "page-up":
      case "page-down":
      case "home":
      case "end":
        return setCursor(moveCursor(vm.keys, cursorKey, id, page), vm);
      case "expand":
        return ui.view === "errors"
          ? setUi((u) => ({ ...u, showCapture: !u.showCapture }))
          : toggleExpand(vm);
      case "collapse":
        return collapse(vm);
      case "expand-all":
        // Unfold everything; when nothing is folded, fold everything.
        return setUi((u) => ({
          ...u,
          collapsed: u.collapsed.size > 0 ? new Set() : expandAll(state.snapshot),
        }));
      case "filter":
        return setOverlay({ kind: "filter", text: ui.filter[ui.view] });
      case "clear-filter":
        return setUi((u) => ({ ...u, filter: { ...u.filter, [u.view]: "" } }));
      case "sort":
        return setUi((u) => ({ ...u, sort: { ...u.sort, [u.view]: vm.nextSort() } }));
      case "reverse":
        return setUi((u) => {
          const cur = u.sort[u.view] ?? vm.defaultSort;
          return cur ? { ...u, sort: { ...u.sort, [u.view]: { ...cur, descending: !cur.descending } } } : u;
        });
      case "columns":
        return setUi((u) => ({ ...u, columnSet: vm.nextColumnSet() }));
      default:
        return planAsync(binding(id), controller.plan(id, vm.selection));
    }
  };

  const toggleExpand = (vm: ViewModel) => {
    const sel = vm.selection;
    if (sel.kind !== "backend" || !sel.backend) return;
    const key = `be/${sel.backend}`;
    setUi((u) => {
      const collapsed = new Set(u.collapsed);
      if (collapsed.has(key)) collapsed.delete(key);
      else collapsed.add(key);
      return { ...u, collapsed };
    });
  };

  const collapse = (vm: ViewModel) => {
    const sel = vm.selection;
    if (!sel.backend) return;
    const key = `be/${sel.backend}`;
    setUi((u) => ({
      ...u,
      collapsed: new Set(u.collapsed).add(key),
      cursor: { ...u.cursor, backends: key },
    }));
  };

  useInput((input, key) => {
    // A burst of printable keys arrives as one string: type it into a prompt, or run it key by key.
    if (input.length > 1 && !key.ctrl && !key.meta && !input.includes("\u001b")) {
      for (const ch of input) {
        const name = BURST_KEYS[ch] ?? (ch >= " " ? ch : null);
        if (name) handleKey(ch, name);
      }
      return;
    }
    const name = keyName(input, key);
    if (name === null) return;
    handleKey(input, name);
  });

  const handleKey = (input: string, name: string) => {
    if (name === "ctrl-c") return exit();
    if (getOverlay()) return handleOverlayKey(name, input);
    const { ctx } = fresh();
    const binding = resolveKey(name, ctx);
    if (!binding) return;
    const why = disabledReason(binding, ctx);
    if (why) return say(`${binding.label}: ${why}`, "warn");
    setStatus(null);
    act(binding.id);
  };

  const handleOverlayKey = (name: string, input: string) => {
    const overlay = getOverlay();
    if (!overlay) return;
    switch (overlay.kind) {
      case "help": {
        if (name === "esc" || name === "q" || name === "?" || name === "h") return setOverlay(null);
        const max = helpMaxScroll(helpGroups(fresh().ctx), height);
        const delta =
          name === "down" ? 1 : name === "up" ? -1 : name === "pagedown" ? 10 : name === "pageup" ? -10 : 0;
        return setOverlay({ kind: "help", scroll: Math.max(0, Math.min(max, overlay.scroll + delta)) });
      }
      case "filter": {
        if (name === "esc") return setOverlay(null);
        if (name === "enter") {
          setUi((u) => ({
            ...u,
            filter: { ...u.filter, [u.view]: overlay.text },
            cursor: { ...u.cursor, [u.view]: null },
          }));
          return setOverlay(null);
        }
        if (name === "backspace") return setOverlay({ kind: "filter", text: overlay.text.slice(0, -1) });
        if (name === "space") return setOverlay({ kind: "filter", text: `${overlay.text} ` });
        if (input.length === 1 && name.length === 1)
          return setOverlay({ kind: "filter", text: overlay.text + input });
        return;
      }
      case "prompt": {
        if (name === "esc") return setOverlay(null);
        if (name === "enter") {
          const current = overlay;
          void current.prompt.submit(current.text).then((planned) => {
            if ("error" in planned) setOverlay({ ...current, error: planned.error });
            else setOverlay({ kind: "confirm", plan: planned, stage: 1 });
          });
          return;
        }
        if (name === "backspace")
          return setOverlay({ ...overlay, text: overlay.text.slice(0, -1), error: null });
        if (input.length === 1 && name.length === 1)
          return setOverlay({ ...overlay, text: overlay.text + input, error: null });
        return;
      }
      case "confirm": {
        if (name === "esc" || name === "n") {
          say(`${overlay.plan.title}: cancelled, nothing sent`);
          return setOverlay(null);
        }
        if (name === "a" && overlay.plan.allBackends) {
          return setOverlay({ kind: "confirm", plan: overlay.plan.allBackends.toggle(), stage: 1 });
        }
        if (name === "enter" || name === "y") {
          if (overlay.plan.secondConfirm && overlay.stage === 1) return setOverlay({ ...overlay, stage: 2 });
          return runPlan(overlay.plan);
        }
        return;
      }
      case "running":
        return;
    }
  };

  const footer = footerItems(ctx);

  if (size.columns < MIN_WIDTH || size.rows < MIN_HEIGHT) {
    return <TooSmall width={size.columns} height={size.rows} minWidth={MIN_WIDTH} minHeight={MIN_HEIGHT} />;
  }

  const dialog = renderDialog(overlay, width, color, bodyHeight);
  const statusText =
    overlay?.kind === "filter"
      ? `filter: ${overlay.text}▏ (Enter apply · Esc cancel · ~ for a regex)`
      : status
        ? status.text
        : vm.note;

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Header state={state} width={width} color={color} now={now} readOnly={readOnly} />
      <TabBar
        view={ui.view}
        width={width}
        color={color}
        filter={vm.filterLabel}
        sortLabel={vm.sortLabel}
        extra={vm.tabExtra}
      />
      {overlay?.kind === "help" ? (
        <HelpOverlay
          groups={helpGroups(ctx)}
          width={width}
          height={bodyHeight}
          color={color}
          scrollTop={overlay.scroll}
        />
      ) : (
        <Box flexDirection="column" height={bodyHeight} overflow="hidden">
          <Body
            vm={vm}
            cursorKey={cursorKey}
            scrollTop={scrollTop}
            width={width}
            height={bodyHeight - (dialog ? dialog.height : 0)}
            color={color}
          />
          {dialog?.node}
        </Box>
      )}
      <StatusLine
        text={statusText ? sanitize(statusText) : null}
        tone={overlay?.kind === "filter" ? "accent" : (status?.tone ?? vm.noteTone ?? "dim")}
        width={width}
        color={color}
      />
      <Footer items={footer} width={width} color={color} />
    </Box>
  );
}

function renderDialog(overlay: Overlay, width: number, color: boolean, maxHeight: number) {
  if (!overlay || overlay.kind === "help" || overlay.kind === "filter") return null;
  const w = Math.min(width, 100);
  let title: string;
  let lines: string[];
  let hint: string;
  let tone: Tone = "accent";
  if (overlay.kind === "running") {
    title = overlay.title;
    lines = overlay.lines;
    hint = "please wait";
  } else if (overlay.kind === "prompt") {
    title = overlay.prompt.title;
    lines = [`${overlay.prompt.label}: ${overlay.text}▏`, ...(overlay.error ? [overlay.error] : [])];
    hint = "Enter confirm · Esc cancel";
  } else {
    const p = overlay.plan;
    title = p.title;
    tone = p.tone;
    lines =
      overlay.stage === 2 && p.secondConfirm
        ? [p.secondConfirm, "", ...p.lines]
        : [
            ...p.lines,
            ...(p.allBackends
              ? [
                  "",
                  `[a] every backend with this server (${p.allBackends.count}): ${p.allBackends.enabled ? "ON" : "off"}`,
                ]
              : []),
          ];
    hint = overlay.stage === 2 ? "Enter/y confirm AGAIN · Esc/n cancel" : "Enter/y confirm · Esc/n cancel";
  }
  const h = Math.min(maxHeight, dialogHeight(lines, w));
  return {
    height: h,
    node: (
      <Dialog title={title} lines={lines} hint={hint} width={w} color={color} tone={tone} maxHeight={h} />
    ),
  };
}

const BURST_KEYS: Record<string, string> = {
  "\r": "enter",
  "\n": "enter",
  "\t": "tab",
  "\u007f": "backspace",
  "\b": "backspace",
  " ": "space",
};

/** Backends with server rows in the visible window, one screen either side (so scrolling finds fresh data). */
function backendsNear(rows: BackendRow[], top: number, height: number): string[] {
  const names = new Set<string>();
  for (let i = Math.max(0, top - height); i < Math.min(rows.length, top + 2 * height); i++) {
    const r = rows[i]!;
    if (r.kind === "server") names.add(r.backend);
    else if (r.expanded) names.add(r.entry.name);
  }
  return [...names];
}

const binding = (id: string) => BINDINGS.find((b) => b.id === id)?.label ?? id;

function useClock(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
