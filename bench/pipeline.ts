import { computeRates } from "../src/model/rates.js";
import type { Snapshot } from "../src/model/snapshot.js";
import { stateChanges } from "../src/store/events.js";
import { initialState, type MonitorState } from "../src/store/state.js";
import { moveCursor } from "../src/ui/cursor.js";
import { initialUiState, type UiState, type ViewModelCache, viewModel } from "../src/ui/viewModel.js";
import { type Summary, summarize, timeSync } from "./stats.js";

/** The App's body at 160×50 (rows - 1 - header 4 - tab bar, status line, footer). */
export const BENCH_WIDTH = 160;
export const BENCH_BODY_HEIGHT = 50 - 1 - 4 - 3;

export interface PipelineFigures {
  computeRates: Summary;
  stateChanges: Summary;
  viewModelFirst: Summary;
  viewModelCached: Summary;
  /** Cached rows, cursor on a server half-way down: the per-call O(rows) work that stays. */
  viewModelCachedMidServer: Summary;
  rows: number;
}

/** A MonitorState as the Poller holds it after two polls. */
export function stateOf(prev: Snapshot, cur: Snapshot): MonitorState {
  return { ...initialState("bench", 1000), snapshot: cur, rates: computeRates(prev, cur), link: "ok" };
}

/** The backends view, every backend unfolded (the default), sorted by sessions, biggest first. */
export function backendsUi(): UiState {
  const ui = initialUiState();
  return {
    ...ui,
    view: "backends",
    sort: { ...ui.sort, backends: { columnId: "sessions", descending: true } },
  };
}

export function measurePipeline(prev: Snapshot, cur: Snapshot, n: number): PipelineFigures {
  const rates = timeSync(() => computeRates(prev, cur), n);
  const changes = timeSync(() => stateChanges(prev, cur), n);
  const state = stateOf(prev, cur);
  const ui = backendsUi();
  // A fresh cache each time: the rows are built (a new poll, a new sort or filter).
  const first = timeSync(() => viewModel(state, ui, BENCH_WIDTH, BENCH_BODY_HEIGHT, {}), n);
  const cache: ViewModelCache = {};
  const vm = viewModel(state, ui, BENCH_WIDTH, BENCH_BODY_HEIGHT, cache);
  // Same inputs: what a key press or a clock tick costs once the rows exist.
  const cached = timeSync(() => viewModel(state, ui, BENCH_WIDTH, BENCH_BODY_HEIGHT, cache), n * 5);
  const mid = moveCursor(vm.keys, vm.keys[Math.floor(vm.keys.length / 2)] ?? null, "down", 1);
  const uiMid = { ...ui, cursor: { ...ui.cursor, backends: mid } };
  const vmMid = viewModel(state, uiMid, BENCH_WIDTH, BENCH_BODY_HEIGHT, cache);
  if (vmMid.selection.kind !== "server")
    throw new Error(`expected a server under the cursor, got ${vmMid.selection.kind}`);
  const cachedMid = timeSync(() => viewModel(state, uiMid, BENCH_WIDTH, BENCH_BODY_HEIGHT, cache), n * 5);
  return {
    computeRates: summarize(rates),
    stateChanges: summarize(changes),
    viewModelFirst: summarize(first),
    viewModelCached: summarize(cached),
    viewModelCachedMidServer: summarize(cachedMid),
    rows: vm.rows.length,
  };
}
