import type { ErrorEvent } from "../../parse/errors.js";
import type { MonitorState } from "../../store/state.js";
import type { Column } from "../table/types.js";
import { uniqueKey } from "./cells.js";
import type { NameFilter } from "./filter.js";
import { type RowSort, sortRows } from "./sort.js";

/** One captured error of `show errors`. */
export interface ErrorRow {
  /** Stable across polls: time, proxy and event number. */
  key: string;
  event: ErrorEvent;
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

const TIME = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{4}):(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * A capture date as printed by HAProxy ("24/Nov/2026:03:34:27.077") in ms, to order events (read as
 * UTC: only the order matters); null when it is not in that form.
 */
export function errorTimeValue(time: string): number | null {
  const m = TIME.exec(time.trim());
  if (!m) return null;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (month === undefined) return null;
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0").slice(0, 3));
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
}

/** The key of an event: the same event keeps it from one poll to the next. */
export function errorKey(event: ErrorEvent): string {
  return `${event.time}|${event.proxyKind}/${event.proxy}|#${event.eventNo ?? "-"}`;
}

export const errorColumns: Column<ErrorRow>[] = [
  {
    id: "time",
    title: "TIME",
    width: 24,
    priority: 0,
    cell: (row) => ({ text: row.event.time }),
    sortValue: (row) => errorTimeValue(row.event.time),
  },
  {
    id: "proxy",
    title: "PROXY",
    width: 16,
    priority: 0,
    cell: (row) => ({ text: row.event.proxy }),
    sortValue: (row) => row.event.proxy,
  },
  {
    id: "direction",
    title: "DIR",
    width: 8,
    priority: 1,
    cell: (row) => ({
      text: row.event.direction,
      tone: row.event.direction === "response" ? "warn" : "none",
    }),
    sortValue: (row) => row.event.direction,
  },
  {
    id: "reason",
    title: "REASON",
    width: 16,
    grow: true,
    priority: 0,
    cell: (row) => ({ text: row.event.reason, tone: "bad" }),
    sortValue: (row) => row.event.reason,
  },
  {
    id: "source",
    title: "SOURCE",
    width: 21,
    priority: 2,
    cell: (row) => ({ text: row.event.source ?? "-" }),
    sortValue: (row) => row.event.source,
  },
  {
    id: "position",
    title: "POS",
    width: 5,
    priority: 3,
    align: "right",
    cell: (row) => ({ text: row.event.position === null ? "-" : String(row.event.position) }),
    sortValue: (row) => row.event.position,
  },
];

/** Newest first: by capture time, then by event number. */
const newestFirst = (a: ErrorRow, b: ErrorRow): number => {
  const ta = errorTimeValue(a.event.time);
  const tb = errorTimeValue(b.event.time);
  if (ta !== tb) {
    if (ta === null) return 1;
    if (tb === null) return -1;
    return tb - ta;
  }
  return (b.event.eventNo ?? -1) - (a.event.eventNo ?? -1);
};

/**
 * The events of the last `show errors` whose proxy, other side, server or source passes the filter,
 * newest first unless a sort is given. Empty until errors were fetched.
 */
export function buildErrorRows(
  state: MonitorState,
  filter: NameFilter,
  sort?: RowSort<ErrorRow>,
): ErrorRow[] {
  const events = state.errors?.events;
  if (!events) return [];
  const rows: ErrorRow[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const names = [event.proxy, event.frontend, event.backend, event.server, event.source];
    if (!names.some((n) => n !== null && filter.match(n))) continue;
    rows.push({ key: uniqueKey(seen, errorKey(event)), event });
  }
  // Array#sort is stable: events of the same time and number keep HAProxy's order.
  rows.sort(newestFirst);
  return sort?.column ? sortRows(rows, sort.column, sort.descending) : rows;
}

// An escape as HAProxy prints it ("\x01", "\r", "\\"): never split across two lines.
const ATOM = /\\x[0-9a-fA-F]{2}|\\[\s\S]|[\s\S]/gu;

/**
 * The capture of an event for the detail pane: one entry per captured input line, wrapped at `width`
 * cells without cutting an escape sequence in two. Empty when nothing was captured.
 */
export function errorCaptureLines(event: ErrorEvent, width: number): string[] {
  const source =
    event.captureLines.length > 0
      ? event.captureLines
      : event.capture === ""
        ? []
        : event.capture.split("\n");
  const max = Math.max(4, Math.floor(Number.isFinite(width) ? width : 80));
  const out: string[] = [];
  for (const line of source) {
    if (line.length <= max) {
      out.push(line);
      continue;
    }
    let current = "";
    let cells = 0;
    for (const atom of line.match(ATOM) ?? []) {
      const w = atom.length > 1 && atom.startsWith("\\") ? atom.length : 1;
      if (cells + w > max && cells > 0) {
        out.push(current);
        current = "";
        cells = 0;
      }
      current += atom;
      cells += w;
    }
    if (current !== "") out.push(current);
  }
  return out;
}
