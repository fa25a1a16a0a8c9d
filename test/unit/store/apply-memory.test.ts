/** What the state keeps across polls stays bounded (issue 12.4): rates layers and history. */
import { describe, expect, it } from "vitest";
import { buildSnapshot, type Snapshot } from "../../../src/model/snapshot.js";
import type { StatRow } from "../../../src/parse/stat.js";
import { applyPoll, HISTORY_LENGTH, LayeredRates, type PollOutcome } from "../../../src/store/apply.js";
import { initialState, type MonitorState } from "../../../src/store/state.js";

/** Backends a (iid 2) and b (iid 3), one server each; `only`: the servers of that iid alone. */
function snap(at: number, stot: number, only?: number): Snapshot {
  const rows: StatRow[] = [];
  for (const [be, iid] of [
    ["a", 2],
    ["b", 3],
  ] as const) {
    if (only === undefined || only === iid) rows.push({ pxname: be, svname: "s1", type: 2, iid, stot });
    rows.push({ pxname: be, svname: "BACKEND", type: 1, iid, stot });
  }
  return buildSnapshot({ Pid: 1 }, rows, at, null);
}

const full = (snapshot: Snapshot): PollOutcome => ({
  result: { snapshot, level: "admin" },
  kind: "full",
  scope: undefined,
  askedLevel: true,
});
const scoped = (snapshot: Snapshot, iid: number): PollOutcome => ({
  result: { snapshot, level: null },
  kind: "scoped",
  scope: { serversOf: [iid] },
  askedLevel: false,
});

/** How many maps a rates lookup may walk: 1 for a plain Map, 1 + its base's depth for a layer. */
const depth = (m: ReadonlyMap<string, unknown>): number =>
  m instanceof LayeredRates ? 1 + depth(m.base) : 1;

describe("bounded state across polls", () => {
  it("rates stay at most two layers deep through any run of scoped polls, and keep carried servers' rates", () => {
    let s: MonitorState = applyPoll(initialState("/x", 1000), full(snap(1000, 0))).state;
    s = applyPoll(s, full(snap(2000, 100))).state;
    for (let i = 0; i < 50; i++) {
      s = applyPoll(
        s,
        scoped(snap(3000 + i * 1000, 100 + i, i % 2 === 0 ? 2 : 3), i % 2 === 0 ? 2 : 3),
      ).state;
      expect(depth(s.rates)).toBeLessThanOrEqual(2);
    }
    expect(s.rates.get("sv/a/s1")?.sessPerSec).toBe(1);
    expect(s.rates.get("sv/b/s1")?.sessPerSec).toBe(1);
    // A full poll starts from a plain map again.
    s = applyPoll(s, full(snap(60_000, 200))).state;
    expect(depth(s.rates)).toBe(1);
  });

  it("the header's history keeps the last HISTORY_LENGTH samples, however many polls", () => {
    let s: MonitorState = initialState("/x", 1000);
    for (let i = 0; i < HISTORY_LENGTH * 3; i++) s = applyPoll(s, full(snap(1000 + i * 1000, i))).state;
    expect(s.history).toHaveLength(HISTORY_LENGTH);
    expect(s.history[HISTORY_LENGTH - 1]?.at).toBe(1000 + (HISTORY_LENGTH * 3 - 1) * 1000);
  });
});
