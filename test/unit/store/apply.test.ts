import { describe, expect, it } from "vitest";
import { SocketError } from "../../../src/client/errors.js";
import { NO_RATES } from "../../../src/model/rates.js";
import { buildSnapshot, entriesByKey, type Snapshot } from "../../../src/model/snapshot.js";
import type { StatRow } from "../../../src/parse/stat.js";
import {
  applyFailure,
  applyPoll,
  applySteps,
  MIN_RATE_WINDOW_MS,
  type PollOutcome,
} from "../../../src/store/apply.js";
import type { PollResult } from "../../../src/store/poll.js";
import { initialState, type MonitorState } from "../../../src/store/state.js";

const row = (px: string, sv: string, type: number, iid: number, stot: number, status: string): StatRow => ({
  pxname: px,
  svname: sv,
  type,
  iid,
  stot,
  status,
});

/** Backends a (iid 2) and b (iid 3), two servers each; `only`: the servers of that iid alone. */
function snap(
  at: number,
  stot: number,
  opts: { pid?: number; down?: string[]; only?: number } = {},
): Snapshot {
  const rows: StatRow[] = [];
  for (const [be, iid] of [
    ["a", 2],
    ["b", 3],
  ] as const) {
    if (opts.only === undefined || opts.only === iid)
      for (const sv of ["s1", "s2"])
        rows.push(row(be, sv, 2, iid, stot, opts.down?.includes(`${be}/${sv}`) ? "DOWN" : "UP"));
    rows.push(row(be, "BACKEND", 1, iid, stot, "UP"));
  }
  return buildSnapshot({ Pid: opts.pid ?? 1 }, rows, at, null);
}

const full = (snapshot: Snapshot, level: PollResult["level"] = "admin", askedLevel = true): PollOutcome => ({
  result: { snapshot, level },
  kind: "full",
  scope: undefined,
  askedLevel,
});
const scoped = (snapshot: Snapshot, iid: number): PollOutcome => ({
  result: { snapshot, level: null },
  kind: "scoped",
  scope: { serversOf: [iid] },
  askedLevel: false,
});

/** Freezes a value and everything it holds, so that a mutation throws (ESM is strict mode). */
function deepFreeze<T>(v: T, seen = new Set<unknown>()): T {
  if (v === null || typeof v !== "object" || seen.has(v)) return v;
  seen.add(v);
  if (v instanceof Map)
    for (const [k, x] of v) {
      deepFreeze(k, seen);
      deepFreeze(x, seen);
    }
  for (const x of Object.values(v)) deepFreeze(x, seen);
  return Object.freeze(v);
}

const start = (): MonitorState => initialState("/x", 1000);

