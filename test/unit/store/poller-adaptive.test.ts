import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SocketError } from "../../../src/client/errors.js";
import { buildSnapshot, type Snapshot } from "../../../src/model/snapshot.js";
import type { StatRow } from "../../../src/parse/stat.js";
import { DEFAULT_POLICY } from "../../../src/store/adaptive.js";
import type { Demand } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";

const row = (px: string, sv: string, type: number, iid: number, stot: number, status = "UP"): StatRow => ({
  pxname: px,
  svname: sv,
  type,
  iid,
  stot,
  status,
  scur: 0,
});

/**
 * What HAProxy answers for a demand, on a config of 30 backends (iid 2..31) × 20 servers, plus a
 * frontend `app` (iid 1) and a backend `app` (iid 32) whose server s0 is `appStatus`.
 */
function reply(d: Demand, stot: number, appStatus = "UP", pid = 1): Snapshot {
  const wanted = d.scope?.serversOf;
  const rows: StatRow[] = [row("app", "FRONTEND", 0, 1, stot)];
  const names = [...Array.from({ length: 30 }, (_, b) => `be_${b}`), "app"];
  names.forEach((be, b) => {
    const iid = b + 2;
    if (!wanted || wanted.includes(iid))
      for (let s = 0; s < 20; s++)
        rows.push(row(be, `s${s}`, 2, iid, stot, be === "app" && s === 0 ? appStatus : "UP"));
    rows.push(row(be, "BACKEND", 1, iid, stot));
  });
  return buildSnapshot({ Pid: pid }, rows, Date.now(), "admin");
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const servers = (p: Poller, be: string) =>
  p.store.getSnapshot().snapshot?.backends.find((b) => b.name === be)?.servers ?? [];

describe("Poller: the first frame", () => {
  it("asks for frontends and backends first, then for every server at once", async () => {
    const demands: Demand[] = [];
    const p = new Poller({
      target: "/x",
      intervalMs: 60_000,
      fetch: async (d) => {
        demands.push(d);
        return { snapshot: reply(d, 0), level: "admin" };
      },
    });
    const seen: boolean[] = [];
    p.store.subscribe(() => seen.push(p.store.getSnapshot().serversPending));
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(demands.map((d) => d.scope)).toEqual([{ serversOf: [] }, undefined]);
    expect(seen).toEqual([true, false]); // a frame with the backends, then one with their servers
    expect(servers(p, "be_3")).toHaveLength(20);
    p.stop();
  });

  it("lets a key press queued during the first poll run before the servers are fetched", async () => {
    const order: string[] = [];
    const p = new Poller({
      target: "/x",
      intervalMs: 60_000,
      fetch: async (d) => {
        order.push(d.scope ? "skeleton" : "full");
        // A key arriving while this reply is parsed: its callback waits for the event loop.
        if (d.scope) setImmediate(() => order.push("key"));
        return { snapshot: reply(d, 0), level: "admin" };
      },
    });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(["skeleton", "key", "full"]);
    p.stop();
  });
});

describe("Poller: adaptive polling from the measured cost", () => {
  it("goes scoped after a slow full poll, asks by id, keeps DOWN visible, and is full every Nth poll", async () => {
    let clock = 0;
    let fullCost = 400; // ms a full poll takes (fetch + parse), on the injected clock
    let n = 0;
    const demands: Demand[] = [];
    const p = new Poller({
      target: "/x",
      intervalMs: 1000,
      clock: () => clock,
      adaptive: { minServers: 0 }, // a handful of servers stands for a large config here
      fetch: async (d) => {
        demands.push(d);
        clock += d.scope ? 5 : fullCost;
        n++;
        return { snapshot: reply(d, n * 10, n >= 3 ? "DOWN" : "UP"), level: "admin" };
      },
    });
    p.setDemand({ sessions: false, errors: false, backendsOnScreen: ["app", "be_7", "gone\nname"] });
    const appServers: number[] = [];
    p.store.subscribe(() => appServers.push(servers(p, "app").length));
    p.start();
    await vi.advanceTimersByTimeAsync(2000); // skeleton, full (slow), scoped, scoped
    expect(demands.slice(0, 4).map((d) => d.scope)).toEqual([
      { serversOf: [] },
      undefined,
      { serversOf: [32, 9] },
      { serversOf: [32, 9] },
    ]);
    const s = p.store.getSnapshot();
    expect(s.partialPoll).toBe(true);
    expect(servers(p, "app")[0]!.status).toBe("DOWN"); // seen at the first scoped poll after it went down
    expect(s.events.map((e) => e.text)).toContain("app/s0 UP → DOWN");
    expect(s.snapshot!.backends.every((b) => b.servers.length === 20)).toBe(true);
    // Fetched: a fresh rate. Carried: the rate of the last poll that fetched it.
    expect(s.rates.get("sv/be_7/s0")?.sessPerSec).toBe(10);
    expect(s.rates.get("sv/be_0/s0")?.sessPerSec ?? null).toBeNull(); // a missing key: no rates

    await vi.advanceTimersByTimeAsync(DEFAULT_POLICY.fullEvery * 1000);
    const kinds = demands.slice(1).map((d) => (d.scope ? "scoped" : "full"));
    expect(kinds.slice(0, DEFAULT_POLICY.fullEvery + 1)).toEqual([
      "full",
      ...Array(DEFAULT_POLICY.fullEvery - 1).fill("scoped"),
      "full",
    ]);
    // The backend sharing a frontend's name never showed up empty once its servers were known.
    expect(appServers.slice(1).every((count) => count === 20)).toBe(true);

    expect(p.store.getSnapshot().fullEvery).toBe(DEFAULT_POLICY.fullEvery); // 400 ms: the floor

    // A full poll of 1.5 s: the next full one comes 30 polls later (the most), and the state says so.
    fullCost = 1500;
    const before = demands.length;
    await vi.advanceTimersByTimeAsync(DEFAULT_POLICY.fullEvery * 1000); // up to and past a full poll
    const sinceFull = demands.slice(before);
    const lastFull = before + sinceFull.map((d) => d.scope).lastIndexOf(undefined);
    expect(p.store.getSnapshot().fullEvery).toBe(DEFAULT_POLICY.maxFullEvery);
    await vi.advanceTimersByTimeAsync(DEFAULT_POLICY.maxFullEvery * 1000);
    const next = demands.findIndex((d, i) => i > lastFull && d.scope === undefined);
    expect(next - lastFull).toBe(DEFAULT_POLICY.maxFullEvery);

    // Full polls got cheap: back to full polls every time (from the next full poll on).
    fullCost = 10;
    await vi.advanceTimersByTimeAsync(DEFAULT_POLICY.maxFullEvery * 1000);
    const from = demands.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(demands.slice(from).map((d) => d.scope)).toEqual([undefined, undefined, undefined]);
    expect(p.store.getSnapshot().partialPoll).toBe(false);
    p.stop();
  });

  it("polls everything right after a reload, when ids may have changed", async () => {
    let clock = 0;
    let pid = 1;
    const demands: Demand[] = [];
    const p = new Poller({
      target: "/x",
      intervalMs: 1000,
      clock: () => clock,
      adaptive: { minServers: 0 }, // a handful of servers stands for a large config here
      fetch: async (d) => {
        demands.push(d);
        clock += d.scope ? 5 : 400;
        return { snapshot: reply(d, 0, "UP", pid), level: "admin" };
      },
    });
    p.setDemand({ sessions: false, errors: false, backendsOnScreen: ["be_0"] });
    p.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(demands.at(-1)!.scope).toEqual({ serversOf: [2] });
    pid = 2;
    await vi.advanceTimersByTimeAsync(1000); // scoped: sees the new pid
    expect(demands.at(-1)!.scope).toEqual({ serversOf: [2] });
    expect(servers(p, "be_5")).toHaveLength(20); // carried across the reload, not emptied
    await vi.advanceTimersByTimeAsync(1000);
    expect(demands.at(-1)!.scope).toBeUndefined();
    p.stop();
  });
});

describe("Poller: one store notification per poll", () => {
  it("notifies once for a poll with several events, and once for a failure", async () => {
    let down = false;
    let fail = false;
    const onEvent = vi.fn();
    const p = new Poller({
      target: "/x",
      intervalMs: 1000,
      adaptive: { skeletonFirst: false },
      onEvent,
      fetch: async (d) => {
        if (fail) throw new SocketError("timeout", { kind: "unix", path: "/x" }, "/x: no answer");
        return { snapshot: reply(d, 0, down ? "DOWN" : "UP"), level: "admin" };
      },
    });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    let notified = 0;
    p.store.subscribe(() => notified++);
    fail = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(notified).toBe(1); // link lost: state and event in one update
    fail = false;
    down = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(notified).toBe(2); // connection back + app/s0 DOWN: one update
    expect(onEvent.mock.calls.map(([e]) => e.kind)).toEqual(["link", "state", "link"]);
    p.stop();
  });
});

describe("Poller: the socket level", () => {
  it("asks an HAProxy without `show cli level` once, then again only after a fault or a reload", async () => {
    const asked: boolean[] = [];
    let fail = false;
    let pid = 1;
    const p = new Poller({
      target: "/x",
      intervalMs: 1000,
      fetch: async (d, withLevel) => {
        asked.push(withLevel);
        if (fail) throw new SocketError("socket-missing", { kind: "unix", path: "/x" }, "gone");
        return { snapshot: reply(d, 0, "UP", pid), level: null };
      },
    });
    p.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(asked).toEqual([true, false, false, false, false]); // skeleton asks; then never again
    expect(p.store.getSnapshot().socketLevel).toEqual({ kind: "unsupported" });
    expect(p.store.getSnapshot().level).toBeNull();
    fail = true;
    await vi.advanceTimersByTimeAsync(1000);
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked.slice(5)).toEqual([false, true]); // the poll after the fault asks again
    pid = 2;
    await vi.advanceTimersByTimeAsync(2000);
    expect(asked.slice(7)).toEqual([false, true]); // the poll after a new pid asks again
    p.stop();
  });
});
