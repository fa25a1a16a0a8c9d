import { describe, expect, it, vi } from "vitest";
import { buildSnapshot, type Snapshot } from "../../../src/model/snapshot.js";
import type { StatRow } from "../../../src/parse/stat.js";
import {
  carryServers,
  FULL_POLL_EVERY,
  LARGE_CONFIG_SERVERS,
  scopeFor,
} from "../../../src/store/adaptive.js";
import type { Demand, PollResult } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";

const row = (px: string, sv: string, type: number, stot = 0, status = "UP"): StatRow => ({
  pxname: px,
  svname: sv,
  type,
  stot,
  status,
  scur: 0,
  slim: null,
});

/** A config of `backends` × `servers`, with only the servers of `serversOf` when given (a scoped reply). */
function snapshot(
  backends: number,
  servers: number,
  serversOf?: string[],
  stot = 0,
  at = Date.now(),
): Snapshot {
  const rows: StatRow[] = [row("fe", "FRONTEND", 0)];
  for (let b = 0; b < backends; b++) {
    const be = `be_${b}`;
    if (!serversOf || serversOf.includes(be))
      for (let s = 0; s < servers; s++) rows.push(row(be, `s${s}`, 2, stot));
    rows.push(row(be, "BACKEND", 1, stot));
  }
  return buildSnapshot({ Pid: 1 }, rows, at, "admin");
}

describe("scopeFor", () => {
  it("polls everything on small configs and before the size is known", () => {
    expect(scopeFor(null, { sessions: false, errors: false }, 3)).toBeUndefined();
    expect(scopeFor(LARGE_CONFIG_SERVERS, { sessions: false, errors: false }, 3)).toBeUndefined();
  });

  it("on large configs polls the servers on screen, and everything every Nth poll", () => {
    const needs = { sessions: false, errors: false, backendsOnScreen: ["be_1"] };
    expect(scopeFor(LARGE_CONFIG_SERVERS + 1, needs, 1)).toEqual({ serversOf: ["be_1"] });
    expect(scopeFor(LARGE_CONFIG_SERVERS + 1, { sessions: false, errors: false }, 2)).toEqual({
      serversOf: [],
    });
    expect(scopeFor(LARGE_CONFIG_SERVERS + 1, needs, FULL_POLL_EVERY)).toBeUndefined();
  });
});

describe("carryServers", () => {
  it("keeps the previous servers of the backends a scoped poll did not fetch", () => {
    const prev = snapshot(3, 2);
    const cur = snapshot(3, 2, ["be_1"]);
    const carried = carryServers(prev, cur, { serversOf: ["be_1"] });
    expect(cur.backends.map((b) => b.servers.length)).toEqual([2, 2, 2]);
    expect(cur.backends[0]!.servers).toBe(prev.backends[0]!.servers);
    expect(cur.backends[1]!.servers).not.toBe(prev.backends[1]!.servers);
    expect([...carried].sort()).toEqual(["sv/be_0/s0", "sv/be_0/s1", "sv/be_2/s0", "sv/be_2/s1"]);
    expect(carryServers(prev, snapshot(3, 2), undefined).size).toBe(0);
  });
});

describe("Poller on a large config", () => {
  it("asks for the servers on screen, keeps the rest with their rates, and polls everything every 10th time", async () => {
    vi.useFakeTimers();
    try {
      const demands: Demand[] = [];
      let n = 0;
      const fetch = async (d: Demand): Promise<PollResult> => {
        demands.push(d);
        n++;
        const snap = snapshot(60, 100, d.scope?.serversOf, n * 10, Date.now());
        return { snapshot: snap, level: "admin" };
      };
      const p = new Poller({ target: "/x", intervalMs: 1000, fetch });
      p.setDemand({ sessions: false, errors: false, backendsOnScreen: ["be_7"] });
      p.start();
      await vi.advanceTimersByTimeAsync(2000); // polls 0, 1, 2
      expect(demands[0]!.scope).toBeUndefined();
      expect(demands[1]!.scope).toEqual({ serversOf: ["be_7"] });
      const s = p.store.getSnapshot();
      expect(s.partialPoll).toBe(true);
      expect(s.snapshot!.backends.every((b) => b.servers.length === 100)).toBe(true);
      // Fetched: a fresh rate. Carried: the rate of the last poll that fetched it (the full one had none).
      expect(s.rates.get("sv/be_7/s0")?.sessPerSec).toBe(10);
      expect(s.rates.get("sv/be_0/s0")?.sessPerSec).toBeNull();
      await vi.advanceTimersByTimeAsync(8000);
      expect(demands[FULL_POLL_EVERY]!.scope).toBeUndefined();
      expect(p.store.getSnapshot().partialPoll).toBe(false);
      p.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
