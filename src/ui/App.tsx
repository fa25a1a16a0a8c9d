import { Box, useApp, useInput } from "ink";
import { useEffect, useRef, useSyncExternalStore } from "react";
import type { Poller } from "../store/poller.js";
import { sanitize } from "../text/sanitize.js";
import { BURST_KEYS, backendsNear, useClock } from "./appParts.js";
import { Body } from "./Body.js";
import { ColumnPicker, columnPickerHeight } from "./components/ColumnPicker.js";
import { Footer } from "./components/Footer.js";
import { Header } from "./components/Header.js";
import { HelpOverlay, helpMaxScroll } from "./components/HelpOverlay.js";
import { StatusLine } from "./components/StatusLine.js";
import { visibleWindow } from "./components/Table.js";
import { paneMaxScroll, paneRows, TextPane } from "./components/TextPane.js";
import { TooSmall } from "./components/TooSmall.js";
import { validCursor } from "./cursor.js";
import { type Fresh, HANDLERS, type HandlerEnv, sortPickerInput } from "./handlers.js";
import { footerItems, helpGroups, type KeyContext, resolveKey } from "./keymap.js";
import { keyName } from "./keys.js";
import { renderDialog } from "./OverlayDialog.js";
import { edit, type Overlay, scopeOf } from "./overlay.js";
import type { ActionController, ActionPlan, Planned } from "./plan.js";
import { MIN_HEIGHT, MIN_WIDTH, pickerRoom, screenLayout } from "./screen.js";
import { TabBar } from "./TabBar.js";
import type { Tone } from "./table/types.js";
import { useSyncState } from "./useSyncState.js";
import { useTerminalSize } from "./useTerminalSize.js";
import { initialUiState, type UiState, type ViewModel, type ViewModelCache, viewModel } from "./viewModel.js";
import type { BackendRow } from "./views/backends.js";

export { MIN_HEIGHT, MIN_WIDTH } from "./screen.js";

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

/**
 * The TUI: state in, keys to handlers (handlers.ts) through the keymap registry, overlays on top.
 * No I/O here: actions are planned and run by the controller; every promise is caught.
 */
