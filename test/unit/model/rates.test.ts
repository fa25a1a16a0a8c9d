import { describe, expect, it } from "vitest";
import {
  computeGlobalRates,
  computeRates,
  denialRate,
  errorRate,
  NO_RATES,
  percentOf,
  retryRate,
} from "../../../src/model/rates.js";
import { buildSnapshot, type Snapshot } from "../../../src/model/snapshot.js";
import { STAT_TYPE, type StatRow } from "../../../src/parse/stat.js";
import { applyPoll } from "../../../src/store/apply.js";
import { initialState } from "../../../src/store/state.js";

const fe = (fields: StatRow): StatRow => ({
  pxname: "fe",
  svname: "FRONTEND",
  type: STAT_TYPE.frontend,
  ...fields,
});
const be = (fields: StatRow): StatRow => ({
  pxname: "be",
  svname: "BACKEND",
  type: STAT_TYPE.backend,
  ...fields,
});
const sv = (fields: StatRow): StatRow => ({ pxname: "be", svname: "s1", type: STAT_TYPE.server, ...fields });

function snap(at: number, rows: StatRow[], info: Record<string, number | string> = {}): Snapshot {
  return buildSnapshot({ Pid: 10, ...info }, rows, at, null);
}

describe("computeRates: what goes wrong, per second, from counter deltas", () => {
  const before = snap(10_000, [
    fe({ req_tot: 1000, hrsp_5xx: 10, hrsp_4xx: 5, ereq: 2, dreq: 1, dresp: 0 }),
    sv({ hrsp_5xx: 3, econ: 1, eresp: 0, wretr: 4, wredis: 1, qcur: 0, req_tot: 200 }),
    be({ hrsp_5xx: 10, econ: 1, eresp: 2, wretr: 4, wredis: 1, qcur: 2, req_tot: 500 }),
  ]);
  const after = snap(12_000, [
    fe({ req_tot: 1200, hrsp_5xx: 40, hrsp_4xx: 9, ereq: 8, dreq: 5, dresp: 2 }),
    sv({ hrsp_5xx: 3, econ: 7, eresp: 1, wretr: 10, wredis: 2, qcur: 6, req_tot: 260 }),
    be({ hrsp_5xx: 40, econ: 7, eresp: 4, wretr: 10, wredis: 2, qcur: 8, req_tot: 600 }),
  ]);
  const r = computeRates(before, after);

  it("gives a frontend's 5xx per second and as a % of its requests", () => {
    const f = r.get("fe/fe")!;
    // 30 5xx in 2 s = 15/s, out of 200 requests in 2 s = 100/s: 15 %.
    expect(f.http5xxPerSec).toBe(15);
    expect(f.reqPerSec).toBe(100);
    expect(percentOf(f.http5xxPerSec, f.reqPerSec)).toBe(15);
    expect(f.http4xxPerSec).toBe(2);
    expect(f.ereqPerSec).toBe(3);
    expect(denialRate(f)).toBe(3);
    expect(errorRate(f)).toBe(3); // a frontend has ereq only
  });

  it("gives a backend's and a server's errors, retries, redispatches and queue growth", () => {
    const b = r.get("be/be")!;
    expect(b.http5xxPerSec).toBe(15);
    expect(b.econPerSec).toBe(3);
    expect(b.erespPerSec).toBe(1);
    expect(errorRate(b)).toBe(4);
    expect(retryRate(b)).toBe(3.5);
    expect(b.queueGrowthPerSec).toBe(3);
    const s = r.get("sv/be/s1")!;
    expect(s.http5xxPerSec).toBe(0);
    expect(percentOf(s.http5xxPerSec, s.reqPerSec)).toBe(0);
    expect(s.queueGrowthPerSec).toBe(3);
  });

  it("has no rate without a baseline, across a new pid, or when a counter went backwards", () => {
    expect(computeRates(null, after).get("fe/fe")).toEqual(NO_RATES);
    const reloaded = buildSnapshot(
      { Pid: 11 },
      after.frontends.map((f) => f.stats),
      12_000,
      null,
    );
    expect(computeRates(before, reloaded).get("fe/fe")!.http5xxPerSec).toBeNull();
    const cleared = snap(12_000, [fe({ req_tot: 0, hrsp_5xx: 0, ereq: 8 })]);
    const c = computeRates(before, cleared).get("fe/fe")!;
    expect(c.http5xxPerSec).toBeNull();
    expect(c.ereqPerSec).toBe(3);
  });

  it("keeps a missing counter missing (a TCP proxy has no 5xx): null, not 0", () => {
    const a = snap(0, [fe({ stot: 1 })]);
    const b = snap(1000, [fe({ stot: 5 })]);
    const f = computeRates(a, b).get("fe/fe")!;
    expect(f.sessPerSec).toBe(4);
    expect(f.http5xxPerSec).toBeNull();
    expect(errorRate(f)).toBeNull();
    expect(percentOf(null, 10)).toBeNull();
    expect(percentOf(1, 0)).toBeNull();
  });
});

