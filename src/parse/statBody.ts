import { SEPARATOR_COLUMN, type StatRow, TEXTUAL_STAT_FIELDS } from "./statTypes.js";
import { type StatValue, toValue } from "./values.js";

/** A quoted record may span lines (a line break inside quotes), but never more than this. */
const MAX_RECORD_BYTES = 64 * 1024;
const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;

/**
 * `s` as a string of its own. V8 cuts a field of 13 characters or more out of the reply as a
 * "sliced string" that points into the whole reply: one such field kept in a row (a server's
 * `addr`) kept the reply alive, 15 MB at 50k servers, as long as the snapshot lived (heap snapshot,
 * docs/benchmarks.md). Shorter strings are always copies. JSON.parse always builds a new string
 * (~1 µs; concatenation tricks are not reliably copies).
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Index of the LF that ends the line starting at `pos`, or the text's length. */
export function lineEnd(text: string, pos: number): number {
  const i = text.indexOf("\n", pos);
  return i < 0 ? text.length : i;
}

/** True when text[start, end) holds only blanks (spaces, tabs, CR). */
export function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Characters scanned between two chances to yield while counting lines. */
export const COUNT_CHARS = 256 * 1024;

/** Where counting the body's lines stands (the hot loops live in plain functions, which V8 optimizes). */
export interface LineCount {
  pos: number;
  lines: number;
  lineStart: number;
  blank: boolean;
  /** Where the body ends (the start of the closing blank line, or the text's end); -1 until known. */
  bodyEnd: number;
}

/**
 * Counts the non-blank lines of the next `chars` characters (whole lines), stopping at the first
 * blank line. Each line end is found by indexOf (native), and a line is looked at only until its
 * first non-blank character: the count costs next to nothing against the parse that follows.
 */
export function countLines(text: string, c: LineCount, chars: number): void {
  const stop = Math.min(text.length, c.pos + chars);
  let { lines, pos } = c;
  while (pos < stop) {
    const lf = text.indexOf("\n", pos);
    if (lf < 0) {
      // The last line, without its LF: counted when it holds something; the body ends with the text.
      if (!isBlank(text, pos, text.length)) lines++;
      pos = text.length;
      break;
    }
    if (isBlank(text, pos, lf)) {
      c.bodyEnd = pos;
      break;
    }
    lines++;
    pos = lf + 1;
  }
  if (c.bodyEnd < 0 && pos >= text.length) c.bodyEnd = text.length;
  Object.assign(c, { pos, lines, lineStart: pos, blank: true });
}

interface Column {
  name: string;
  index: number;
  textual: boolean;
}

/** Reads the body's rows, a few hundred at a time. */
export class BodyReader {
  readonly rows: StatRow[] = [];
  skipped = 0;
  private readonly columns: Column[];
  private readonly template: StatRow;
  private readonly width: number;
  private readonly widthWithoutTrailing: number;

  /**
   * With a column selection: for each field index of a line, the column kept there, or null.
   * Such lines are read in one pass over their characters, cutting out only the kept fields (the
   * fast path: split(",") made ~74-141 strings a line, most of them garbage at once).
   */
  private readonly picks: (Column | null)[] | null;
  /** For each field index, its place in `values` (-1: not kept); `make` builds a row from `values`. */
  private slots: number[] = [];
  private values: StatValue[] = [];
  private make: (values: StatValue[]) => StatRow = () => ({});

  constructor(
    private readonly text: string,
    header: string[],
    public pos: number,
    readonly end: number,
    keep?: ReadonlySet<string>,
  ) {
    this.columns = header
      .map((name, index) => ({ name, index, textual: TEXTUAL_STAT_FIELDS.has(name) }))
      .filter(({ name }) => name !== "" && name !== SEPARATOR_COLUMN && name !== "__proto__")
      .filter(({ name }) => !keep || keep.has(name));
    if (keep) {
      const picks: (Column | null)[] = header.map(() => null);
      for (const c of this.columns) picks[c.index] = c;
      this.picks = picks;
      this.slots = picks.map((c) => (c ? this.columns.indexOf(c) : -1));
      this.values = this.columns.map(() => null);
      this.make = rowMaker(this.columns.map((c) => c.name));
    } else this.picks = null;
    // Rows are spread from one template with every field, so they share one hidden class. The
    // template is made by Object.fromEntries: adding more than 128 properties one by one (3.2 has
    // 139 columns) would leave it in V8's slow dictionary mode, and every row copied from it slow.
    // A row is copied only for a line that has all the fields: its cost follows its bytes.
    this.template = Object.fromEntries(this.columns.map(({ name }) => [name, null]));
    this.width = header.length;
    // HAProxy ends every line with a comma; a line without that last empty field is accepted too.
    this.widthWithoutTrailing = header[this.width - 1] === "" ? this.width - 1 : this.width;
  }

