/**
 * Turns a terminal dump with SGR escapes (`tmux capture-pane -p -e`) into a standalone SVG of a
 * terminal window: monospace, dark background, one <text> per line and one <tspan> per style run.
 * Understands 16/256/truecolor foreground and background, bold, dim, italic, underline,
 * strikethrough, inverse, hidden and resets; other escape sequences are dropped.
 *
 *   tsx scripts/ansi-to-svg.ts screen.ansi [-o screen.svg] [--cols 120] [--rows 36] [--title text]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export interface Style {
  /** CSS colour (#rrggbb), or null for the default. */
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  inverse: boolean;
  hidden: boolean;
}

export interface Run {
  text: string;
  /** Terminal cells the text takes (wide characters take two). */
  cells: number;
  style: Style;
}

export const PLAIN: Readonly<Style> = Object.freeze({
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  strike: false,
  inverse: false,
  hidden: false,
});

export interface Theme {
  background: string;
  foreground: string;
  /** The 16 ANSI colours: black, red, green, yellow, blue, magenta, cyan, white, then the bright ones. */
  ansi: readonly string[];
}

/** A dark theme (close to VS Code's terminal colours). */
export const DARK_THEME: Theme = {
  background: "#1e1e1e",
  foreground: "#d4d4d4",
  ansi: [
    "#000000",
    "#cd3131",
    "#0dbc79",
    "#e5e510",
    "#2472c8",
    "#bc3fbc",
    "#11a8cd",
    "#e5e5e5",
    "#666666",
    "#f14c4c",
    "#23d18b",
    "#f5f543",
    "#3b8eea",
    "#d670d6",
    "#29b8db",
    "#ffffff",
  ],
};

const hex2 = (n: number) =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, "0");
const rgb = (r: number, g: number, b: number) => `#${hex2(r)}${hex2(g)}${hex2(b)}`;

/** Colour `n` of the xterm 256-colour palette (0–15 from the theme). */
export function color256(n: number, theme: Theme = DARK_THEME): string | null {
  if (!Number.isInteger(n) || n < 0 || n > 255) return null;
  if (n < 16) return theme.ansi[n] ?? null;
  if (n < 232) {
    const i = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return rgb(level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6));
  }
  const v = 8 + (n - 232) * 10;
  return rgb(v, v, v);
}

/**
 * Applies one SGR sequence's parameters (`1;38;5;196`, `38:2::255:0:0`…) to a style.
 * Unknown parameters are ignored, as terminals do.
 */
export function applySgr(style: Style, params: string, theme: Theme = DARK_THEME): Style {
  const s: Style = { ...style };
  // Top-level parameters split on ';'; a parameter may carry ':'-separated sub-parameters.
  const list = params === "" ? ["0"] : params.split(";");
  for (let i = 0; i < list.length; i++) {
    const param = list[i]!;
    const sub = param.split(":");
    const code = sub[0] === "" ? 0 : Number(sub[0]);
    if (!Number.isFinite(code)) continue;
    if (code === 38 || code === 48 || code === 58) {
      let colour: string | null = null;
      if (sub.length > 1) {
        // Colon form: 38:5:n, 38:2:r:g:b or 38:2:colourspace:r:g:b.
        const mode = Number(sub[1]);
        if (mode === 5) colour = color256(Number(sub[2]), theme);
        else if (mode === 2) {
          const nums = sub.slice(2).map((x) => (x === "" ? Number.NaN : Number(x)));
          const [r, g, b] = nums.length >= 4 ? nums.slice(1) : nums;
          if ([r, g, b].every((v) => Number.isFinite(v))) colour = rgb(r!, g!, b!);
        }
      } else {
        const mode = Number(list[i + 1]);
        if (mode === 5) {
          colour = color256(Number(list[i + 2]), theme);
          i += 2;
        } else if (mode === 2) {
          const [r, g, b] = list.slice(i + 2, i + 5).map(Number);
          if ([r, g, b].every((v) => Number.isFinite(v))) colour = rgb(r!, g!, b!);
          i += 4;
        } else {
          i += 1;
        }
      }
      if (code === 38 && colour) s.fg = colour;
      else if (code === 48 && colour) s.bg = colour;
      continue; // 58: underline colour, not drawn.
    }
    if (code === 0) Object.assign(s, PLAIN);
    else if (code === 1) s.bold = true;
    else if (code === 2) s.dim = true;
    else if (code === 3) s.italic = true;
    else if (code === 4) s.underline = sub[1] !== "0";
    else if (code === 7) s.inverse = true;
    else if (code === 8) s.hidden = true;
    else if (code === 9) s.strike = true;
    else if (code === 21)
      s.underline = true; // double underline
    else if (code === 22) {
      s.bold = false;
      s.dim = false;
    } else if (code === 23) s.italic = false;
    else if (code === 24) s.underline = false;
    else if (code === 27) s.inverse = false;
    else if (code === 28) s.hidden = false;
    else if (code === 29) s.strike = false;
    else if (code >= 30 && code <= 37) s.fg = theme.ansi[code - 30]!;
    else if (code === 39) s.fg = null;
    else if (code >= 40 && code <= 47) s.bg = theme.ansi[code - 40]!;
    else if (code === 49) s.bg = null;
    else if (code >= 90 && code <= 97) s.fg = theme.ansi[code - 90 + 8]!;
    else if (code >= 100 && code <= 107) s.bg = theme.ansi[code - 100 + 8]!;
  }
  return s;
}

