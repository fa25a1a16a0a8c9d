import { createRequire } from "node:module";
import type * as Graphemes from "@xterm/addon-unicode-graphemes";
import xterm from "@xterm/headless";

// Under vitest the addon's packed Unicode tables fail to inflate ("Data error") when it decodes them
// with Buffer (the slice it gets is not at offset 0); without Buffer it falls back to atob.
const graphemes = (() => {
  const g = globalThis as { Buffer?: unknown };
  const saved = g.Buffer;
  g.Buffer = undefined;
  try {
    return createRequire(import.meta.url)("@xterm/addon-unicode-graphemes") as typeof Graphemes;
  } finally {
    g.Buffer = saved;
  }
})();

/**
 * A headless xterm.js: a real terminal emulator model to replay bytes into. Unicode 15 with
 * grapheme clusters, like the terminals haptop targets (and like string-width, which Ink lays out
 * with). Known gap: @xterm/headless 6.0 gives single astral-plane emoji (👍) one column, where
 * string-width and most terminals give two, so the generated frames use BMP emoji (⌚ ☕ ⚡ ✔️).
 */
export function emulator(cols: number, rows: number): xterm.Terminal {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  term.loadAddon(new graphemes.UnicodeGraphemesAddon());
  term.unicode.activeVersion = "15-graphemes";
  return term;
}

export function feed(term: xterm.Terminal, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

/** Every cell of the visible screen as text: character, width, colours (mode + value), attributes. */
export function cellsOf(term: xterm.Terminal): string[] {
  const buf = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    const cells: string[] = [];
    for (let x = 0; x < term.cols; x++) {
      const c = line?.getCell(x);
      if (!c) {
        cells.push("?");
        continue;
      }
      // An erased cell and a written space look the same: the terminal shows a blank either way.
      const ch = c.getChars() === "" && c.getWidth() === 1 ? " " : c.getChars();
      const attrs = [c.isBold(), c.isDim(), c.isItalic(), c.isUnderline(), c.isBlink(), c.isInverse()]
        .concat([c.isInvisible(), c.isStrikethrough()])
        .map((on) => (on ? 1 : 0))
        .join("");
      const fg = `${c.getFgColorMode()}:${c.getFgColor()}`;
      const bg = `${c.getBgColorMode()}:${c.getBgColor()}`;
      cells.push(`${ch}|${c.getWidth()}|${fg}|${bg}|${attrs}`);
    }
    out.push(cells.join(" "));
  }
  return out;
}

/** What a terminal shows for an Ink frame written whole onto a cleared screen. */
export async function rawScreen(frame: string, cols: number, rows: number): Promise<string[]> {
  const term = emulator(cols, rows);
  await feed(term, `\x1b[H\x1b[2J${frame.split("\n").join("\r\n")}`);
  const cells = cellsOf(term);
  term.dispose();
  return cells;
}
