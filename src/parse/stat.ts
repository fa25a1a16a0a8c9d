import { parse } from "csv-parse/sync";
import { type StatValue, splitLines, toValue } from "./values.js";

/** One line of `show stat`, keyed by the names given in the CSV header. */
export type StatRow = Record<string, StatValue>;

/** Values of the `type` column of `show stat`. */
export const STAT_TYPE = { frontend: 0, backend: 1, server: 2, listener: 3 } as const;

/** A numeric value of the `type` column. */
export type StatType = (typeof STAT_TYPE)[keyof typeof STAT_TYPE];

/** Thrown when a `show stat` reply cannot be parsed (e.g. it has no "# pxname,..." header). */
export class StatParseError extends Error {
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

/** Parses the header line ("# pxname,svname,...,") into its column names, keeping empty/"-" slots. */
export function parseStatHeader(line: string): string[] {
  return line
    .replace(/^#\s*/, "")
    .split(",")
    .map((name) => name.trim());
}

/**
 * Parses a `show stat` CSV reply into rows mapped by header name: the trailing empty column and the
 * "-" separator column are dropped, empty values become null, numbers become numbers except in
 * textual columns. Reading stops at the blank line that ends the reply.
 * @throws StatParseError when no header line is found.
 */
export function parseStat(text: string): StatRow[] {
  const lines = splitLines(text);
  const headerIndex = lines.findIndex((line) => /^#\s*\S/.test(line) && line.includes(","));
  if (headerIndex < 0) {
    const first = lines.find((line) => line.trim() !== "")?.trim();
    throw new StatParseError(
      first === undefined
        ? "show stat: empty reply, no '# pxname,...' header line"
        : `show stat: no '# pxname,...' header line in reply (starts with: ${JSON.stringify(first.slice(0, 80))})`,
    );
  }
  const header = parseStatHeader(lines[headerIndex]!);
  const body: string[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") {
      if (body.length > 0) break;
      continue;
    }
    body.push(line);
  }
  if (body.length === 0) return [];

  const columns = header
    .map((name, index) => ({ name, index, textual: TEXTUAL_STAT_FIELDS.has(name) }))
    .filter(({ name }) => name !== "" && name !== SEPARATOR_COLUMN);
  // Every row starts as a spread of one template with all the fields: rows share one hidden class.
  // Adding ~130 properties one by one would put each row in V8's slow dictionary mode (5x the memory,
  // and every later field read slower).
  const template: StatRow = {};
  for (const { name } of columns) template[name] = null;
  return body.map((line) => {
    const record = line.includes('"') ? parseQuotedLine(line) : line.split(",");
    const row: StatRow = { ...template };
    for (const { name, index, textual } of columns) {
      const raw = record[index];
      if (raw !== undefined && raw !== "") row[name] = textual ? raw : toValue(raw);
    }
    return row;
  });
}

/**
 * A line with quoted fields (a name or check description with a comma or quote): HAProxy quotes
 * only when needed, so csv-parse is used for those lines alone. Plain lines are split directly,
 * about 10x faster on a 50k-server reply.
 */
function parseQuotedLine(line: string): string[] {
  try {
    const [record] = parse(line, { relax_column_count: true, relax_quotes: true }) as string[][];
    return record ?? [];
  } catch (err) {
    throw new StatParseError(`show stat: invalid CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Returns the row's `type` (frontend, backend, server, listener) or null when absent/unknown. */
export function statTypeOf(row: StatRow): StatType | null {
  const t = row.type;
  return t === 0 || t === 1 || t === 2 || t === 3 ? t : null;
}
