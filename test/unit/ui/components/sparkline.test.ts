import { describe, expect, it } from "vitest";
import { sparkline } from "../../../../src/ui/components/sparkline.js";

describe("sparkline", () => {
  it("scales to the largest value", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([0, 10, 20, 30, 40, 50, 60, 70], 8)).toBe("▁▂▃▄▅▆▇█");
  });

  it("shows null as a blank", () => {
    expect(sparkline([7, null, 7], 3)).toBe("█ █");
  });

  it("keeps the last width values and scales to them only", () => {
    // The 1000 has scrolled out, so 4 is the top.
    expect(sparkline([1000, 0, 2, 4], 3)).toBe("▁▅█");
  });

  it("pads on the left when there are fewer values than the width", () => {
    expect(sparkline([1, 2], 5)).toBe("   ▅█");
    expect(sparkline([], 3)).toBe("   ");
  });

  it("draws zeros low and handles all-zero history", () => {
    expect(sparkline([0, 0, 0], 3)).toBe("▁▁▁");
  });

  it("is empty for a zero width", () => {
    expect(sparkline([1, 2, 3], 0)).toBe("");
  });
});
