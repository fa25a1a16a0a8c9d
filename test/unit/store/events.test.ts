import { describe, expect, it } from "vitest";
import { buildSnapshot, type Snapshot } from "../../../src/model/snapshot.js";
import { carryServers } from "../../../src/store/adaptive.js";
import { appendEvents, changedPairs, MAX_EVENTS, unreadRowsEvent } from "../../../src/store/events.js";
import type { TimelineEvent } from "../../../src/store/state.js";

describe("the event timeline", () => {
  it("keeps only the newest MAX_EVENTS events", () => {
    let list: TimelineEvent[] = [];
    for (let i = 0; i < MAX_EVENTS + 250; i++)
      list = appendEvents(list, [{ at: i, kind: "data", skippedRows: 1, text: `e${i}` }]);
    expect(list).toHaveLength(MAX_EVENTS);
    expect(list[0]!.text).toBe("e250");
    expect(list.at(-1)!.text).toBe(`e${MAX_EVENTS + 249}`);
  });

  it("returns the same list when nothing is added", () => {
    const list: TimelineEvent[] = [
      { at: 0, kind: "pid", pid: { from: 1, to: 2 }, cause: "reload", text: "x" },
    ];
    expect(appendEvents(list, [])).toBe(list);
  });
});

describe("unreadRowsEvent", () => {
  const snap = (skipped: number): Snapshot => ({
    ...buildSnapshot({}, [], 0, null),
    statRowsSkipped: skipped,
  });

  it("reports a new count once, as a data event, against the previous snapshot or the count given", () => {
    expect(unreadRowsEvent(null, snap(0))).toBeNull();
    expect(unreadRowsEvent(null, snap(2))).toMatchObject({
      kind: "data",
      skippedRows: 2,
      text: "2 rows of show stat could not be read (skipped)",
    });
    expect(unreadRowsEvent(snap(2), snap(2))).toBeNull();
    expect(unreadRowsEvent(snap(0), snap(2), 2)).toBeNull(); // already reported by an earlier poll
    expect(unreadRowsEvent(snap(2), snap(1))?.text).toBe("1 row of show stat could not be read (skipped)");
  });
});

describe("changedPairs", () => {
  const rows = (only?: string) =>
    ["a", "b", "c"].flatMap((be, i) => [
      ...(only && only !== be
        ? []
        : [0, 1, 2].map((s) => ({ pxname: be, svname: `s${s}`, type: 2, iid: i + 2 }))),
      { pxname: be, svname: "BACKEND", type: 1, iid: i + 2 },
    ]);

  it("walks every entry after a full poll, and skips the servers a scoped poll carried", () => {
    const prev = buildSnapshot({}, rows(), 0, null);
    const full = buildSnapshot({}, rows(), 1000, null);
    expect([...changedPairs(prev, full)]).toHaveLength(12);
    const { snapshot: scoped } = carryServers(prev, buildSnapshot({}, rows("b"), 1000, null), {
      serversOf: [3],
    });
    const walked = [...changedPairs(prev, scoped)].map(([e]) => e.key);
    expect(walked).toEqual(["be/a", "be/b", "sv/b/s0", "sv/b/s1", "sv/b/s2", "be/c"]);
  });
});