const sameStyle = (a: Style, b: Style) =>
  a.fg === b.fg &&
  a.bg === b.bg &&
  a.bold === b.bold &&
  a.dim === b.dim &&
  a.italic === b.italic &&
  a.underline === b.underline &&
  a.strike === b.strike &&
  a.inverse === b.inverse &&
  a.hidden === b.hidden;

/** Terminal cells of a code point: 0 for combining marks and controls, 2 for wide (CJK, emoji) ones. */
export function charCells(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x20d0 && cp <= 0x20ff)
  )
    return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

function textCells(text: string): number {
  let n = 0;
  for (const ch of text) n += charCells(ch.codePointAt(0)!);
  return n;
}

/**
 * Splits a dump into lines of style runs. The style carries over from line to line, as in a
 * terminal; escape sequences other than SGR (cursor moves, OSC titles, hyperlinks) are dropped.
 */
export function parseAnsi(input: string, theme: Theme = DARK_THEME): Run[][] {
  const text = input.replace(/\r\n?/g, "\n");
  const lines: Run[][] = [];
  let style: Style = { ...PLAIN };
  let runs: Run[] = [];
  let buf = "";
  const flush = () => {
    if (buf === "") return;
    const last = runs[runs.length - 1];
    if (last && sameStyle(last.style, style)) {
      last.text += buf;
      last.cells += textCells(buf);
    } else {
      runs.push({ text: buf, cells: textCells(buf), style });
    }
    buf = "";
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\n") {
      flush();
      lines.push(runs);
      runs = [];
      i++;
      continue;
    }
    if (ch === "\x1b") {
      const next = text[i + 1];
      if (next === "[") {
        // CSI: parameters, intermediates, one final byte.
        let j = i + 2;
        while (j < text.length && /[0-9:;<=>?]/.test(text[j]!)) j++;
        while (j < text.length && /[ -/]/.test(text[j]!)) j++;
        const final = text[j];
        if (final === "m" && !/[<=>?]/.test(text.slice(i + 2, j))) {
          flush();
          style = applySgr(style, text.slice(i + 2, j), theme);
        }
        i = j + 1;
        continue;
      }
      if (next === "]" || next === "P" || next === "_" || next === "^" || next === "X") {
        // OSC / DCS / APC…: up to BEL or ST.
        let j = i + 2;
        while (j < text.length && text[j] !== "\x07" && !(text[j] === "\x1b" && text[j + 1] === "\\")) j++;
        i = text[j] === "\x07" ? j + 1 : j + 2;
        continue;
      }
      i += 2; // a two-byte escape (ESC 7, ESC =…)
      continue;
    }
    if (ch === "\t") {
      const col = runs.reduce((n, r) => n + r.cells, 0) + textCells(buf);
      buf += " ".repeat(8 - (col % 8));
      i++;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f) {
      i++;
      continue;
    }
    const s = String.fromCodePoint(cp);
    buf += s;
    i += s.length;
  }
  flush();
  if (runs.length > 0) lines.push(runs);
  return lines;
}

/** Escapes text for XML content and attribute values; drops characters XML cannot hold. */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export interface SvgOptions {
  /** Terminal width in cells (default: the widest line). */
  cols?: number;
  /** Terminal height in lines (default: the number of lines, without trailing blank ones). */
  rows?: number;
  /** Window title (default none). */
  title?: string;
  fontSize?: number;
  /** Line height as a multiple of the font size (default 1.2). */
  lineHeight?: number;
  theme?: Theme;
  /** Draw the window frame (title bar with three dots); default true. */
  chrome?: boolean;
}

