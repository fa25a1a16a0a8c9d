import { runSliced, runToEnd, type Steps } from "./slices.js";
import { BodyReader, COUNT_CHARS, countLines, isBlank, type LineCount, lineEnd } from "./statBody.js";
import {
  DEFAULT_MAX_ROWS,
  StatParseError,
  type StatParseOptions,
  type StatReply,
  type StatRow,
  StatRowLimitError,
} from "./statTypes.js";

// The reading of the body (rows, quoted records) lives in statBody.ts; types, errors and limits in
// statTypes.ts. Both are re-exported here, the module every caller imports.
export { ownString, readQuotedRecord } from "./statBody.js";
export * from "./statTypes.js";

/** Rows parsed between two chances to yield (see slices.ts). */
const STEP_ROWS = 64;
/** Lines scanned between two chances to yield while looking for the header. */
const STEP_LINES = 16_384;

const HEADER_LINE = /^#\s*\S/;

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

  const body = new BodyReader(text, header, pos, count.bodyEnd, opts.columns);
  while (body.pos < body.end) {
    body.read(STEP_ROWS);
    yield;
  }
  return { header, rows: body.rows, skipped: body.skipped };
}
