import { describe, expect, it } from "vitest";
import type { TimelineEvent } from "../../../../src/store/state.js";
import { eventTone } from "../../../../src/ui/views/timeline.js";

/**
 * The timeline's colours come from each event's kind and fields, never from its text: the texts
 * below say the opposite of the fields on purpose.
 */
describe("timeline colours", () => {
  const at = 0;
  it("a state change by its severity", () => {
    const e = (severity: "good" | "bad" | "warn"): TimelineEvent => ({
      at,
      kind: "state",
      name: "be/s1",
      from: "UP",
      to: "DOWN",
      severity,
      text: "be/s1 DOWN → UP",
    });
    expect(eventTone(e("bad"))).toBe("bad");
    expect(eventTone(e("good"))).toBe("good");
    expect(eventTone(e("warn"))).toBe("warn");
  });

  it("a new pid by its cause: a restart is a warning, a reload an accent", () => {
    const pid = { from: 1, to: 2 };
    expect(eventTone({ at, kind: "pid", pid, cause: "restart", text: "HAProxy reloaded" })).toBe("warn");
    expect(eventTone({ at, kind: "pid", pid, cause: "reload", text: "HAProxy restarted" })).toBe("accent");
  });

  it("the link by whether it is up", () => {
    expect(eventTone({ at, kind: "link", up: false, error: "x", text: "connection back" })).toBe("bad");
    expect(eventTone({ at, kind: "link", up: true, error: "x", text: "connection lost: x" })).toBe("good");
  });

  it("reloads, actions and unread rows by their kind; anything that failed is bad", () => {
    expect(eventTone({ at, kind: "reload", step: "finished", text: "", ok: true })).toBe("accent");
    expect(eventTone({ at, kind: "reload", step: "finished", text: "", ok: false })).toBe("bad");
    expect(eventTone({ at, kind: "action", text: "", ok: true })).toBe("none");
    expect(eventTone({ at, kind: "action", text: "", ok: false })).toBe("bad");
    expect(eventTone({ at, kind: "data", skippedRows: 2, text: "" })).toBe("warn");
  });
});
