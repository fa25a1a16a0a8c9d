import type { Session } from "../../parse/sess.js";
import type { MonitorState } from "../../store/state.js";
import { duration } from "../../text/format.js";
import type { Column, SortState } from "../table/types.js";
import { numberColumn } from "./cells.js";
import type { NameFilter } from "./filter.js";
import { sessionMatches } from "./sessions.js";
import { type RowSort, sortRows } from "./sort.js";

/**
 * Top talkers: the sessions view grouped by source address or by backend/server, so "who is
 * connected" reads in one screen at 10k sessions. `o` cycles none → source → server → none.
 */
export type SessionGrouping = "none" | "source" | "server";

export const SESSION_GROUPINGS: readonly SessionGrouping[] = ["none", "source", "server"];

export function nextSessionGrouping(g: SessionGrouping): SessionGrouping {
  return SESSION_GROUPINGS[(SESSION_GROUPINGS.indexOf(g) + 1) % SESSION_GROUPINGS.length]!;
}

export const GROUPING_TITLES: Readonly<Record<SessionGrouping, string>> = {
  none: "every session",
  source: "by source",
  server: "by backend/server",
};

/** One group of sessions: a source address, or a backend/server pair. */
export interface SessionGroupRow {
  /** `src:<address>` or `srv:<backend>/<server>`: stable across polls (the cursor follows it). */
  key: string;
  grouping: "source" | "server";
  /** The address ("10.0.0.7"), or "be_app/app1" ("be_app/-" queued, "-" no backend yet). */
  label: string;
  /** The backend and server of a server group (null: none yet). */
  backend: string | null;
  server: string | null;
  count: number;
  /** Age of the oldest session of the group, seconds (null: no session said its age). */
  oldestSec: number | null;
  /** Distinct frontends of the group's sessions, in first-seen order. */
  frontends: string[];
  /** Distinct backends (source groups): where this client's sessions went. */
  backends: string[];
  /** Distinct source addresses (server groups): how many clients it serves. */
  sources: number;
}

/**
 * The address part of a `show sess` source: "10.0.0.7:51234" → "10.0.0.7", "::1:51234" → "::1"
 * (HAProxy prints IPv6 without brackets), "[::1]:80" → "::1". A unix socket ("unix:1", the
 * listener's id, not a port) and anything else is kept whole.
 */
export function sourceAddress(src: string): string {
  if (src.startsWith("unix")) return src;
  const colon = src.lastIndexOf(":");
  if (colon <= 0 || !/^\d+$/.test(src.slice(colon + 1))) return src;
  const addr = src.slice(0, colon);
  return addr.startsWith("[") && addr.endsWith("]") ? addr.slice(1, -1) : addr;
}

/** What each group collects while the sessions go by (sets only where distinct values are asked for). */
interface Acc {
  row: SessionGroupRow;
  frontends: Set<string>;
  backends: Set<string> | null;
  sources: Set<string> | null;
}

const NONE = "-";

/**
 * Groups the sessions of the last `show sess` (the CLI's own left out) in one pass. The filter
 * applies to sessions first, as in the plain list (a session passes when its source, frontend,
 * backend or server matches): `/fe_web` then `o` answers "who is connected to fe_web".
 */
export function groupSessions(
  sessions: readonly Session[],
  grouping: "source" | "server",
  filter: NameFilter,
): SessionGroupRow[] {
  const groups = new Map<string, Acc>();
  for (const s of sessions) {
    if (s.isCli || !sessionMatches(s, filter)) continue;
    const { src, fe, be, srv } = s;
    const addr = grouping === "source" ? sourceAddress(src) : "";
    const label = grouping === "source" ? addr : be === null ? NONE : `${be}/${srv ?? NONE}`;
    const key = grouping === "source" ? `src:${addr}` : `srv:${label}`;
    let acc = groups.get(key);
    if (!acc) {
      acc = {
        row: {
          key,
          grouping,
          label,
          backend: grouping === "server" ? be : null,
          server: grouping === "server" ? srv : null,
          count: 0,
          oldestSec: null,
          frontends: [],
          backends: [],
          sources: 0,
        },
        frontends: new Set(),
        backends: grouping === "source" ? new Set() : null,
        sources: grouping === "server" ? new Set() : null,
      };
      groups.set(key, acc);
    }
    const row = acc.row;
    row.count++;
    if (s.ageSec !== null && (row.oldestSec === null || s.ageSec > row.oldestSec)) row.oldestSec = s.ageSec;
    if (!acc.frontends.has(fe)) {
      acc.frontends.add(fe);
      row.frontends.push(fe);
    }
    if (acc.backends && be !== null && !acc.backends.has(be)) {
      acc.backends.add(be);
      row.backends.push(be);
    }
    acc.sources?.add(sourceAddress(src));
  }
  const rows: SessionGroupRow[] = [];
  for (const acc of groups.values()) {
    if (acc.sources) acc.row.sources = acc.sources.size;
    rows.push(acc.row);
  }
  return rows;
}

