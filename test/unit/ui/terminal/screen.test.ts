import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Screen } from "../../../../src/ui/terminal/screen.js";
import { cellsOf, emulator, feed, rawScreen } from "./emulator.js";

const COLS = 40;
const ROWS = 8;

// Text that exercises the cell model: ASCII, CJK and full-width (2 columns), combining marks,
// VS16 and BMP emoji (2 columns), flags (a cluster of two code points), box drawing.
const ALPHABET = [
  "a",
  "b",
  "Z",
  " ",
  " ",
  "-",
  "汉",
  "字",
  "한",
  "Ａ",
  "e\u0301",
  "ä",
  "⌚",
  "☕",
  "✔️",
  "🇫🇷",
  "│",
  "█",
];
const WIDTH: Record<string, number> = { 汉: 2, 字: 2, 한: 2, Ａ: 2, "⌚": 2, "☕": 2, "✔️": 2, "🇫🇷": 2 };
// Openings and closings as chalk writes them, plus an unclosed one that carries over to the next line.
const OPEN = [
  "",
  "\x1b[31m",
  "\x1b[7m",
  "\x1b[1;44m",
  "\x1b[38;5;208m",
  "\x1b[48;2;10;20;30m",
  "\x1b[2;3;4m",
];
const CLOSE = ["", "\x1b[0m", "\x1b[39m", "\x1b[27m", "\x1b[22;49m"];

const span = fc.record({
  open: fc.constantFrom(...OPEN),
  text: fc.array(fc.constantFrom(...ALPHABET), { maxLength: 8 }),
  close: fc.constantFrom(...CLOSE),
});

/** One line of at most COLS columns. */
const line = fc.array(span, { maxLength: 4 }).map((spans) => {
  let width = 0;
  let out = "";
  for (const s of spans) {
    out += s.open;
    for (const t of s.text) {
      const w = WIDTH[t] ?? 1;
      if (width + w > COLS) break;
      width += w;
      out += t;
    }
    out += s.close;
  }
  return out;
});

/** A first frame, then frames that each change a few of the previous frame's lines. */
const frames = fc
  .tuple(
    fc.array(line, { minLength: 0, maxLength: ROWS }),
    fc.array(fc.array(fc.tuple(fc.nat(ROWS - 1), line), { maxLength: 3 }), { minLength: 1, maxLength: 6 }),
  )
  .map(([first, edits]) => {
    const out = [first.join("\n")];
    let current = [...first];
    for (const edit of edits) {
      current = [...current];
      for (const [r, l] of edit) {
        while (current.length <= r) current.push("");
        current[r] = l;
      }
      out.push(current.join("\n"));
    }
    return out;
  });

describe("Screen (cell-diffing writer)", () => {
  it("leaves the terminal exactly as a full redraw of each frame would (random frame sequences)", async () => {
    await fc.assert(
      fc.asyncProperty(frames, async (sequence) => {
        const screen = new Screen(COLS, ROWS);
        const term = emulator(COLS, ROWS);
        for (const frame of sequence) {
          await feed(term, screen.update(frame));
          expect(cellsOf(term)).toEqual(await rawScreen(frame, COLS, ROWS));
        }
        term.dispose();
      }),
      { numRuns: 150, seed: 20261129 },
    );
  });

  it("a full redraw after invalidate() draws the same screen", async () => {
    await fc.assert(
      fc.asyncProperty(frames, async (sequence) => {
        const screen = new Screen(COLS, ROWS);
        const term = emulator(COLS, ROWS);
        // Garbage on screen (as after a SIGCONT): the full redraw must clear it.
        await feed(term, "\x1b[41mgarbage\x1b[3;3Hmore 汉字");
        for (const frame of sequence) screen.update(frame);
        screen.invalidate();
        const last = sequence[sequence.length - 1] as string;
        await feed(term, screen.update(last));
        expect(cellsOf(term)).toEqual(await rawScreen(last, COLS, ROWS));
        term.dispose();
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("writes nothing when the frame did not change visibly", () => {
    const screen = new Screen(COLS, ROWS);
    expect(screen.update("\x1b[1mhaptop\x1b[22m 12:00:01")).not.toBe("");
    expect(screen.update("\x1b[1mhaptop\x1b[22m 12:00:01")).toBe("");
    // Different escapes, same cells (as after a re-render that styles the same text another way).
    expect(screen.update("\x1b[1mhaptop\x1b[0m 12:00:01   ")).toBe("");
  });

  it("sends only the changed cells: a clock tick is one cursor move and one character", () => {
    const screen = new Screen(160, 45);
    const body = Array.from({ length: 40 }, (_, i) => `row ${i} ${"x".repeat(100)}`).join("\n");
    screen.update(`haptop 12:00:01\n${body}`);
    expect(screen.update(`haptop 12:00:02\n${body}`)).toBe("\x1b[1;15H2");
  });

  it("moves the cursor relatively when that is shorter: one column of changes down the rows", () => {
    const screen = new Screen(160, 45);
    const rows = (s: string) => Array.from({ length: 30 }, (_, i) => `srv${i}`.padEnd(110) + s).join("\n");
    screen.update(rows("13s"));
    const out = screen.update(rows("14s"));
    // Up from where the full draw ended, then "down one, back one" (CUD + backspace) per digit.
    expect(out).toBe(`\x1b[29A\b\b4${"\x1b[B\b4".repeat(29)}`);
  });

  it("rewrites both halves of a wide character that a narrow one replaces in part", async () => {
    const screen = new Screen(10, 2);
    const term = emulator(10, 2);
    await feed(term, screen.update("a汉b"));
    // The new frame keeps column 2 (the right half's column) as a space: the diff must still
    // write it, since the terminal blanks the whole wide character when its left half changes.
    const next = "aZ b";
    await feed(term, screen.update(next));
    expect(cellsOf(term)).toEqual(await rawScreen(next, 10, 2));
    term.dispose();
  });

  it("keeps a flag (two code points, one wide cell) whole when only its second half changes", async () => {
    const screen = new Screen(10, 2);
    const term = emulator(10, 2);
    await feed(term, screen.update("a\u{1F1EB}\u{1F1F7}b"));
    const next = "a\u{1F1EB}\u{1F1EA}b";
    await feed(term, screen.update(next));
    expect(cellsOf(term)).toEqual(await rawScreen(next, 10, 2));
    term.dispose();
  });

  it("draws everything after a resize", () => {
    const screen = new Screen(20, 4);
    screen.update("one\ntwo");
    screen.resize(30, 5);
    expect(screen.update("one\ntwo")).toMatch(/^\x1b\[0m\x1b\[2J/);
  });
});
