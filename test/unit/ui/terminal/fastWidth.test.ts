import fc from "fast-check";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import fastStringWidth from "../../../../src/ui/terminal/fastWidth.js";

// ASCII, SGR escapes, haptop's box drawing and blocks, and everything that takes string-width's
// slow path: CJK, marks, joiners, flags, VS16, jamo, controls, an OSC hyperlink.
const PIECES = [
  "a",
  " ",
  "~",
  "\x1b[31m",
  "\x1b[0m",
  "\x1b[38;5;208m",
  "░",
  "▁",
  "█",
  "▾",
  "│",
  "…",
  "·",
  "→",
];
const SLOW = [
  "汉",
  "é",
  "e\u0301",
  "👩‍💻",
  "🇫🇷",
  "✔️",
  "\u1100\u1161",
  "\t",
  "\x85",
  "\x1b]8;;x\x07",
  "\u00ad",
  "ｱ",
];

describe("fastStringWidth (string-width's fast path for the build)", () => {
  it("gives string-width's answer for any mix of ASCII, escapes, box drawing and hard cases", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES, ...SLOW), { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(fastStringWidth(text)).toBe(stringWidth(text));
      }),
      { numRuns: 2000, seed: 12 },
    );
  });

  it("passes options through", () => {
    expect(fastStringWidth("\x1b[31mab", { countAnsiEscapeCodes: true })).toBe(
      stringWidth("\x1b[31mab", { countAnsiEscapeCodes: true }),
    );
  });
});
