import { ReplyError } from "../client/errors.js";
import type { StatValue } from "./values.js";

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
export const SEPARATOR_COLUMN = "-";

/**
 * Most rows read from one `show stat` reply (`--max-rows`). 50k servers make ~51k rows (11 MB) and
 * ~80 MiB of rows in memory; a reply with more rows than this is refused whole, with a message,
 * before any row is built: parsing time and memory stay bounded whatever the peer sends.
 */
export const DEFAULT_MAX_ROWS = 200_000;

export interface StatParseOptions {
  /** Most rows read (default DEFAULT_MAX_ROWS); a reply with more is refused with StatRowLimitError. */
  maxRows?: number;
  /** The command that was answered, for messages (default "show stat"). */
  command?: string;
  /**
   * Keep only these columns (the rest are skipped without being cut out of the reply): what the
   * monitor reads (src/model/columns.ts). Undefined: every column.
   */
  columns?: ReadonlySet<string>;
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
/** Returns the row's `type` (frontend, backend, server, listener) or null when absent/unknown. */
export function statTypeOf(row: StatRow): StatType | null {
  const t = row.type;
  return t === 0 || t === 1 || t === 2 || t === 3 ? t : null;
}