export function App(props: AppProps) {
  const { poller, controller, color, readOnly } = props;
  const state = useSyncExternalStore(poller.store.subscribe, poller.store.getSnapshot);
  const terminal = useTerminalSize();
  const size = props.size ?? terminal;
  const { exit } = useApp();
  const [ui, getUi, setUi] = useSyncState<UiState>(initialUiState);
  const [overlay, getOverlay, setOverlay] = useSyncState<Overlay>(() => null);
  const [status, , setStatus] = useSyncState<{ text: string; tone: Tone } | null>(() => null);
  const [tasks, , setTasks] = useSyncState<{ id: number; label: string }[]>(() => []);
  const counter = useRef(0);
  const now = useClock(props.clockMs ?? 1000);
  const cache = useRef<ViewModelCache>({}).current;
  const layout = screenLayout(size);
  const { width, height, bodyHeight } = layout;

  const contextOf = (vm: ViewModel, o: Overlay, level: KeyContext["level"]): KeyContext => ({
    scope: scopeOf(o),
    view: getUi().view,
    row: vm.selection.kind,
    level,
    readOnly,
    reloadUnavailable: controller.reloadUnavailable,
    allBackends: o?.kind === "confirm" && !!o.plan.allBackends,
  });
  const vm = viewModel(state, ui, width, bodyHeight, cache);
  const cursorKey = validCursor(vm.keys, ui.cursor[ui.view]);
  const ctx = contextOf(vm, overlay, state.level);

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

  useEffect(() => () => controller.dispose?.(), [controller]);

  const fresh = (): Fresh => {
    const s = poller.store.getSnapshot();
    return {
      state: s,
      ui: getUi(),
      vm: viewModel(s, getUi(), width, bodyHeight, cache),
      overlay: getOverlay(),
    };
  };
  const say = (text: string, tone: Tone = "none") => setStatus({ text, tone });
  const failure = (title: string) => (e: unknown) => {
    closeRunning();
    say(`${title}: ${e instanceof Error ? e.message : String(e)}`, "bad");
  };
  const running = (title: string, lines: string[]) => {
    const run = ++counter.current;
    setOverlay({ kind: "running", run, title, lines });
    return run;
  };
  /** Closes the running dialog only if it is still the one shown (Esc may have hidden it). */
  const closeRunning = (run?: number) => {
    const o = getOverlay();
    if (o?.kind === "running" && (run === undefined || o.run === run)) setOverlay(null);
  };

  const show = (planned: Planned, run: number) => {
    const o = getOverlay();
    const stillOurs = o?.kind === "running" && o.run === run;
    if ("error" in planned) {
      if (stillOurs) setOverlay(null);
      return say(planned.error, "bad");
    }
    if (!stillOurs) return say("the action's dialog was closed before it was ready: press its key again");
    if ("submit" in planned) return setOverlay({ kind: "prompt", prompt: planned, text: "", error: null });
    setOverlay({ kind: "confirm", plan: planned, stage: 1 });
  };

  const runPlan = (plan: ActionPlan) => {
    const run = running(plan.title, ["running…"]);
    const lines: string[] = [];
    plan
      .run((line) => {
        lines.push(line);
        const o = getOverlay();
        if (o?.kind === "running" && o.run === run) setOverlay({ ...o, lines: lines.slice(-6) });
      })
      .then((o) => {
        // The outcome is known: the dialog closes now; what goes on (a drain) becomes a badge.
        closeRunning(run);
        say(o.message, o.ok ? "good" : "bad");
        if (o.background) {
          const id = run;
          setTasks((t) => [...t, { id, label: o.background!.label }]);
          o.background.done
            .catch(() => undefined)
            .finally(() => {
              setTasks((t) => t.filter((x) => x.id !== id));
              poller.refreshNow();
            });
        }
      })
      .catch(failure(`${plan.title} failed`))
      .finally(() => poller.refreshNow());
  };

  const env: HandlerEnv = {
    fresh,
    setUi,
    setOverlay,
    say,
    exit,
    poller,
    plan: (id) => {
      const { vm } = fresh();
      const run = running(HANDLER_TITLES[id] ?? id, ["preparing…"]);
      controller
        .plan(id, vm.selection)
        .then((p) => show(p, run))
        .catch(failure(id));
    },
    confirm: () => {
      const o = getOverlay();
      if (o?.kind !== "confirm") return;
      if (o.plan.secondConfirm && o.stage === 1) return setOverlay({ ...o, stage: 2 });
      runPlan(o.plan);
    },
    submitPrompt: () => {
      const o = getOverlay();
      if (o?.kind !== "prompt") return;
      o.prompt
        .submit(o.text)
        .then((p) => {
          if (getOverlay() !== o) return; // closed or changed meanwhile
          if ("error" in p) setOverlay({ ...o, error: p.error });
          else setOverlay({ kind: "confirm", plan: p, stage: 1 });
        })
        .catch((e: unknown) => setOverlay({ ...o, error: e instanceof Error ? e.message : String(e) }));
    },
    scrollLimits: () => {
      const o = getOverlay();
      if (o?.kind === "detail")
        return {
          max: paneMaxScroll(o.lines, width, bodyHeight),
          page: Math.max(1, paneRows(bodyHeight) - 1),
        };
      const max = helpMaxScroll(
        helpGroups(contextOf(fresh().vm, o, poller.store.getSnapshot().level)),
        bodyHeight,
      );
      return { max, page: Math.max(1, bodyHeight - 4) };
    },
  };

  const handleKey = (input: string, name: string) => {
    if (name === "ctrl-c") return exit();
    const f = fresh();
    const c = contextOf(f.vm, f.overlay, f.state.level);
    let res = resolveKey(name, c);
    // While an action runs, the views keep working (not other actions): Esc hides its dialog.
    if (!res && c.scope === "running") {
      res = resolveKey(name, { ...c, scope: "main" });
      if (res?.binding.runs)
        return say(`${res.binding.label}: wait for the running action (Esc hides it)`, "warn");
    }
    const o = f.overlay;
    if (!res) {
      // A filter or prompt binds Enter and Esc only: every other key is typed into it.
      if (o?.kind === "filter" || o?.kind === "prompt") typeInto(o, name, input);
      // In the column picker, a letter jumps to the next column starting with it.
      if (o?.kind === "sort") sortPickerInput(env, name);
      return;
    }
    if (res.disabled) return say(`${res.binding.label}: ${res.disabled}`, "warn");
    if (c.scope === "main") setStatus(null);
    HANDLERS[res.binding.id](env, name);
  };

  const typeInto = (o: Extract<Overlay, { kind: "filter" | "prompt" }>, name: string, input: string) => {
    const text = edit(o.text, name, input);
    if (text === null) return;
    if (o.kind === "prompt") return setOverlay({ ...o, text, error: null });
    setOverlay({ ...o, text });
    setUi((u) => ({
      ...u,
      filter: { ...u.filter, [u.view]: text },
      cursor: { ...u.cursor, [u.view]: null },
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
    if (name !== null) handleKey(input, name);
  });

  if (size.columns < MIN_WIDTH || size.rows < MIN_HEIGHT) {
    return <TooSmall width={size.columns} height={size.rows} minWidth={MIN_WIDTH} minHeight={MIN_HEIGHT} />;
  }

  const dialog = renderDialog(overlay, width, color, bodyHeight);
  const pickerHeight =
    overlay?.kind === "sort" ? columnPickerHeight(vm.sortChoices.length, pickerRoom(bodyHeight)) : 0;
  const statusText =
    overlay?.kind === "filter"
      ? `filter: ${overlay.text}▏ (Enter keep · Esc restore ${overlay.previous ? `"${overlay.previous}"` : "no filter"} · ~ for a regex)`
      : status
        ? status.text
        : vm.note;
  const badge = tasks.length ? tasks.map((t) => t.label).join(" · ") : null;

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
      ) : overlay?.kind === "detail" ? (
        <TextPane
          title={overlay.title}
          lines={overlay.lines}
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
            height={bodyHeight - (dialog ? dialog.height : 0) - pickerHeight}
            color={color}
          />
          {dialog?.node}
          {overlay?.kind === "sort" ? (
            <ColumnPicker
              choices={vm.sortChoices}
              index={overlay.index}
              current={vm.sort}
              width={width}
              height={pickerHeight}
              color={color}
            />
          ) : null}
        </Box>
      )}
      <StatusLine
        text={statusText ? sanitize(statusText) : null}
        tone={overlay?.kind === "filter" ? "accent" : (status?.tone ?? vm.noteTone ?? "dim")}
        width={width}
        color={color}
      />
      <Footer items={footerItems(ctx)} width={width} color={color} badge={badge} />
    </Box>
  );
}

/** Titles of the "preparing…" dialog while the controller plans (it may ask HAProxy first). */
const HANDLER_TITLES: Partial<Record<string, string>> = {
  reload: "Reload HAProxy",
  weight: "Set weight",
  "weight-up": "Raise weight",
  "weight-down": "Lower weight",
};
