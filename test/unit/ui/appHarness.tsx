import { readFileSync } from "node:fs";
import { render } from "ink-testing-library";
import { afterEach, expect, vi } from "vitest";
import { buildSnapshot } from "../../../src/model/snapshot.js";
import { parseErrors } from "../../../src/parse/errors.js";
import { parseInfo } from "../../../src/parse/info.js";
import type { CliLevel } from "../../../src/parse/level.js";
import { parseSess } from "../../../src/parse/sess.js";
import { parseStat } from "../../../src/parse/stat.js";
import type { PollResult } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";
import { App } from "../../../src/ui/App.js";
import type { ActionController, ActionPlan, Selection } from "../../../src/ui/plan.js";
import { plain } from "./components/frame.js";

/** Mounting the App on fixtures with a recording controller, and pressing keys. */
// Styles on (not colours: the App runs with color={false}) so the cursor row's inverse shows.
vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/haproxy-2.6/${name}`, import.meta.url), "utf8");

export function pollResult(
  level: CliLevel,
  mutate?: (rows: ReturnType<typeof parseStat>) => void,
): PollResult {
  const rows = parseStat(fixture("show-stat.txt"));
  mutate?.(rows);
  return {
    snapshot: buildSnapshot(parseInfo(fixture("show-info.txt")), rows, Date.now(), level),
    level,
    sessions: { ok: true, value: parseSess(fixture("show-sess.txt")) },
    errors: { ok: true, value: parseErrors(fixture("show-errors.txt")) },
  };
}

/** A controller that records what the App asks for, and runs nothing real. */
export function recordingController() {
  const planned: { id: string; sel: Selection }[] = [];
  const ran: string[] = [];
  const controller: ActionController = {
    reloadUnavailable: null,
    plan: async (id, sel) => {
      planned.push({ id, sel });
      const plan: ActionPlan = {
        title: `do ${id}`,
        notes: [],
        commands: [`exact command for ${id}`],
        tone: "accent",
        secondConfirm: id === "clear-all" ? "really?" : undefined,
        run: async () => {
          ran.push(id);
          return { ok: true, message: `${id} done` };
        },
      };
      return plan;
    },
  };
  return { controller, planned, ran };
}

/**
 * Lets Ink and React finish with the keys written, without a wall-clock sleep: Ink parses input
 * synchronously on write but holds a lone Esc until a setImmediate (it could start an escape
 * sequence), and an update made there is rendered by React's scheduler, which also runs on
 * setImmediate in Node. ink-testing-library renders in debug mode (no frame throttle). So a few
 * turns of the check phase, each queued after the previous one, see the key's frame.
 */
export async function tick(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}
export async function press(stdin: { write: (s: string) => void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
}

/** The row under the cursor (drawn inverse), styling removed. */
export function cursorLine(frame: string | undefined): string {
  const raw = (frame ?? "")
    .split("\n")
    .find((l) => l.includes("\u001b[7m") && !/^ 1 /.test(plain(l)) && !l.includes("READ-ONLY"));
  return plain(raw);
}

/** Moves the cursor down until its row matches `row` (rows are ordered by the view's sort). */
export async function cursorTo(
  app: { stdin: { write: (s: string) => void }; lastFrame: () => string | undefined },
  row: RegExp,
) {
  await press(app.stdin, "\u001b[H"); // Home
  for (let i = 0; i < 30 && !row.test(cursorLine(app.lastFrame())); i++) await press(app.stdin, "\u001b[B");
  expect(cursorLine(app.lastFrame())).toMatch(row);
}

export const KEYS = {
  down: "\u001b[B",
  up: "\u001b[A",
  enter: "\r",
  esc: "\u001b",
  tab: "\t",
  pagedown: "\u001b[6~",
};

export interface MountOptions {
  level?: CliLevel;
  readOnly?: boolean;
  size?: { columns: number; rows: number };
  result?: PollResult;
  /** Each poll's result (default: `result`, the same every time). */
  fetch?: () => Promise<PollResult>;
  /** Default: a recording controller. */
  controller?: ActionController;
  waitFor?: RegExp;
}

export async function mount(opts: MountOptions = {}) {
  const result = opts.result ?? pollResult(opts.level ?? "admin");
  const poller = new Poller({
    target: "/run/x.sock",
    intervalMs: 60_000,
    fetch: opts.fetch ?? (async () => result),
  });
  const rec = recordingController();
  const app = render(
    <App
      poller={poller}
      controller={opts.controller ?? rec.controller}
      color={false}
      readOnly={opts.readOnly ?? false}
      size={opts.size ?? { columns: 120, rows: 40 }}
      clockMs={60_000}
    />,
  );
  poller.start();
  await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(opts.waitFor ?? /fe_main/));
  return { ...app, poller, ...rec };
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});
export async function mounted(opts: MountOptions = {}) {
  const m = await mount(opts);
  cleanup.push(() => {
    m.poller.stop();
    m.unmount();
  });
  return m;
}
