import { ReplyError } from "../client/errors.js";
import { runSliced, runToEnd, type Steps } from "./slices.js";
import { type StatValue, toValue } from "./values.js";

/** One line of `show stat`, keyed by the names given in the CSV header. */
export type StatRow = Record<string, StatValue>;

/** Values of the `type` column of `show stat`. */
export const STAT_TYPE = { frontend: 0, backend: 1, server: 2, listener: 3 } as const;

/** A numeric value of the `type` column. */
export type StatType = (typeof STAT_TYPE)[keyof typeof STAT_TYPE];

/** Thrown when a `show stat` reply cannot be parsed (e.g. it has no "# pxname,..." header). */
export class StatParseError extends ReplyError {
  override readonly name = "StatParseError";
}

/**
 * Columns that are text by nature and are never converted to numbers, even when they look numeric
 * (a server may be named "123", a cookie may be "1", last_chk may be an agent's "75").
 */
export const TEXTUAL_STAT_FIELDS: ReadonlySet<string> = new Set([
  "pxname",
  "svname",
  "status",
  "tracked",
  "check_status",
  "check_desc",
  "last_chk",
  "last_agt",
  "agent_status",
  "agent_desc",
  "addr",
  "cookie",
  "mode",
  "algo",
  "proto",
]);

/** Name of the column that separates the static fields from the per-module counters (2.x). */
const SEPARATOR_COLUMN = "-";

/**
 * Most rows read from one `show stat` reply (`--max-rows`). 50k servers make ~51k rows (11 MB) and
 * ~80 MiB of rows in memory; a reply with more rows than this is refused whole, with a message,
 * before any row is built: parsing time and memory stay bounded whatever the peer sends.
 */
export const DEFAULT_MAX_ROWS = 200_000;

/** A quoted record may span lines (a line break inside quotes), but never more than this. */
const MAX_RECORD_BYTES = 64 * 1024;
/** Rows parsed between two chances to yield (see slices.ts). */
const STEP_ROWS = 64;
/** Lines scanned between two chances to yield while looking for the header. */
const STEP_LINES = 16_384;

const HEADER_LINE = /^#\s*\S/;
const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;

export interface StatParseOptions {
  /** Most rows read (default DEFAULT_MAX_ROWS); a reply with more is refused with StatRowLimitError. */
  maxRows?: number;
  /** The command that was answered, for messages (default "show stat"). */
  command?: string;
}

/** A `show stat` reply, read. */
export interface StatReply {
  /** Every column name as HAProxy printed it, the "-" separator and the trailing empty slot included. */
  header: string[];
  rows: StatRow[];
  /**
   * Rows that could not be read (an unbalanced quote, a wrong number of fields) and were skipped;
   * the other rows are used. A real HAProxy never sends one: the monitor reports them once.
   */
  skipped: number;
}

/** Thrown when a reply has more rows than haptop is allowed to read (`--max-rows`). */
export class StatRowLimitError extends StatParseError {
  constructor(
    readonly command: string,
    readonly rows: number,
    readonly maxRows: number,
  ) {
    super(
      `${command} returned ${rows.toLocaleString("en-US")} rows; haptop reads at most ` +
        `${maxRows.toLocaleString("en-US")}: narrow the target or raise --max-rows`,
    );
  }
}

