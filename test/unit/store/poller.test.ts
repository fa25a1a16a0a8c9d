import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SocketError } from "../../../src/client/errors.js";
import { buildSnapshot } from "../../../src/model/snapshot.js";
import { parseInfo } from "../../../src/parse/info.js";
import { parseStat } from "../../../src/parse/stat.js";
import type { Demand, PollResult } from "../../../src/store/poll.js";
import { backoffMs, Poller, type PollerOptions } from "../../../src/store/poller.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/haproxy-2.6/${name}`, import.meta.url), "utf8");
const INFO = parseInfo(fixture("show-info.txt"));
const ROWS = parseStat(fixture("show-stat.txt"));

/** A poll result from the captured replies, with a few fields changed. */
function result(opts: { pid?: number; stot?: number; app1?: string } = {}): PollResult {
  const info = { ...INFO, Pid: opts.pid ?? 100 };
  const rows = ROWS.map((r) => {
    const row = { ...r };
    if (r.pxname === "fe_main" && r.svname === "FRONTEND" && opts.stot !== undefined) row.stot = opts.stot;
    if (r.svname === "app1" && opts.app1) row.status = opts.app1;
    return row;
  });
  return { snapshot: buildSnapshot(info, rows, Date.now(), "admin"), level: "admin" };
}

const target = { kind: "unix", path: "/x" } as const;

/** A poller that polls everything from the start: these tests are about timing, rates and faults. */
const poller = (opts: PollerOptions) => new Poller({ adaptive: { skeletonFirst: false }, ...opts });
const gone = () => new SocketError("socket-missing", target, "/x: no such socket");

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Poller", () => {
  it("polls once per interval and never overlaps polls", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const fetch = vi.fn(async () => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1500)); // slower than the interval
      inFlight--;
      return result();
    });
    const p = poller({ target: "/x", intervalMs: 1000, fetch });
    p.start();
    p.refreshNow(); // coalesced with the poll under way
    await vi.advanceTimersByTimeAsync(10_000);
    p.stop();
    expect(maxInFlight).toBe(1);
    // Each poll takes 1.5 s and the next starts 1 s after it ends: 2.5 s per poll, plus the coalesced one.
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(calls).toBeLessThanOrEqual(5);
  });

  it("computes rates from deltas and resets them on a new pid", async () => {
    const replies = [
      result({ stot: 100 }),
      result({ stot: 300 }),
      result({ stot: 5, pid: 200 }),
      result({ stot: 25, pid: 200 }),
    ];
    const fetch = vi.fn(async () => {
      const r = replies.shift()!;
      return { ...r, snapshot: { ...r.snapshot, takenAt: Date.now() } };
    });
    const p = poller({ target: "/x", intervalMs: 1000, fetch });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(p.store.getSnapshot().rates.get("fe/fe_main")?.sessPerSec).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(p.store.getSnapshot().rates.get("fe/fe_main")?.sessPerSec).toBe(200);
    await vi.advanceTimersByTimeAsync(1000);
    const s = p.store.getSnapshot();
    expect(s.rates.get("fe/fe_main")?.sessPerSec).toBeNull(); // new pid: no negative rate
    expect(s.pidChange).toMatchObject({ from: 100, to: 200 });
    expect(s.events.some((e) => e.kind === "pid" && e.text.includes("100 → 200"))).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(p.store.getSnapshot().rates.get("fe/fe_main")?.sessPerSec).toBe(20);
    p.stop();
  });

  it("keeps the last data when HAProxy goes away, backs off, and recovers by itself", async () => {
    let down = false;
    const fetch = vi.fn(async () => {
      if (down) throw gone();
      return result();
    });
    const p = poller({ target: "/x", intervalMs: 1000, fetch });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    const first = p.store.getSnapshot().snapshot;
    down = true;
    await vi.advanceTimersByTimeAsync(1000);
    let s = p.store.getSnapshot();
    expect(s.link).toBe("disconnected");
    expect(s.error).toContain("no such socket");
    expect(s.snapshot).toBe(first);
    expect(s.retryAt! - Date.now()).toBe(1000);
    const before = fetch.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    expect(fetch.mock.calls.length - before).toBe(3); // retries after 1, 2 and 4 s
    expect(p.store.getSnapshot().retryAt! - Date.now()).toBe(5000); // capped at 5 s
    down = false;
    await vi.advanceTimersByTimeAsync(5000);
    s = p.store.getSnapshot();
    expect(s.link).toBe("ok");
    expect(s.error).toBeNull();
    expect(s.events.map((e) => e.kind)).toEqual(["link", "link"]);
    p.stop();
  });

  it("marks a timeout STALE rather than DISCONNECTED", async () => {
    const fetch = vi.fn(async () => {
      throw new SocketError("timeout", target, "/x: no complete answer within 2000 ms");
    });
    const p = poller({ target: "/x", intervalMs: 1000, fetch });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(p.store.getSnapshot().link).toBe("stale");
    p.stop();
  });

  it("pauses, refreshes on demand while paused, and changes the interval within bounds", async () => {
    const fetch = vi.fn(async () => result());
    const p = poller({ target: "/x", intervalMs: 1000, fetch });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    p.togglePause();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch).toHaveBeenCalledTimes(1);
    p.refreshNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(2);
    p.togglePause();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(3);
    p.setIntervalMs(100);
    expect(p.store.getSnapshot().intervalMs).toBe(500);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(5);
    p.setIntervalMs(999_999);
    expect(p.store.getSnapshot().intervalMs).toBe(60_000);
    p.stop();
  });

  it("asks for sessions only while they are wanted, and at once", async () => {
    const demands: Demand[] = [];
    const fetch = vi.fn(async (d: Demand) => {
      demands.push({ ...d });
      return result();
    });
    const p = poller({ target: "/x", intervalMs: 1000, fetch });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    p.setDemand({ sessions: true, errors: false });
    await vi.advanceTimersByTimeAsync(0);
    p.setDemand({ sessions: false, errors: false });
    await vi.advanceTimersByTimeAsync(1000);
    expect(demands.map((d) => d.sessions)).toEqual([false, true, false]);
    p.stop();
  });

  it("records server state changes in the timeline", async () => {
    const replies = [result(), result({ app1: "DOWN" })];
    const onEvent = vi.fn();
    const p = poller({
      target: "/x",
      intervalMs: 1000,
      fetch: async () => replies.shift() ?? result(),
      onEvent,
    });
    p.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(p.store.getSnapshot().events.map((e) => e.text)).toContain("be_app/app1 UP → DOWN");
    expect(onEvent).toHaveBeenCalledWith(
      expect.objectContaining({ kind: "state", text: "be_app/app1 UP → DOWN" }),
    );
    p.stop();
  });
});

describe("backoffMs", () => {
  it("doubles up to 5 s", () => {
    expect([1, 2, 3, 4, 9].map(backoffMs)).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
