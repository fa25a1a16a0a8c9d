import { describe, expect, it } from "vitest";
import { appendEvents, MAX_EVENTS } from "../../../src/store/events.js";
import type { TimelineEvent } from "../../../src/store/state.js";

describe("the event timeline", () => {
  it("keeps only the newest MAX_EVENTS events", () => {
    let list: TimelineEvent[] = [];
    for (let i = 0; i < MAX_EVENTS + 250; i++)
      list = appendEvents(list, [{ at: i, kind: "state", text: `e${i}` }]);
    expect(list).toHaveLength(MAX_EVENTS);
    expect(list[0]!.text).toBe("e250");
    expect(list.at(-1)!.text).toBe(`e${MAX_EVENTS + 249}`);
  });

  it("returns the same list when nothing is added", () => {
    const list: TimelineEvent[] = [{ at: 0, kind: "pid", text: "x" }];
    expect(appendEvents(list, [])).toBe(list);
  });
});