describe("applyPoll", () => {
  it("is pure: neither the state nor the snapshots are changed", () => {
    const s0 = applyPoll(start(), full(snap(0, 0))).state;
    const reply = snap(1000, 10, { only: 2, down: ["a/s1"] });
    entriesByKey(reply); // a cache keyed on the reply exists
    deepFreeze(s0);
    deepFreeze(reply);
    const { state, events } = applyPoll(s0, scoped(reply, 2));
    expect(events.map((e) => e.text)).toEqual(["a/s1 UP → DOWN"]);
    expect(state.snapshot!.backends.map((b) => b.servers.length)).toEqual([2, 2]);
    expect(reply.backends[1]!.servers).toHaveLength(0);
    expect(entriesByKey(reply).has("sv/b/s1")).toBe(false); // the cache still matches its snapshot
    expect(state.events).toEqual(events);
    expect(state.partialPoll).toBe(true);
  });

  it("rates: fresh for fetched servers, the last ones for carried servers, none across a reload", () => {
    let s = applyPoll(start(), full(snap(0, 0))).state;
    s = applyPoll(s, full(snap(1000, 100))).state;
    expect(s.rates.get("sv/b/s1")?.sessPerSec).toBe(100);
    s = applyPoll(s, scoped(snap(2000, 300, { only: 2 }), 2)).state;
    expect(s.rates.get("sv/a/s1")?.sessPerSec).toBe(200);
    expect(s.rates.get("sv/b/s1")?.sessPerSec).toBe(100); // carried
    const reloaded = applyPoll(s, scoped(snap(3000, 5, { only: 2, pid: 2 }), 2));
    expect(reloaded.events.map((e) => e.kind)).toEqual(["pid"]);
    expect(reloaded.state.rates.get("sv/b/s1") ?? NO_RATES).toEqual(NO_RATES); // missing = none
    expect(reloaded.state.snapshot!.backends[1]!.servers).toHaveLength(2);
  });

  it("keeps the rates of servers fetched by an earlier scoped poll, and times a delta from the real sample", () => {
    let s = applyPoll(start(), full(snap(0, 0))).state;
    s = applyPoll(s, full(snap(1000, 100))).state; // 100/s everywhere
    s = applyPoll(s, scoped(snap(2000, 300, { only: 2 }), 2)).state; // a: 200/s; b carried (read at 1000)
    s = applyPoll(s, scoped(snap(3000, 400, { only: 3 }), 3)).state; // b: 300 over 2 s; a carried
    expect(s.rates.get("sv/a/s1")?.sessPerSec).toBe(200); // from the scoped poll that fetched it
    expect(s.rates.get("sv/b/s1")?.sessPerSec).toBe(150); // (400 - 100) / 2 s, not / 1 s
    s = applyPoll(s, scoped(snap(4000, 500, { only: 3 }), 3)).state;
    expect(s.rates.get("sv/a/s1")?.sessPerSec).toBe(200);
    expect(s.rates.get("sv/b/s1")?.sessPerSec).toBe(100);
    expect(s.rates.get("be/a")?.sessPerSec).toBe(100);
  });

  it("keeps the last rates when two polls come closer than MIN_RATE_WINDOW_MS", () => {
    let s = applyPoll(start(), full(snap(0, 0))).state;
    s = applyPoll(s, full(snap(1000, 100))).state;
    const history = s.history.length;
    s = applyPoll(s, full(snap(1000 + MIN_RATE_WINDOW_MS - 1, 150))).state;
    expect(s.rates.get("sv/a/s1")?.sessPerSec).toBe(100);
    expect(s.history).toHaveLength(history);
    s = applyPoll(s, full(snap(2000 + MIN_RATE_WINDOW_MS - 1, 250))).state;
    expect(s.rates.get("sv/a/s1")?.sessPerSec).toBe(100);
    expect(s.history).toHaveLength(history + 1);
  });

  it("keeps the socket level in one place: known, unsupported, or unchanged when not asked", () => {
    let s = applyPoll(start(), full(snap(0, 0), "operator")).state;
    expect(s.socketLevel).toEqual({ kind: "known", level: "operator" });
    expect(s.level).toBe("operator");
    s = applyPoll(s, full(snap(1000, 0), null, false)).state;
    expect(s.socketLevel).toEqual({ kind: "known", level: "operator" });
    s = applyPoll(s, full(snap(2000, 0), null, true)).state;
    expect(s.socketLevel).toEqual({ kind: "unsupported" });
    expect(s.level).toBeNull();
    expect(start().socketLevel).toEqual({ kind: "unknown" });
  });

  it("says the connection is back after a fault", () => {
    const s = applyPoll(start(), full(snap(0, 0))).state;
    const failed = applyFailure(
      s,
      new SocketError("timeout", { kind: "unix", path: "/x" }, "slow"),
      500,
      1000,
    );
    expect(failed.state).toMatchObject({ link: "stale", error: "slow", retryAt: 1500 });
    expect(failed.events.map((e) => e.text)).toEqual(["connection lost: slow"]);
    expect(applyFailure(failed.state, new Error("again"), 600, 2000).events).toEqual([]);
    const back = applyPoll(failed.state, full(snap(1000, 0)));
    expect(back.events.map((e) => e.text)).toEqual(["connection back (slow cleared)"]);
    expect(back.state.link).toBe("ok");
  });
});

describe("applyPoll: unreadable rows", () => {
  const withSkipped = (at: number, n: number): Snapshot => ({ ...snap(at, 0), statRowsSkipped: n });

  it("puts each new count of skipped show stat rows on the timeline once", () => {
    const texts: string[] = [];
    let s = start();
    const poll = (o: PollOutcome) => {
      const r = applyPoll(s, o);
      s = r.state;
      texts.push(...r.events.filter((e) => e.kind === "data").map((e) => e.text));
    };
    poll(full(withSkipped(0, 3)));
    poll(full(withSkipped(1000, 3)));
    poll(scoped(withSkipped(2000, 0), 2)); // scoped: the bad rows were not asked for
    poll(full(withSkipped(3000, 3)));
    poll(full(withSkipped(4000, 1)));
    poll(full(withSkipped(5000, 0)));
    poll(full(withSkipped(6000, 1)));
    expect(texts).toEqual([
      "3 rows of show stat could not be read (skipped)",
      "1 row of show stat could not be read (skipped)",
      "1 row of show stat could not be read (skipped)",
    ]);
  });
});

describe("applySteps", () => {
  /** 2 backends × 2,000 servers: enough entries for the walk to yield. */
  function big(at: number, stot: number): Snapshot {
    const rows: StatRow[] = [];
    for (const [be, iid] of [
      ["a", 2],
      ["b", 3],
    ] as const) {
      for (let i = 0; i < 2000; i++) rows.push(row(be, `s${i}`, 2, iid, stot, "UP"));
      rows.push(row(be, "BACKEND", 1, iid, stot, "UP"));
    }
    return buildSnapshot({ Pid: 1 }, rows, at, null);
  }

  it("yields during a large walk and merges into the state of the moment it ends", () => {
    const s = applyPoll(start(), full(big(0, 0))).state;
    const steps = applySteps(s, full(big(1000, 10)));
    expect(steps.next().done).toBe(false); // a turn for the event loop mid-walk
    let step = steps.next();
    while (!step.done) step = steps.next();
    // Meanwhile a key paused the monitor and an action added an event.
    const action = { at: 500, kind: "action" as const, text: "set server a/s1 state drain" };
    const latest: MonitorState = { ...s, paused: true, events: [...s.events, action] };
    const { state } = step.value(latest);
    expect(state.paused).toBe(true);
    expect(state.events).toContainEqual(action);
    expect(state.rates.get("sv/b/s1999")?.sessPerSec).toBe(10);
    expect(state.snapshot!.takenAt).toBe(1000);
  });
});