const FONT_FAMILY =
  "ui-monospace, 'DejaVu Sans Mono', 'Cascadia Mono', 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace";

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** The SVG of a terminal dump. */
export function ansiToSvg(input: string, opts: SvgOptions = {}): string {
  const theme = opts.theme ?? DARK_THEME;
  let lines = parseAnsi(input, theme);
  if (opts.rows === undefined) {
    while (lines.length > 0 && lines[lines.length - 1]!.every((r) => r.text.trim() === "" && !hasBg(r.style)))
      lines.pop();
  }
  const rows = opts.rows ?? Math.max(1, lines.length);
  lines = lines.slice(0, rows);
  const cols = opts.cols ?? Math.max(1, ...lines.map((l) => l.reduce((n, r) => n + r.cells, 0)));
  const fontSize = opts.fontSize ?? 14;
  const cw = fontSize * 0.6;
  const lh = fontSize * (opts.lineHeight ?? 1.2);
  const chrome = opts.chrome ?? true;
  const pad = 12;
  const barH = chrome ? 30 : 0;
  const width = cols * cw + pad * 2;
  const height = rows * lh + pad * 2 + barH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" role="img">`,
  );
  if (opts.title) out.push(`<title>${escapeXml(opts.title)}</title>`);
  out.push(
    `<style>text{font-family:${FONT_FAMILY};font-size:${fontSize}px;white-space:pre;fill:${theme.foreground}}` +
      `.b{font-weight:bold}.d{fill-opacity:.55}.i{font-style:italic}.u{text-decoration:underline}.s{text-decoration:line-through}.u.s{text-decoration:underline line-through}</style>`,
  );
  out.push(`<rect width="100%" height="100%" rx="${chrome ? 8 : 0}" fill="${theme.background}"/>`);
  if (chrome) {
    out.push(`<g>`);
    ["#ff5f56", "#ffbd2e", "#27c93f"].forEach((c, k) => {
      out.push(`<circle cx="${pad + 6 + k * 20}" cy="${barH / 2 + 2}" r="6" fill="${c}"/>`);
    });
    if (opts.title) {
      out.push(
        `<text x="${fmt(width / 2)}" y="${barH / 2 + 6}" text-anchor="middle" style="fill:#8a8a8a;font-size:${Math.round(fontSize * 0.9)}px">${escapeXml(opts.title)}</text>`,
      );
    }
    out.push(`</g>`);
  }
  const top = pad + barH;

  // Backgrounds first, so text draws over them.
  const rects: string[] = [];
  const texts: string[] = [];
  lines.forEach((runs, row) => {
    const y = top + row * lh;
    const baseline = y + lh * 0.78;
    let col = 0;
    const spans: string[] = [];
    for (const run of runs) {
      if (col >= cols) break;
      const cells = Math.min(run.cells, cols - col);
      const { fill, background } = colours(run.style, theme);
      const x = pad + col * cw;
      if (background) {
        rects.push(
          `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(cells * cw)}" height="${fmt(lh)}" fill="${background}"/>`,
        );
      }
      const visible = run.style.hidden ? "" : run.text;
      if (visible.trim() !== "" || run.style.underline || run.style.strike) {
        const classes = [
          run.style.bold && "b",
          run.style.dim && "d",
          run.style.italic && "i",
          run.style.underline && "u",
          run.style.strike && "s",
        ].filter(Boolean);
        const attrs = [`x="${fmt(x)}"`];
        if (fill) attrs.push(`style="fill:${fill}"`);
        if (classes.length > 0) attrs.push(`class="${classes.join(" ")}"`);
        // Pin the run to its cells: block and box characters from a fallback font must not drift.
        if (/[^\x20-\x7e]/.test(visible))
          attrs.push(`textLength="${fmt(cells * cw)}" lengthAdjust="spacingAndGlyphs"`);
        spans.push(`<tspan ${attrs.join(" ")}>${escapeXml(visible)}</tspan>`);
      }
      col += run.cells;
    }
    if (spans.length > 0)
      texts.push(`<text y="${fmt(baseline)}" xml:space="preserve">${spans.join("")}</text>`);
  });
  out.push(...rects, ...texts, "</svg>", "");
  return out.join("\n");
}

const hasBg = (s: Style) => s.bg !== null || s.inverse;

/** Text fill and background of a style (null: the theme's default), inverse applied. */
function colours(style: Style, theme: Theme): { fill: string | null; background: string | null } {
  if (!style.inverse) return { fill: style.fg, background: style.bg };
  return { fill: style.bg ?? theme.background, background: style.fg ?? theme.foreground };
}

function usage(): never {
  process.stderr.write(
    "usage: tsx scripts/ansi-to-svg.ts <dump.ansi|-> [-o out.svg] [--cols N] [--rows N] [--title text]\n",
  );
  process.exit(2);
}

function cli(argv: string[]): void {
  let input: string | undefined;
  let output: string | undefined;
  const opts: SvgOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i] ?? usage();
    if (a === "-o" || a === "--output") output = value();
    else if (a === "--cols") opts.cols = Number(value());
    else if (a === "--rows") opts.rows = Number(value());
    else if (a === "--title") opts.title = value();
    else if (a === "-h" || a === "--help") usage();
    else if (input === undefined) input = a;
    else usage();
  }
  if (input === undefined) usage();
  for (const n of [opts.cols, opts.rows]) if (n !== undefined && !(Number.isInteger(n) && n > 0)) usage();
  const svg = ansiToSvg(readFileSync(input === "-" ? 0 : input, "utf8"), opts);
  if (output) writeFileSync(output, svg);
  else process.stdout.write(svg);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) cli(process.argv.slice(2));
