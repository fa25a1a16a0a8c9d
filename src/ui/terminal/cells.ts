import { JOINING, graphemeWidth as widthOf } from "./fastWidth.js";

/**
 * One screen row as parallel arrays (cheaper than an object per cell at 160×45 per frame).
 * - `chars[i]`: the grapheme drawn at column i ("" for the right half of a wide character);
 * - `widths[i]`: 1, 2 (a wide character's left half) or 0 (its right half);
 * - `styles[i]`: the canonical SGR parameters in effect ("" = default), see `Pen`.
 */
export interface Row {
  chars: string[];
  widths: Uint8Array;
  styles: string[];
}

export function blankRow(columns: number): Row {
  return {
    chars: new Array<string>(columns).fill(" "),
    widths: new Uint8Array(columns).fill(1),
    styles: new Array<string>(columns).fill(""),
  };
}

/**
 * The SGR state a stream of escapes leaves behind, reduced to a canonical key so that two cells
 * compare equal exactly when a terminal would draw them alike, whatever escapes produced them.
 */
class Pen {
  fg = "";
  bg = "";
  // Attribute codes that are on, indexed by code (1 bold … 9 strike-through).
  attrs = new Uint8Array(10);
  key = "";

  reset(): void {
    this.fg = "";
    this.bg = "";
    this.attrs.fill(0);
    this.key = "";
  }

  /** Applies the parameters of one `ESC [ … m`. */
  apply(params: string): void {
    const p = params === "" ? [0] : params.split(";").map((s) => (s === "" ? 0 : Number.parseInt(s, 10)));
    for (let i = 0; i < p.length; i++) {
      const n = p[i] ?? 0;
      if (n === 0) this.reset();
      else if (n >= 1 && n <= 9) this.attrs[n] = 1;
      else if (n === 22) this.attrs[1] = this.attrs[2] = 0;
      else if (n === 23 || n === 24 || n === 25) this.attrs[n - 20] = 0;
      else if (n === 27 || n === 28 || n === 29) this.attrs[n - 20] = 0;
      else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) this.fg = String(n);
      else if (n === 39) this.fg = "";
      else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) this.bg = String(n);
      else if (n === 49) this.bg = "";
      else if (n === 38 || n === 48) {
        // 38;5;n (256 colours) or 38;2;r;g;b (true colour).
        const mode = p[i + 1];
        const take = mode === 5 ? 2 : mode === 2 ? 4 : 1;
        const colour = p.slice(i, i + 1 + take).join(";");
        if (n === 38) this.fg = colour;
        else this.bg = colour;
        i += take;
      }
    }
    let key = "";
    for (let a = 1; a <= 9; a++) if (this.attrs[a]) key += key ? `;${a}` : `${a}`;
    if (this.fg) key += key ? `;${this.fg}` : this.fg;
    if (this.bg) key += key ? `;${this.bg}` : this.bg;
    this.key = key;
  }
}

const segmenter = new Intl.Segmenter();

function* graphemes(text: string): Generator<string> {
  for (const { segment } of segmenter.segment(text)) yield segment;
}

/** True when every code unit of `s` is printable ASCII (the fast path: one cell per char). */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Parses one line of an Ink frame (text with SGR escapes) into `columns` cells, starting with the
 * SGR state `penBefore` that the previous lines left (a terminal carries it over a newline). Other escape
 * sequences and control characters are dropped (Ink's output has none; HAProxy's text is sanitized
 * before it gets here). Past the line's end the row is blank in the default style, as a line drawn
 * on a cleared screen. A wide character that would straddle the right edge becomes a space.
 */
export function parseLine(line: string, columns: number, penBefore = ""): { row: Row; penAfter: string } {
  const row = blankRow(columns);
  const pen = new Pen();
  if (penBefore) pen.apply(`0;${penBefore}`);
  let col = 0;
  let i = 0;
  const put = (text: string) => {
    if (isPlainAscii(text)) {
      for (let k = 0; k < text.length && col < columns; k++, col++) {
        row.chars[col] = text[k] as string;
        row.styles[col] = pen.key;
      }
      return;
    }
    // Most non-ASCII text on haptop's screens is box drawing, blocks and arrows (gauges,
    // sparklines): one code unit, one grapheme. Only text with marks, joiners, selectors,
    // surrogates or jamo needs grapheme segmentation.
    const segments: Iterable<string> = JOINING.test(text) ? graphemes(text) : text;
    for (const segment of segments) {
      if (col >= columns) return;
      const w = widthOf(segment);
      if (w === 0) {
        // A zero-width cluster (combining mark, joiner): the terminal adds it to the previous cell.
        const prev = col > 0 && row.widths[col - 1] === 0 ? col - 2 : col - 1;
        if (prev >= 0 && /[^\p{Control}]/u.test(segment)) row.chars[prev] += segment;
        continue;
      }
      if (w >= 2 && col + 1 >= columns) {
        row.chars[col] = " ";
        row.styles[col] = pen.key;
        col++;
        continue;
      }
      row.chars[col] = segment;
      row.styles[col] = pen.key;
      if (w >= 2) {
        row.widths[col] = 2;
        row.chars[col + 1] = "";
        row.widths[col + 1] = 0;
        row.styles[col + 1] = pen.key;
        col += 2;
      } else col++;
    }
  };
  while (i < line.length && col < columns) {
    const esc = line.indexOf("\x1b", i);
    const end = esc === -1 ? line.length : esc;
    if (end > i) put(stripControls(line.slice(i, end)));
    if (esc === -1) break;
    i = skipEscape(line, esc, pen);
  }
  // Escapes past the right edge still change the pen that the next line starts with.
  while (i < line.length) {
    const esc = line.indexOf("\x1b", i);
    if (esc === -1) break;
    i = skipEscape(line, esc, pen);
  }
  return { row, penAfter: pen.key };
}

const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
function stripControls(s: string): string {
  return isPlainAscii(s) ? s : s.replace(CONTROLS, "");
}

/** Consumes the escape sequence at `at` (applying it when it is SGR); returns the index after it. */
function skipEscape(line: string, at: number, pen: Pen): number {
  const kind = line[at + 1];
  if (kind === "[") {
    let j = at + 2;
    while (j < line.length) {
      const c = line.charCodeAt(j);
      if (c >= 0x40 && c <= 0x7e) break;
      j++;
    }
    if (line[j] === "m") pen.apply(line.slice(at + 2, j));
    return j + 1;
  }
  if (kind === "]") {
    // OSC (e.g. a hyperlink): ends at BEL or ST.
    const bel = line.indexOf("\x07", at);
    const st = line.indexOf("\x1b\\", at + 2);
    const ends = [
      bel === -1 ? Number.POSITIVE_INFINITY : bel + 1,
      st === -1 ? Number.POSITIVE_INFINITY : st + 2,
    ];
    const end = Math.min(...ends);
    return Number.isFinite(end) ? end : line.length;
  }
  return at + 2;
}
