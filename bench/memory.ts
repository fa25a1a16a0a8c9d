import { buildSnapshot, type Snapshot } from "../src/model/snapshot.js";
import { parseInfo } from "../src/parse/info.js";
import { parseStat } from "../src/parse/stat.js";
import { HISTORY_LENGTH, Poller } from "../src/store/poller.js";
import type { Capture } from "./poll.js";
import { type Summary, summarize } from "./stats.js";

const gc = (globalThis as { gc?: () => void }).gc;

/** True when run with --expose-gc: heap figures are then taken after a full collection. */
export const HAVE_GC = typeof gc === "function";

function settle(): NodeJS.MemoryUsage {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage();
}

/**
 * Heap that what `make` returns keeps alive. A plain function, so that no temporary of an async
 * frame keeps a value alive longer than meant (that skews deltas by a whole snapshot).
 */
function retainedBy(make: () => unknown): number {
  const before = settle().heapUsed;
  const held = [make()];
  const after = settle().heapUsed;
  held.length = 0;
  return after - before;
}

export interface MemoryFigures {
  /** Heap held by the Poller's state (one snapshot, its rates, 120 history samples), bytes. */
  stateHeap: number;
  /** Heap growth between poll 60 and the last poll (should be ~0: bounded), bytes. */
  growth: number;
  polls: number;
  /** Heap of one snapshot's `show stat` rows as parseStat builds them, bytes. */
  snapshotHeap: number;
  /** The same rows copied with `{ ...row }` (V8 fast-mode objects), bytes: what a fast-mode parse could hold. */
  snapshotHeapFastObjects: number;
  heapUsed: number;
  rss: number;
  /** Poller.apply per poll (computeRates, stateChanges, history), ms. */
  applyPerPoll: Summary;
  samples: number;
}

/**
 * Feeds a Poller 120 polls (a new snapshot object each, alternating two freshly parsed ones) and
 * measures what its state holds. Heap deltas are measured against a baseline taken before the
 * snapshots were parsed, so they count everything the state keeps alive.
 */
export async function measureMemory(capture: Capture): Promise<MemoryFigures> {
  const parse = (takenAt: number): Snapshot =>
    buildSnapshot(parseInfo(capture.infoText), parseStat(capture.statText), takenAt, null);

  // One snapshot alone: rows as parsed (dictionary-mode objects), then the same rows in fast mode.
  const snapshotHeap = retainedBy(() => parse(0));
  const snapshotHeapFastObjects = retainedBy(() =>
    parse(0).backends.flatMap((b) => [{ ...b.stats }, ...b.servers.map((s) => ({ ...s.stats }))]),
  );

  const baseline = settle().heapUsed;
  const source: { a: Snapshot | null; b: Snapshot | null } = { a: parse(0), b: parse(1000) };
  let n = 0;
  let t = Date.now();
  const poller = new Poller({
    target: "bench",
    intervalMs: 60_000,
    fetch: async () => {
      const s = n++ % 2 === 0 ? source.a : source.b;
      if (!s) throw new Error("source released");
      t += 1000;
      return { snapshot: { ...s, takenAt: t }, level: "admin" };
    },
  });
  const apply: number[] = [];
  const pollOnce = async () => {
    const before = poller.store.getSnapshot();
    const t0 = performance.now();
    poller.refreshNow();
    while (poller.store.getSnapshot() === before) await new Promise((r) => setImmediate(r));
    apply.push(performance.now() - t0);
  };
  poller.start();
  while (poller.store.getSnapshot().snapshot === null) await new Promise((r) => setImmediate(r));
  const polls = HISTORY_LENGTH;
  let at60 = 0;
  for (let i = 2; i <= polls; i++) {
    await pollOnce();
    if (i === 60) at60 = settle().heapUsed;
  }
  const atEnd = settle().heapUsed;
  poller.stop();
  // Let go of the two parsed snapshots: whatever is still there is held by the poller's state.
  source.a = null;
  source.b = null;
  const held = settle();
  const history = poller.store.getSnapshot().history.length;
  const stateHeap = held.heapUsed - baseline;
  return {
    stateHeap,
    growth: atEnd - at60,
    polls,
    snapshotHeap,
    snapshotHeapFastObjects,
    heapUsed: held.heapUsed,
    rss: held.rss,
    applyPerPoll: summarize(apply.slice(5)),
    samples: history,
  };
}
