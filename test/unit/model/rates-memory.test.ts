import { describe, expect, it } from "vitest";
import { computeRates, NO_RATES } from "../../../src/model/rates.js";
import { buildSnapshot, type Snapshot } from "../../../src/model/snapshot.js";
import { STAT_TYPE, type StatRow } from "../../../src/parse/stat.js";

const server = (svname: string, fields: StatRow): StatRow => ({
  pxname: "be",
  svname,
  type: STAT_TYPE.server,
  ...fields,
});
const backend: StatRow = { pxname: "be", svname: "BACKEND", type: STAT_TYPE.backend };
const snap = (at: number, rows: StatRow[]): Snapshot =>
  buildSnapshot({ Pid: 10 }, [...rows, backend], at, null);

describe("rates of idle entries are shared (issue 12.4: memory per entry and poll)", () => {
  const counters = { bin: 100, bout: 50, stot: 3, econ: 0, eresp: 0, wretr: 0, wredis: 0, qcur: 0 };
  const prev = snap(0, [
    server("a", counters),
    server("b", counters),
    server("busy", counters),
    server("http", { ...counters, hrsp_5xx: 1 }),
  ]);
  const cur = snap(1000, [
    server("a", counters),
    server("b", counters),
    server("busy", { ...counters, bin: 600 }),
    server("http", { ...counters, hrsp_5xx: 1 }),
  ]);
  const rates = computeRates(prev, cur);
  const at = (key: string) => rates.get(`sv/be/${key}`) ?? NO_RATES;

  it("two idle servers with the same fields get the same frozen object, with the same values as before", () => {
    expect(at("a")).toBe(at("b"));
    expect(Object.isFrozen(at("a"))).toBe(true);
    expect(at("a")).toEqual({
      ...NO_RATES,
      binPerSec: 0,
      boutPerSec: 0,
      sessPerSec: 0,
      econPerSec: 0,
      erespPerSec: 0,
      wretrPerSec: 0,
      wredisPerSec: 0,
      queueGrowthPerSec: 0,
    });
  });

  it("an idle entry with other fields (0 instead of null) gets another shared object", () => {
    expect(at("http")).not.toBe(at("a"));
    expect(at("http").http5xxPerSec).toBe(0);
    expect(at("a").http5xxPerSec).toBeNull();
  });

  it("an entry with traffic gets its own rates", () => {
    expect(at("busy")).not.toBe(at("a"));
    expect(at("busy").binPerSec).toBe(500);
    expect(Object.isFrozen(at("busy"))).toBe(false);
  });
});
