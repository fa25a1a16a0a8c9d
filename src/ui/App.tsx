import { Box, useApp } from "ink";
import { useEffect, useRef, useSyncExternalStore } from "react";
import type { CliSession } from "../actions/cliSession.js";
import type { Poller } from "../store/poller.js";
import { sanitize } from "../text/sanitize.js";
import { backendsNear, useClock } from "./appParts.js";
import { Footer } from "./components/Footer.js";
import { Header } from "./components/Header.js";
import { helpMaxScroll } from "./components/HelpOverlay.js";
import { StatusLine } from "./components/StatusLine.js";
import { visibleWindow } from "./components/Table.js";
import { paneMaxScroll, paneRows } from "./components/TextPane.js";
import { TooSmall } from "./components/TooSmall.js";
import { validCursor } from "./cursor.js";
import type { Fresh, HandlerEnv } from "./handlers.js";
import { footerItems, helpGroups, type KeyContext } from "./keymap.js";
import { MainPane } from "./MainPane.js";
import { type Overlay, scopeOf } from "./overlay.js";
import type { ActionController, ActionPlan, Planned } from "./plan.js";
import { namesFromSnapshot } from "./prompt/complete.js";
import { createPromptEnv } from "./prompt/env.js";
import { promptStatus } from "./prompt/state.js";
import { ScreenProvider } from "./ScreenProvider.js";
import { MIN_HEIGHT, MIN_WIDTH } from "./screen.js";
import { TabBar } from "./TabBar.js";
import type { Tone } from "./table/types.js";
import { ThemeProvider, useLayout } from "./theme.js";
import { initialState, reduceUi, type UiAction, type UiState } from "./uiState.js";
import { useKeys } from "./useKeys.js";
import { useSyncState } from "./useSyncState.js";
import { type ViewModel, type ViewModelCache, viewModel, viewQueries } from "./viewModel.js";

export { MIN_HEIGHT, MIN_WIDTH } from "./screen.js";

export interface AppProps {
  poller: Poller;
  controller: ActionController;
  color: boolean;
  readOnly: boolean;
  /** Ticks the header's "updated … ago" and retry countdown. */
  clockMs?: number;
  /** Set when opened from the fleet overview: `0` calls it to go back. */
  onFleet?: () => void;
  /** Fixed size for tests; the terminal's otherwise. */
  size?: { columns: number; rows: number };
  /** The Runtime API prompt's session (`:`): sends typed commands; absent, `:` says so. */
  cli?: CliSession;
}

/**
 * The TUI: the theme (colour on/off) and the screen's layout (from the terminal's size) go into
 * React context here (theme.tsx), so components read them instead of having them passed down.
 */
export function App(props: AppProps) {
  return (
    <ThemeProvider color={props.color}>
      <ScreenProvider size={props.size}>
        <Screen {...props} />
      </ScreenProvider>
    </ThemeProvider>
  );
}

/**
 * State in, keys to handlers (handlers.ts) through the keymap registry, overlays on top.
 * No I/O here: actions are planned and run by the controller; every promise is caught.
 */
function Screen(props: AppProps) {
  const { poller, controller, readOnly } = props;
  const state = useSyncExternalStore(poller.store.subscribe, poller.store.getSnapshot);
  const layout = useLayout();
  const { size } = layout;
  const { exit } = useApp();
  // One state, changed only by reduceUi; read back at once (useSyncState) so fast keys see each other.
  const [ui, getUi, setUi] = useSyncState<UiState>(initialState);
  const dispatch = (action: UiAction) => setUi((u) => reduceUi(u, action));
  const overlay = ui.overlay;
  const getOverlay = () => getUi().overlay;
  const setOverlay = (o: Overlay) => dispatch({ type: "overlay", overlay: o });
  const [status, , setStatus] = useSyncState<{ text: string; tone: Tone } | null>(() => null);
  const [tasks, , setTasks] = useSyncState<{ id: number; label: string }[]>(() => []);
  const counter = useRef(0);
  const now = useClock(props.clockMs ?? 1000);
  const cache = useRef<ViewModelCache>({}).current;
  const { width, height, bodyHeight } = layout;

  const contextOf = (vm: ViewModel, o: Overlay, level: KeyContext["level"]): KeyContext => ({
    scope: scopeOf(o),
    view: getUi().view,
    row: vm.selection.kind,
    level,
    readOnly,
    reloadUnavailable: controller.reloadUnavailable,
    allBackends: o?.kind === "confirm" && !!o.plan.allBackends,
    fleet: props.onFleet !== undefined,
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
  const onScreen = vm.view === "backends" ? backendsNear(vm.rows, scrollTop, vm.tableHeight) : [];
  const onScreenKey = onScreen.join("\u0000");
  // A panel view's extra queries (stick tables, maps…): re-sent when their keys change.
  const queries = viewQueries(state, ui);
  const queriesRef = useRef(queries);
  queriesRef.current = queries;
  const queryKeys = queries.map((q) => q.key).join("\u0000");
  // biome-ignore lint/correctness/useExhaustiveDependencies: queryKeys stands for the queries (read via the ref).
  useEffect(() => {
    poller.setDemand({
      sessions: ui.view === "sessions",
      errors: ui.view === "errors",
      backendsOnScreen: onScreenKey ? onScreenKey.split("\u0000") : [],
      extras: queriesRef.current,
    });
  }, [poller, ui.view, onScreenKey, queryKeys]);

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
    fleet: props.onFleet,
    fresh,
    dispatch,
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
    cli: props.cli
      ? createPromptEnv({
          cli: props.cli,
          getOverlay,
          setOverlay,
          say,
          names: () => namesFromSnapshot(poller.store.getSnapshot().snapshot, props.cli?.objects()),
        })
      : null,
  };

  useKeys({ env, contextOf, clearStatus: () => setStatus(null) });

  if (size.columns < MIN_WIDTH || size.rows < MIN_HEIGHT) {
    return <TooSmall width={size.columns} height={size.rows} minWidth={MIN_WIDTH} minHeight={MIN_HEIGHT} />;
  }

  const prompt = overlay?.kind === "cli" ? promptStatus(overlay, readOnly) : null;
  const statusText = prompt
    ? prompt.text
    : overlay?.kind === "filter"
      ? `filter: ${overlay.text}▏ (Enter keep · Esc restore ${overlay.previous ? `"${overlay.previous}"` : "no filter"} · ~ for a regex)`
      : status
        ? status.text
        : vm.note;
  const badge = tasks.length ? tasks.map((t) => t.label).join(" · ") : null;

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Header state={state} now={now} readOnly={readOnly} />
      <TabBar view={ui.view} filter={vm.filterLabel} sortLabel={vm.sortLabel} extra={vm.tabExtra} />
      <MainPane
        vm={vm}
        overlay={overlay}
        helpGroups={() => helpGroups(ctx)}
        cursorKey={cursorKey}
        scrollTop={scrollTop}
      />
      <StatusLine
        text={statusText ? sanitize(statusText) : null}
        tone={
          prompt?.tone ?? (overlay?.kind === "filter" ? "accent" : (status?.tone ?? vm.noteTone ?? "dim"))
        }
      />
      <Footer items={footerItems(ctx)} badge={badge} />
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
