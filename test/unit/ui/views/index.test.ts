import { describe, expect, it } from "vitest";
import { isViewId, nextView, VIEW_IDS, VIEW_TITLES } from "../../../../src/ui/views/index.js";

describe("views", () => {
  it("lists the views in key order", () => {
    expect(VIEW_IDS).toEqual([
      "frontends",
      "backends",
      "sessions",
      "errors",
      "timeline",
      "tables",
      "maps",
      "certs",
      "process",
    ]);
  });

  it("has a title for every view", () => {
    expect(Object.keys(VIEW_TITLES).sort()).toEqual([...VIEW_IDS].sort());
    expect(VIEW_TITLES.backends).toBe("Backends");
    for (const id of VIEW_IDS) expect(VIEW_TITLES[id].length).toBeGreaterThan(0);
  });

  it("recognises view ids", () => {
    expect(isViewId("sessions")).toBe(true);
    expect(isViewId("stats")).toBe(false);
  });

  it("cycles through the views", () => {
    expect(nextView("frontends")).toBe("backends");
    expect(nextView("process")).toBe("frontends");
    expect(nextView("frontends", -1)).toBe("process");
  });
});
