import { describe, expect, it } from "vitest";
import { wordWrap } from "../../../src/ui/wrap.js";

describe("wordWrap", () => {
  it("breaks at spaces, keeps words whole and the indentation of continuation lines", () => {
    expect(wordWrap("This leaves be_app with NO server able", 20)).toEqual([
      "This leaves be_app",
      "with NO server able",
    ]);
    expect(wordWrap("  be_app/app1 weight 10 (initial 50)", 20)).toEqual([
      "  be_app/app1 weight",
      "  10 (initial 50)",
    ]);
  });
  it("cuts only a word longer than the width, and hides nothing", () => {
    const out = wordWrap(`set server ${"a".repeat(30)}/b state maint`, 20);
    for (const l of out) expect([...l].length).toBeLessThanOrEqual(20);
    expect(out.join("").replace(/ /g, "")).toBe(`setserver${"a".repeat(30)}/bstatemaint`);
  });
  it("leaves a short line alone", () => {
    expect(wordWrap("short", 20)).toEqual(["short"]);
    expect(wordWrap("x", 0)).toEqual([]);
  });
});