describe("computeGlobalRates: the header", () => {
  const a = snap(0, [fe({ req_tot: 100, hrsp_5xx: 0, ereq: 0, req_rate: 3 }), be({ econ: 0, eresp: 0 })], {
    ConnRate: 0,
    SessRate: 0,
    CumConns: 500,
    CumReq: 100,
  });
  const b = snap(
    4000,
    [fe({ req_tot: 180, hrsp_5xx: 8, ereq: 2, req_rate: 20 }), be({ econ: 1, eresp: 1 })],
    // An idle HAProxy polled by haptop: CumConns grows by the CLI connections, ConnRate does not.
    { ConnRate: 0, SessRate: 0, CumConns: 504, CumReq: 180 },
  );

  it("takes HAProxy's own rates, not deltas that count haptop's polling", () => {
    const g = computeGlobalRates(a, b);
    expect(g.connPerSec).toBe(0);
    expect(g.sessPerSec).toBe(0);
    expect(g.reqPerSec).toBe(20); // the frontends' req_rate
  });

  it("gives 5xx/s with its % of requests, and errors/s, from the counters' deltas", () => {
    const g = computeGlobalRates(a, b);
    expect(g.http5xxPerSec).toBe(2);
    expect(g.http5xxPct).toBe(10);
    expect(g.errPerSec).toBe(1); // (2 ereq + 1 econ + 1 eresp) / 4 s
    expect(computeGlobalRates(null, b).http5xxPerSec).toBeNull();
  });

  it("falls back to deltas only for a field the release lacks", () => {
    const old1 = snap(0, [], { CumConns: 10, CumReq: 5 });
    const old2 = snap(2000, [], { CumConns: 14, CumReq: 9 });
    const g = computeGlobalRates(old1, old2);
    expect(g.connPerSec).toBe(2);
    expect(g.reqPerSec).toBe(2);
    expect(g.sessPerSec).toBeNull();
  });
});

describe("the header's history", () => {
  it("carries HAProxy's own rates and the 5xx and error rates of each poll", () => {
    const a = snap(0, [fe({ req_tot: 10, hrsp_5xx: 0, ereq: 0, req_rate: 1 })], { ConnRate: 3, SessRate: 2 });
    const b = snap(2000, [fe({ req_tot: 30, hrsp_5xx: 4, ereq: 2, req_rate: 9 })], {
      ConnRate: 5,
      SessRate: 4,
    });
    const poll = (snapshot: Snapshot) => ({
      result: { snapshot, level: null },
      kind: "full" as const,
      scope: undefined,
      askedLevel: false,
    });
    const s1 = applyPoll(initialState("/x", 1000), poll(a)).state;
    const s2 = applyPoll(s1, poll(b)).state;
    expect(s2.history.at(-1)).toMatchObject({
      connPerSec: 5,
      sessPerSec: 4,
      reqPerSec: 9,
      http5xxPerSec: 2,
      http5xxPct: 20,
      errPerSec: 1,
    });
  });
});
