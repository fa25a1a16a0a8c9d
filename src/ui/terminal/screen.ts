import { blankRow, parseLine, type Row } from "./cells.js";

/** Synchronized output (DECSET 2026): the terminal shows the whole update at once, or nothing. */
export const BEGIN_SYNC = "\x1b[?2026h";
export const END_SYNC = "\x1b[?2026l";

/** What we know of the terminal between writes: its SGR and its cursor (col null: unknown). */
interface TermState {
  pen: string | null;
  row: number;
  col: number | null;
}

const sgr = (from: string | null, to: string) =>
  to === "" ? "\x1b[0m" : from === "" ? `\x1b[${to}m` : `\x1b[0;${to}m`;

const csi = (n: number, final: string) => (n === 1 ? `\x1b[${final}` : `\x1b[${n}${final}`);

/**
 * The shortest way to put the cursor at (row, col): absolute (CUP), or relative to where the last
 * write left it (CUU/CUD, then CUF/CUB, CHA or backspaces). A column of one-digit changes (a
 * duration on every row) then costs ~5 bytes a row instead of ~9.
 */
function moveTo(t: TermState, row: number, col: number): string {
  const abs = `\x1b[${row + 1};${col + 1}H`;
  const from = t.col;
  const fromRow = t.row;
  t.row = row;
  t.col = col;
  if (from === null) return abs;
  const vertical = row > fromRow ? csi(row - fromRow, "B") : row < fromRow ? csi(fromRow - row, "A") : "";
  let horizontal = "";
  if (col > from) horizontal = csi(col - from, "C");
  else if (col < from) {
    const back = from - col;
    horizontal = back <= 3 ? "\b".repeat(back) : csi(back, "D");
    const cha = `\x1b[${col + 1}G`;
    if (cha.length < horizontal.length) horizontal = cha;
  }
  const relative = vertical + horizontal;
  return relative.length < abs.length ? relative : abs;
}

interface CachedLine {
  line: string;
  penBefore: string;
  penAfter: string;
  row: Row;
}

/**
 * The screen as the terminal shows it: one cell grid per row. `update(frame)` returns the bytes that
 * turn the previous grid into the frame's (only the changed cells, each run after the shortest
 * cursor move), or "" when nothing visible changed. After `invalidate()` or a size change the next
 * update is a full redraw. `runs` tells the writer how many separate runs the last update drew.
 */
export class Screen {
  private lines: CachedLine[] = [];
  private full = true;
  private readonly term: TermState = { pen: null, row: 0, col: null };
  /** Runs of cells (each after a cursor move) that the last update drew. */
  runs = 0;

  constructor(
    private columns: number,
    private rows: number,
  ) {}

  /** The terminal lost what we drew (resize, SIGCONT, Ctrl-L): draw everything next time. */
  invalidate(): void {
    this.full = true;
  }

  resize(columns: number, rows: number): void {
    if (columns === this.columns && rows === this.rows) return;
    this.columns = columns;
    this.rows = rows;
    this.lines = [];
    this.full = true;
  }

  update(frame: string): string {
    const text = frame.endsWith("\n") ? frame.slice(0, -1) : frame;
    const frameLines = text === "" ? [] : text.split("\n");
    const next: CachedLine[] = [];
    const t = this.term;
    const full = this.full;
    let pen = "";
    let out = "";
    this.runs = 0;
    if (full) {
      t.pen = "";
      t.col = null;
    }
    for (let r = 0; r < this.rows; r++) {
      const line = frameLines[r] ?? "";
      const old = this.lines[r];
      let cached: CachedLine;
      if (old && old.line === line && old.penBefore === pen) cached = old;
      else {
        const { row, penAfter } = parseLine(line, this.columns, pen);
        cached = { line, penBefore: pen, penAfter, row };
      }
      next.push(cached);
      pen = cached.penAfter;
      if (full) out += this.drawRow(r, cached.row);
      else if (old !== cached) out += this.diffRow(r, old?.row ?? blankRow(this.columns), cached.row);
    }
    if (full) out = `\x1b[0m\x1b[2J${out}`;
    this.full = false;
    this.lines = next;
    return out;
  }

  /** Draws a whole row on a cleared screen: its cells up to the last one that is not blank. */
  private drawRow(r: number, row: Row): string {
    const end = lastVisible(row, 0);
    if (end === 0) return "";
    this.runs++;
    return moveTo(this.term, r, 0) + this.cells(row, 0, end);
  }

  /** The cells [from, to) with the SGR changes they need; leaves the cursor after them. */
  private cells(row: Row, from: number, to: number): string {
    const t = this.term;
    let out = "";
    for (let c = from; c < to; c++) {
      if (row.widths[c] === 0) continue;
      const style = row.styles[c] as string;
      if (style !== t.pen) {
        out += sgr(t.pen, style);
        t.pen = style;
      }
      out += row.chars[c];
    }
    // At the right edge the terminal holds the cursor on the last column with a pending wrap:
    // where the next character would go is then unknown to us, so the next move is absolute.
    t.col = to >= this.columns ? null : to;
    return out;
  }

  /** The bytes that turn row `a` into row `b` on screen line `r`. */
  private diffRow(r: number, a: Row, b: Row): string {
    const n = b.chars.length;
    const changed = new Uint8Array(n);
    let any = false;
    for (let c = 0; c < n; c++) {
      if (a.chars[c] !== b.chars[c] || a.widths[c] !== b.widths[c] || a.styles[c] !== b.styles[c]) {
        changed[c] = 1;
        any = true;
      }
    }
    if (!any) return "";
    // Wide characters need no extra care: the right half is a cell of its own (width 0, same
    // style), so whenever either half of a wide character changes, its left half differs too (char
    // or width) and the run that rewrites it starts there; the replay test checks this with xterm.
    let out = "";
    let c = 0;
    while (c < n) {
      if (!changed[c]) {
        c++;
        continue;
      }
      const start = c;
      let end = c + 1;
      // Through a short unchanged gap (same style as the run, a few bytes): rewriting it is
      // cheaper than a cursor move and an SGR.
      for (;;) {
        while (end < n && changed[end]) end++;
        let gap = end;
        let bytes = 0;
        const style = b.styles[end - 1];
        while (gap < n && !changed[gap] && bytes <= 6 && b.styles[gap] === style) {
          bytes += utf8Length(b.chars[gap] as string);
          gap++;
        }
        if (gap < n && changed[gap] && bytes <= 6) end = gap;
        else break;
      }
      this.runs++;
      const visible = lastVisible(b, start);
      if (visible <= end && lastVisible(a, start) > visible) {
        // The rest of the line becomes blank: draw up to there and erase the rest (EL).
        out += moveTo(this.term, r, start) + this.cells(b, start, visible);
        if (this.term.pen !== "") {
          out += sgr(this.term.pen, "");
          this.term.pen = "";
        }
        return `${out}\x1b[K`;
      }
      out += moveTo(this.term, r, start) + this.cells(b, start, end);
      c = end;
    }
    return out;
  }
}

/** The index after the last cell that differs from a blank default cell, from `from` on. */
function lastVisible(row: Row, from: number): number {
  let end = row.chars.length;
  while (end > from && row.chars[end - 1] === " " && row.styles[end - 1] === "") end--;
  return end;
}

/** UTF-8 length of a cell's text, without allocating. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    n += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
  }
  return n;
}
