import { SEPARATOR_COLUMN, type StatRow, TEXTUAL_STAT_FIELDS } from "./statTypes.js";
import { toValue } from "./values.js";

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

/** Counts the non-blank lines of the next `chars` characters, stopping at the first blank line. */
export function countLines(text: string, c: LineCount, chars: number): void {
  const stop = Math.min(text.length, c.pos + chars);
  let { lines, lineStart, blank } = c;
  let i = c.pos;
  for (; i < stop; i++) {
    const ch = text.charCodeAt(i);
    if (ch === LF) {
      if (blank) {
        c.bodyEnd = lineStart;
        break;
      }
      lines++;
      blank = true;
      lineStart = i + 1;
    } else if (blank && ch !== 0x20 && ch !== 0x09 && ch !== 0x0d) blank = false;
  }
  if (c.bodyEnd < 0 && i >= text.length) {
    c.bodyEnd = text.length;
    if (!blank) lines++; // a last line without its LF
  }
  Object.assign(c, { pos: i, lines, lineStart, blank });
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

  constructor(
    private readonly text: string,
    header: string[],
    public pos: number,
    readonly end: number,
  ) {
    this.columns = header
      .map((name, index) => ({ name, index, textual: TEXTUAL_STAT_FIELDS.has(name) }))
      .filter(({ name }) => name !== "" && name !== SEPARATOR_COLUMN && name !== "__proto__");
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
