import type { Session } from "../../parse/sess.js";
import type { MonitorState } from "../../store/state.js";
import { compact, duration } from "../../text/format.js";
import type { Column, SortState } from "../table/types.js";
import { uniqueKey } from "./cells.js";
import type { NameFilter } from "./filter.js";
import { type RowSort, sortRows } from "./sort.js";

/** One stream of `show sess`. */
export interface SessionRow {
  /** The stream pointer ("0x555ab27bcef0"), what `shutdown session` takes. */
  key: string;
  session: Session;
}

/**
 * CPU time and latency of `show sess` (nanoseconds in 2.x) as a short duration: "850ns", "12.3us",
 * "4.1ms", "2.0s"; "-" when absent.
 */
export function nanos(n: number | null): string {
  if (n === null || !Number.isFinite(n) || n < 0) return "-";
  if (n === 0) return "0";
  if (n < 1e3) return `${Math.round(n)}ns`;
  const [v, unit] = n < 1e6 ? [n / 1e3, "us"] : n < 1e9 ? [n / 1e6, "ms"] : [n / 1e9, "s"];
  return `${v < 100 ? v.toFixed(1) : Math.round(v)}${unit}`;
}

export const sessionColumns: Column<SessionRow>[] = [
  {
    id: "src",
    title: "SOURCE",
    width: 21,
    grow: true,
    priority: 0,
    cell: (row) => ({ text: row.session.src }),
    sortValue: (row) => row.session.src,
  },
  {
    id: "fe",
    title: "FRONTEND",
    width: 14,
    priority: 0,
    cell: (row) => ({ text: row.session.fe }),
    sortValue: (row) => row.session.fe,
  },
  {
    id: "be",
    title: "BACKEND",
    width: 14,
    priority: 1,
    cell: (row) => (row.session.be === null ? { text: "-", tone: "dim" } : { text: row.session.be }),
    sortValue: (row) => row.session.be,
  },
  {
    id: "srv",
    title: "SERVER",
    width: 12,
    priority: 1,
    cell: (row) => (row.session.srv === null ? { text: "-", tone: "dim" } : { text: row.session.srv }),
    sortValue: (row) => row.session.srv,
  },
  {
    id: "age",
    title: "AGE",
    width: 7,
    priority: 0,
    align: "right",
    cell: (row) => ({ text: duration(row.session.ageSec) }),
    sortValue: (row) => row.session.ageSec,
  },
  {
    id: "calls",
    title: "CALLS",
    width: 6,
    priority: 3,
    align: "right",
    cell: (row) => ({ text: compact(row.session.calls) }),
    sortValue: (row) => row.session.calls,
  },
  {
    id: "cpu",
    title: "CPU",
    width: 7,
    priority: 4,
    align: "right",
    cell: (row) => ({ text: nanos(row.session.cpu) }),
    sortValue: (row) => row.session.cpu,
  },
  {
    id: "lat",
    title: "LAT",
    width: 7,
    priority: 4,
    align: "right",
    cell: (row) => ({ text: nanos(row.session.lat) }),
    sortValue: (row) => row.session.lat,
  },
  {
    id: "proto",
    title: "PROTO",
    width: 11,
    priority: 2,
    cell: (row) => ({ text: row.session.proto }),
    sortValue: (row) => row.session.proto,
  },
];

/** The column of the default sort (oldest first: age descending). */
export const SESSION_DEFAULT_SORT: SortState = { columnId: "age", descending: true };

/** The `/` filter on a session: its source, frontend, backend or server. */
export function sessionMatches(s: Session, filter: NameFilter): boolean {
  return (
    filter.match(s.src) ||
    filter.match(s.fe) ||
    (s.be !== null && filter.match(s.be)) ||
    (s.srv !== null && filter.match(s.srv))
  );
}

/**
 * The sessions of the last `show sess` without the CLI's own (and other CLI) sessions, keeping those
 * whose source, frontend, backend or server passes the filter. Empty until sessions were fetched.
 */
export function buildSessionRows(
  state: MonitorState,
  filter: NameFilter,
  sort?: RowSort<SessionRow>,
): SessionRow[] {
  const sessions = state.sessions;
  if (!sessions) return [];
  const rows: SessionRow[] = [];
  const seen = new Set<string>();
  for (const session of sessions) {
    if (session.isCli || !sessionMatches(session, filter)) continue;
    rows.push({ key: uniqueKey(seen, session.id), session });
  }
  return sort ? sortRows(rows, sort.column, sort.descending) : rows;
}
