import { describe, expect, it } from "vitest";
import { fillRatio, gauge, gaugeCell } from "../../../../src/ui/components/gauge.js";

const len = (s: string) => [...s].length;
const fullCells = (bar: string) => [...bar].filter((c) => c === "█").length;

describe("gauge tones: red only for real limits", () => {
  it("draws a reference (a backend's fullconn) neutral at any fill, past it too", () => {
    for (const cur of [0, 5, 9, 10, 19]) expect(gauge(cur, 10, 10, "reference").tone).toBe("none");
    expect(gauge(19, 10, 10, "reference")).toMatchObject({ label: "19/10", pct: 190, bar: "█".repeat(10) });
    expect(gaugeCell(19, 10, 16, "reference").tone).toBe("none");
  });

  it("draws a limit (maxconn) green, yellow from 80 %, red when reached", () => {
    expect(gauge(5, 10, 10, "limit").tone).toBe("good");
    expect(gauge(8, 10, 10, "limit").tone).toBe("warn");
    expect(gauge(10, 10, 10, "limit").tone).toBe("bad");
    expect(gaugeCell(10, 10, 16).tone).toBe("bad");
  });

  it("measures the fill ratio for sorting (fullest first), none without a max", () => {
    expect(fillRatio(5, 10)).toBe(0.5);
    expect(fillRatio(19, 10)).toBe(1.9);
    expect(fillRatio(5, 0)).toBeNull();
    expect(fillRatio(null, 10)).toBeNull();
  });
});

describe("gauge", () => {
  it("is empty and good at 0 %", () => {
    expect(gauge(0, 100, 10)).toEqual({ bar: "░".repeat(10), label: "0/100", tone: "good", pct: 0 });
  });

  it("is good and not yet at 80 % at 79 %", () => {
    const g = gauge(79, 100, 10);
    expect(g.tone).toBe("good");
    expect(g.pct).toBe(79);
    expect(fullCells(g.bar)).toBe(7);
    expect(g.bar).toBe("███████▉░░");
  });

  it("turns warn at 80 %", () => {
    const g = gauge(80, 100, 10);
    expect(g.tone).toBe("warn");
    expect(g.bar).toBe("████████░░");
  });

  it("is warn and not full at 99 %", () => {
    const g = gauge(99, 100, 10);
    expect(g.tone).toBe("warn");
    expect(g.bar).not.toBe("█".repeat(10));
    expect(fullCells(g.bar)).toBe(9);
  });

  it("is full and bad at 100 %", () => {
    expect(gauge(100, 100, 10)).toEqual({ bar: "█".repeat(10), label: "100/100", tone: "bad", pct: 100 });
  });

  it("stays full and bad above 100 %", () => {
    const g = gauge(120, 100, 10);
    expect(g).toEqual({ bar: "█".repeat(10), label: "120/100", tone: "bad", pct: 120 });
  });

  it("shows a sliver for a small non-zero value", () => {
    expect(gauge(1, 10_000, 10).bar).toBe("▏░░░░░░░░░");
  });

  it("has no tone nor percentage when max is unknown or 0", () => {
    expect(gauge(5, null, 4)).toEqual({ bar: "░░░░", label: "5/-", tone: "none", pct: null });
    expect(gauge(5, 0, 4)).toMatchObject({ label: "5/-", tone: "none", pct: null });
    expect(gauge(null, 10, 4)).toMatchObject({ label: "-/10", tone: "none", pct: null });
  });

  it("always makes a bar of barWidth cells", () => {
    for (const cur of [0, 1, 33, 50, 79, 80, 99, 100, 150]) {
      for (const w of [0, 1, 3, 10, 17]) expect(len(gauge(cur, 100, w).bar)).toBe(w);
    }
  });

  it("labels big numbers compactly", () => {
    expect(gauge(12_345, 100_000, 4).label).toBe("12.3k/100k");
  });
});

describe("gaugeCell", () => {
  it("is bar, blank and label fitted to the width, with the gauge's tone", () => {
    const c = gaugeCell(80, 100, 16);
    expect(c).toEqual({ text: "███████▎░ 80/100", tone: "warn" });
    expect(len(c.text)).toBe(16);
  });

  it("drops the bar when there is no room and still fits", () => {
    expect(gaugeCell(79, 100, 7)).toEqual({ text: "79/100 ", tone: "good" });
    expect(gaugeCell(79, 100, 4)).toEqual({ text: "79/…", tone: "good" });
  });
});
