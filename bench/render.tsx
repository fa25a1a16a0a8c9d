import { render } from "ink-testing-library";
import type { Snapshot } from "../src/model/snapshot.js";
import type { PollResult } from "../src/store/poll.js";
import { Poller } from "../src/store/poller.js";
import { App } from "../src/ui/App.js";
import type { ActionController } from "../src/ui/plan.js";
import { BENCH_WIDTH } from "./pipeline.js";
import { type Summary, sleep, summarize } from "./stats.js";

const DOWN = "\u001b[B";
const SIZE = { columns: BENCH_WIDTH, rows: 50 };

export interface RenderFigures {
  /** First data frame after the poller's first poll (frontends view). */
  mount: number;
  /** `2`: key → first frame of the backends view (its rows are built then). */
  switchToBackends: number;
  /** Cursor down: key → changed frame. */
  keyToFrame: Summary;
  /** Frames Ink wrote per cursor key. */
  framesPerKey: number;
  /** A new poll result (already parsed) → the frame that shows it: Poller.apply + rows + render. */
  pollToFrame: Summary;
  frameBytes: number;
  frameLines: number;
}

const controller: ActionController = {
  reloadUnavailable: null,
  plan: async () => ({ error: "bench" }),
};

/**
 * Mounts the whole App with ink-testing-library (Ink in debug mode: every render is written, no
 * frame throttling), fed by a Poller whose fetch returns an already parsed snapshot.
 */
export async function measureRender(
  prev: Snapshot,
  cur: Snapshot,
  keys: number,
  polls: number,
): Promise<RenderFigures> {
  let next = 0;
  const results: PollResult[] = [prev, cur].map((snapshot) => ({ snapshot, level: "admin" }));
  let takenAt = cur.takenAt;
  const poller = new Poller({
    target: "bench",
    intervalMs: 60_000,
    // A new snapshot object each poll (as a real poll gives), alternating the two captured ones.
    fetch: async () => {
      const r = results[next++ % 2]!;
      takenAt += 1000;
      return { ...r, snapshot: { ...r.snapshot, takenAt } };
    },
  });
  const t0 = performance.now();
  const app = render(
    <App
      poller={poller}
      controller={controller}
      color={true}
      readOnly={false}
      size={SIZE}
      clockMs={3_600_000}
    />,
  );
  // ink-testing-library's stdout says 100 columns; the App is 160 wide.
  Object.defineProperty(app.stdout, "columns", { get: () => SIZE.columns });
  let frames = 0;
  let wake: (() => void) | null = null;
  const write = app.stdout.write;
  app.stdout.write = (frame: string) => {
    write(frame);
    frames++;
    wake?.();
  };
  /** Resolves once `ok(lastFrame)` holds, checking after every frame Ink writes. */
  const until = async (ok: (frame: string) => boolean, what: string): Promise<void> => {
    const end = Date.now() + 20_000;
    while (!ok(app.lastFrame() ?? "")) {
      if (Date.now() > end) throw new Error(`render bench: timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
      wake = null;
    }
  };
  try {
    poller.start();
    await until((f) => f.includes("fe_main"), "the first frame with data");
    const mount = performance.now() - t0;
    await sleep(20);

    let t = performance.now();
    app.stdin.write("2");
    await until((f) => f.includes("be_1") && f.includes("srv1"), "the backends view");
    const switchToBackends = performance.now() - t;
    await sleep(20);

    const perKey: number[] = [];
    const framesBefore = frames;
    // The cursor stops on the last row: never ask for more moves than there are rows below it.
    let rows = cur.backends.length;
    for (const b of cur.backends) rows += b.servers.length;
    const moves = Math.max(1, Math.min(keys, rows - 1));
    for (let i = 0; i < moves; i++) {
      const before = app.lastFrame();
      t = performance.now();
      app.stdin.write(DOWN);
      await until((f) => f !== before, "the cursor to move");
      perKey.push(performance.now() - t);
      // Let any render the key scheduled land before the next key.
      await sleep(1);
    }
    const framesPerKey = (frames - framesBefore) / moves;

    const perPoll: number[] = [];
    for (let i = 0; i < polls; i++) {
      const before = frames;
      t = performance.now();
      poller.refreshNow();
      await until(() => frames > before, "a poll to reach the screen");
      perPoll.push(performance.now() - t);
      await sleep(5);
    }

    const frame = app.lastFrame() ?? "";
    return {
      mount,
      switchToBackends,
      keyToFrame: summarize(perKey),
      framesPerKey,
      pollToFrame: summarize(perPoll),
      frameBytes: Buffer.byteLength(frame, "utf8"),
      frameLines: frame.split("\n").length,
    };
  } finally {
    poller.stop();
    app.unmount();
    app.cleanup();
  }
}
