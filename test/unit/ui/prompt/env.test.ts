import { describe, expect, it } from "vitest";
import {
  classifyReply,
  MAX_TIMELINE_REPLY,
  outcomeSummary,
  timelineReply,
  trimReply,
} from "../../../../src/actions/cliSession.js";
import { MAX_PANE_LINES, replyLines } from "../../../../src/ui/prompt/env.js";

const answered = (reply: string, status: "ok" | "denied" | "unknown" = "ok") =>
  ({ kind: "answered", status, reply, durationMs: 1 }) as const;

describe("replies", () => {
  it("are classified by the start of each command's output", () => {
    expect(classifyReply("1 (initial 1)")).toBe("ok");
    expect(classifyReply("Permission denied")).toBe("denied");
    expect(classifyReply("Name: HAProxy\n\nPermission denied")).toBe("denied");
    expect(classifyReply("Unknown command: 'foo', but maybe…\n  show info : x")).toBe("unknown");
    // Inside a dump, not at an output's start: data, not a refusal.
    expect(classifyReply("0x1 key=Permission denied\nline2 Permission denied")).toBe("ok");
    expect(trimReply("1 (initial 1)\n\n")).toBe("1 (initial 1)");
    expect(trimReply("a\r\nb\n")).toBe("a\nb");
  });

  it("summed up in one line for the status line and the timeline", () => {
    expect(outcomeSummary("get weight a/b", answered("1 (initial 1)"))).toBe(
      ": get weight a/b → 1 (initial 1)",
    );
    expect(outcomeSummary("show info", answered("Name: HAProxy\nVersion: 3"))).toBe(
      ": show info → Name: HAProxy (+1 lines)",
    );
    expect(outcomeSummary("set weight a/b 1", answered(""))).toBe(": set weight a/b 1 → (empty reply: done)");
    expect(outcomeSummary("x", answered("Permission denied", "denied"))).toMatch(/Permission denied/);
  });

  it("the pane holds at most MAX_PANE_LINES, and says how many more", () => {
    const big = Array.from({ length: MAX_PANE_LINES + 123 }, (_, i) => `${i} k v`).join("\n");
    const lines = replyLines(answered(big));
    expect(lines).toHaveLength(MAX_PANE_LINES + 2);
    expect(lines.at(-1)).toBe("… 123 more lines not shown (haptop cli prints the whole reply)");
    expect(replyLines(answered(""))).toEqual(["(empty reply: HAProxy accepted the command)"]);
    expect(replyLines(answered("Permission denied", "denied"))[0]).toMatch(/level is too low/);
  });

  it("the timeline keeps at most MAX_TIMELINE_REPLY characters of a reply, cut at a line", () => {
    expect(timelineReply("short")).toBe("short");
    const big = "0123456789abcde\n".repeat(MAX_TIMELINE_REPLY / 8);
    const kept = timelineReply(big);
    expect(kept.length).toBeLessThan(MAX_TIMELINE_REPLY + 100);
    expect(kept).toMatch(/\n… \(\d+\+ more characters not kept\)$/);
  });
});