  /** Reads up to `count` lines. */
  read(count: number): void {
    const { text, end } = this;
    for (let n = 0; n < count && this.pos < end; n++) {
      const pos = this.pos;
      const lf = lineEnd(text, pos);
      if (this.picks) {
        const picked = this.pickRow(pos, lf);
        if (picked !== QUOTED) {
          if (picked) this.rows.push(picked);
          else this.skipped++;
          this.pos = lf + 1;
          continue;
        }
      }
      let line = text.slice(pos, lf);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      let fields: string[] | null;
      let next = lf + 1;
      if (!line.includes('"')) fields = line.split(",");
      else {
        const record = readQuotedRecord(text, pos, Math.min(end, pos + MAX_RECORD_BYTES));
        fields = record?.fields ?? null;
        if (record) next = record.next;
      }
      if (fields && (fields.length === this.width || fields.length === this.widthWithoutTrailing)) {
        this.rows.push(this.row(fields));
      } else {
        // Unreadable: skip this one line (not a whole multi-line record, which may be a stray quote
        // that swallowed good rows) and go on with the next.
        this.skipped++;
        next = lf + 1;
      }
      this.pos = next;
    }
  }

  /**
   * The kept fields of the line [start, lf), read in one pass: the row, null when the line has the
   * wrong number of fields, QUOTED when it holds a quote (then the general path reads it). Same
   * values as row(split(",")): empty → null, digits → number, textual columns as text.
   */
  private pickRow(start: number, lf: number): StatRow | null | typeof QUOTED {
    const { text, slots, values } = this;
    let stop = lf;
    if (stop > start && text.charCodeAt(stop - 1) === CR) stop--;
    values.fill(null);
    let index = 0;
    let fieldStart = start;
    for (let i = start; i <= stop; i++) {
      const c = i < stop ? text.charCodeAt(i) : COMMA;
      if (c === QUOTE) return QUOTED;
      if (c !== COMMA) continue;
      const slot = index < slots.length ? slots[index]! : -1;
      if (slot >= 0 && i > fieldStart)
        values[slot] = fieldValue(text, fieldStart, i, this.columns[slot]!.textual);
      index++;
      fieldStart = i + 1;
    }
    return index === this.width || index === this.widthWithoutTrailing ? this.make(values) : null;
  }

  private row(fields: string[]): StatRow {
    const row: StatRow = { ...this.template };
    for (const { name, index, textual } of this.columns) {
      const raw = fields[index]!;
      if (raw === "") continue;
      const value = textual ? raw : toValue(raw);
      row[name] = typeof value === "string" ? ownString(value) : value;
    }
    return row;
  }
}

/**
 * A function that builds a row as one object literal of these names, from an array of values:
 * every row gets the same hidden class at once, with no store by a computed name (a keyed store
 * by ~50 different names was most of the parse). Only names that are both in the header and in the
 * caller's selection (src/model/columns.ts) reach it, each written as a JSON string literal, so
 * any text would only be a key (`__proto__`, which as a literal key sets the prototype, is
 * filtered out before).
 */
function rowMaker(names: readonly string[]): (values: StatValue[]) => StatRow {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(", ");
  return new Function("v", `return { ${fields} };`) as (values: StatValue[]) => StatRow;
}

/** pickRow's answer for a line with a quote. */
const QUOTED = Symbol("quoted");
const CR = 0x0d;

/**
 * The value of the non-empty field text[a, b): a plain integer is read in place (no string made);
 * anything else goes through toValue, as in the general path. Text is copied (ownString).
 */
function fieldValue(text: string, a: number, b: number, textual: boolean): StatValue {
  if (!textual && b - a <= 15) {
    let n = 0;
    let i = a;
    for (; i < b; i++) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === b) return n;
  }
  const raw = text.slice(a, b);
  const value = textual ? raw : toValue(raw);
  return typeof value === "string" ? ownString(value) : value;
}

/**
 * Reads one CSV record with quoted fields (HAProxy quotes a field holding a comma, a quote or a line
 * break, and doubles its quotes) from `start`, not past `limit`. Returns null when a quote is not
 * closed before `limit`, or a closing quote is followed by anything but a comma or the line's end.
 * A stray quote inside an unquoted field is kept as is. Linear in the bytes
 * read: each character is looked at once.
 */
export function readQuotedRecord(
  text: string,
  start: number,
  limit: number,
): { fields: string[]; next: number } | null {
  const fields: string[] = [];
  let i = start;
  for (;;) {
    let value = "";
    if (text.charCodeAt(i) === QUOTE) {
      i++;
      let segment = i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0 || q >= limit) return null;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(segment, q + 1);
          i = q + 2;
          segment = i;
          continue;
        }
        value += text.slice(segment, q);
        i = q + 1;
        break;
      }
      // HAProxy follows a closing quote with a comma or the line's end. Anything else means the
      // quote was a stray one that paired with a later line's: not a record.
      const after = text.charCodeAt(i);
      if (i < limit && after !== COMMA && after !== LF && after !== 0x0d) return null;
    }
    // An unquoted field, or what follows a closing quote: up to the next comma or line end.
    let j = i;
    while (j < limit) {
      const c = text.charCodeAt(j);
      if (c === COMMA || c === LF) break;
      j++;
    }
    value += text.slice(i, j);
    if (j < limit && text.charCodeAt(j) === COMMA) {
      fields.push(value);
      i = j + 1;
      continue;
    }
    if (j >= limit && limit < text.length) return null; // cut by the byte bound: too long
    fields.push(value.endsWith("\r") ? value.slice(0, -1) : value);
    return { fields, next: j + 1 };
  }
}