/** "fe_web", "fe_web, fe_api", "fe_web +3": names that fit a column, the count of the rest. */
export function namesText(names: readonly string[], max = 2): string {
  if (names.length === 0) return NONE;
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} +${names.length - max}`;
}

const countColumn = numberColumn<SessionGroupRow>("count", "SESS", (r) => r.count, {
  width: 6,
  priority: 0,
});

const oldestColumn: Column<SessionGroupRow> = {
  id: "oldest",
  title: "OLDEST",
  width: 7,
  priority: 0,
  align: "right",
  cell: (r) => ({ text: duration(r.oldestSec) }),
  sortValue: (r) => r.oldestSec,
  descendingFirst: true,
};

const frontendsColumn: Column<SessionGroupRow> = {
  id: "frontends",
  title: "FRONTENDS",
  width: 18,
  priority: 1,
  cell: (r) => ({ text: namesText(r.frontends) }),
  sortValue: (r) => r.frontends.length,
  descendingFirst: true,
};

export const sourceGroupColumns: Column<SessionGroupRow>[] = [
  {
    id: "source",
    title: "SOURCE",
    width: 18,
    grow: true,
    priority: 0,
    cell: (r) => ({ text: r.label }),
    sortValue: (r) => r.label,
  },
  countColumn,
  frontendsColumn,
  {
    id: "backends",
    title: "BACKENDS",
    width: 18,
    priority: 2,
    cell: (r) => (r.backends.length ? { text: namesText(r.backends) } : { text: NONE, tone: "dim" }),
    sortValue: (r) => r.backends.length,
    descendingFirst: true,
  },
  oldestColumn,
];

export const serverGroupColumns: Column<SessionGroupRow>[] = [
  {
    id: "server",
    title: "BACKEND/SERVER",
    width: 22,
    grow: true,
    priority: 0,
    cell: (r) => (r.backend === null ? { text: "- (no backend yet)", tone: "dim" } : { text: r.label }),
    sortValue: (r) => r.label,
  },
  countColumn,
  numberColumn<SessionGroupRow>("sources", "SOURCES", (r) => r.sources, { width: 8, priority: 0 }),
  frontendsColumn,
  oldestColumn,
];

/** Biggest talkers first. */
export const GROUP_DEFAULT_SORT: SortState = { columnId: "count", descending: true };

export function groupColumns(grouping: "source" | "server"): Column<SessionGroupRow>[] {
  return grouping === "source" ? sourceGroupColumns : serverGroupColumns;
}

/** The grouped rows of the last `show sess`, sorted (count descending unless the operator chose). */
export function buildSessionGroupRows(
  state: MonitorState,
  grouping: "source" | "server",
  filter: NameFilter,
  sort?: RowSort<SessionGroupRow>,
): SessionGroupRow[] {
  if (!state.sessions) return [];
  const rows = groupSessions(state.sessions, grouping, filter);
  return sort ? sortRows(rows, sort.column, sort.descending) : rows;
}

/**
 * The list filter that keeps exactly one source's sessions (Enter on a source group): the address
 * with any port, `~^10\.0\.0\.7:\d+$`; a unix source (no port) as it is.
 */
export function sessionGroupFilter(source: string): string {
  const re = source.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return source.startsWith("unix") || source === "" ? `~^${re}$` : `~^${re}:\\d+$`;
}

/** "12 sources, 3,400 sessions" for the tab bar. */
export function groupTabExtra(rows: readonly SessionGroupRow[], grouping: "source" | "server"): string {
  let sessions = 0;
  for (const r of rows) sessions += r.count;
  const what = grouping === "source" ? "source" : "backend/server";
  const p = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  return `${GROUPING_TITLES[grouping]}: ${p(rows.length, what)}, ${p(sessions, "session")}`;
}
