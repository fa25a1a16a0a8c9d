import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { TooSmall } from "../../../../src/ui/components/TooSmall.js";
import { lines } from "./frame.js";

describe("TooSmall", () => {
  it("says the size and the minimum", () => {
    const out = lines(render(<TooSmall width={60} height={20} />).lastFrame());
    expect(out).toEqual(["terminal too small: 60×20, need at least 80×24"]);
  });

  it("uses the given minimum and stays within the width", () => {
    const out = lines(render(<TooSmall width={30} height={5} minWidth={100} minHeight={30} />).lastFrame());
    expect(out).toEqual(["terminal too small: 30×5, nee…"]);
  });
});