/** Parses the header line ("# pxname,svname,...,") into its column names, keeping empty/"-" slots. */
export function parseStatHeader(line: string): string[] {
  return line
    .replace(/^#\s*/, "")
    .split(",")
    .map((name) => name.trim());
}

/**
 * Parses a `show stat` CSV reply into rows mapped by header name: every column keeps HAProxy's
 * name (module counters after "-" included, e.g. `ssl_sess`, `h2_headers_rcvd`, `h1_bytes_in`),
 * the "-" separator and the trailing empty slot are dropped, empty values become null, numbers
 * become numbers except in textual columns. Reading stops at the blank line that ends the reply.
 * A row that cannot be read is skipped and counted (`skipped`), never a failure of the whole reply.
 * @throws StatParseError when no header line is found; StatRowLimitError above `maxRows` rows.
 */
export function parseStatReply(text: string, opts: StatParseOptions = {}): StatReply {
  return runToEnd(statSteps(text, opts));
}

/** parseStatReply in slices of ~10 ms of work, so the event loop keeps turning during a big parse. */
export function parseStatReplySliced(text: string, opts: StatParseOptions = {}): Promise<StatReply> {
  return runSliced(statSteps(text, opts));
}

/** The rows of a `show stat` reply (unreadable rows skipped, no row cap): see parseStatReply. */
export function parseStat(text: string): StatRow[] {
  return parseStatReply(text, { maxRows: Number.POSITIVE_INFINITY }).rows;
}

/**
 * Makes V8 flatten a string built by concatenation (a reply joined from lines is a "cons string"):
 * on one, every charCodeAt walks the tree, which made a 14 MB parse 30x slower. ToNumber flattens
 * once, and stops at the first character that is not part of a number.
 */
export function flatten(text: string): void {
  void Number(text);
}

/** Index of the LF that ends the line starting at `pos`, or the text's length. */
function lineEnd(text: string, pos: number): number {
  const i = text.indexOf("\n", pos);
  return i < 0 ? text.length : i;
}

/** True when text[start, end) holds only blanks (spaces, tabs, CR). */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/**
 * The parse, as steps (slices.ts). Cost is proportional to the reply's bytes: a row object is
 * built only for a line that has every field of the header (so at least as many bytes as fields);
 * any other line costs its own bytes and a counter.
 */
function* statSteps(text: string, opts: StatParseOptions): Steps<StatReply> {
  const command = opts.command ?? "show stat";
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  flatten(text);

  // The header: the first "# name,..." line (a batched reply may have other output before it).
  let pos = 0;
  let header: string[] | null = null;
  let first: string | undefined;
  for (let n = 1; pos < text.length; n++) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end);
    pos = end + 1;
    if (HEADER_LINE.test(line) && line.includes(",")) {
      header = parseStatHeader(line.endsWith("\r") ? line.slice(0, -1) : line);
      break;
    }
    if (first === undefined && !isBlank(line, 0, line.length)) first = line.trim();
    if (n % STEP_LINES === 0) yield;
  }
  if (!header) {
    throw new StatParseError(
      first === undefined
        ? `${command}: empty reply, no '# pxname,...' header line`
        : `${command}: no '# pxname,...' header line in reply (starts with: ${JSON.stringify(first.slice(0, 80))})`,
    );
  }

  // The body: from the first non-blank line to the blank line that closes the reply. Its lines are
  // counted first (one pass over the characters), so that a reply over the row cap is refused
  // before any row is built.
  while (pos < text.length && isBlank(text, pos, lineEnd(text, pos))) pos = lineEnd(text, pos) + 1;
  const count: LineCount = { pos, lines: 0, lineStart: pos, blank: true, bodyEnd: -1 };
  while (count.bodyEnd < 0) {
    countLines(text, count, COUNT_CHARS);
    yield;
  }
  if (count.lines > maxRows) throw new StatRowLimitError(command, count.lines, maxRows);

  const body = new BodyReader(text, header, pos, count.bodyEnd);
  while (body.pos < body.end) {
    body.read(STEP_ROWS);
    yield;
  }
  return { header, rows: body.rows, skipped: body.skipped };
}

/** Characters scanned between two chances to yield while counting lines. */
const COUNT_CHARS = 256 * 1024;

/** Where counting the body's lines stands (the hot loops live in plain functions, which V8 optimizes). */
interface LineCount {
  pos: number;
  lines: number;
  lineStart: number;
  blank: boolean;
  /** Where the body ends (the start of the closing blank line, or the text's end); -1 until known. */
  bodyEnd: number;
}

/** Counts the non-blank lines of the next `chars` characters, stopping at the first blank line. */
function countLines(text: string, c: LineCount, chars: number): void {
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
class BodyReader {
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
      if (raw !== "") row[name] = textual ? raw : toValue(raw);
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

/** Returns the row's `type` (frontend, backend, server, listener) or null when absent/unknown. */
export function statTypeOf(row: StatRow): StatType | null {
  const t = row.type;
  return t === 0 || t === 1 || t === 2 || t === 3 ? t : null;
}
