import { NO_RATES, type Rates } from "../../model/rates.js";
import { num, type ProxyEntry } from "../../model/snapshot.js";
import { statusTone } from "../../model/status.js";
import type { MonitorState } from "../../store/state.js";
import { compact } from "../../text/format.js";
import { gaugeCell } from "../components/gauge.js";
import type { Column } from "../table/types.js";
import { bytesRateColumn, field, numberColumn, sumFields } from "./cells.js";
import type { NameFilter } from "./filter.js";
import { type RowSort, sortRows } from "./sort.js";

/** One frontend of the frontends view. */
export interface FrontendRow {
  /** `fe/<name>`. */
  key: string;
  entry: ProxyEntry;
  rates: Rates;
}

/** Width of the sessions gauge (bar + "scur/slim"). */
export const FRONTEND_GAUGE_WIDTH = 18;

/** New sessions per second: HAProxy's own `rate` (last second), else the rate from counter deltas. */
export function frontendSessRate(row: FrontendRow): number | null {
  return num(row.entry.stats, "rate") ?? row.rates.sessPerSec;
}

/** HTTP requests per second: HAProxy's `req_rate`, else the rate from `req_tot` deltas. */
export function frontendReqRate(row: FrontendRow): number | null {
  return num(row.entry.stats, "req_rate") ?? row.rates.reqPerSec;
}

const stat = (name: string) => (row: FrontendRow) => field(row.entry.stats, name);

/**
 * The frontends table. Priorities keep name, status, sessions gauge, sess/s, req/s and 5xx on an
 * 80-column terminal (60 cells with one-cell gaps); the rest goes first when narrow.
 */
export const frontendColumns: Column<FrontendRow>[] = [
  {
    id: "name",
    title: "FRONTEND",
    width: 16,
    grow: true,
    priority: 0,
    cell: (row) => ({ text: row.entry.name }),
    sortValue: (row) => row.entry.name,
  },
  {
    id: "status",
    title: "STATUS",
    width: 6,
    priority: 0,
    cell: (row) => ({ text: row.entry.status, tone: statusTone(row.entry.status) }),
    sortValue: (row) => row.entry.status,
  },
  {
    id: "sessions",
    title: "SESSIONS",
    width: FRONTEND_GAUGE_WIDTH,
    priority: 0,
    cell: (row) =>
      gaugeCell(num(row.entry.stats, "scur"), num(row.entry.stats, "slim"), FRONTEND_GAUGE_WIDTH),
    sortValue: stat("scur"),
  },
  {
    id: "rate",
    title: "SESS/S",
    width: 6,
    align: "right",
    priority: 1,
    cell: (row) => ({ text: compact(frontendSessRate(row)) }),
    sortValue: frontendSessRate,
  },
  {
    id: "req_rate",
    title: "REQ/S",
    width: 6,
    align: "right",
    priority: 1,
    cell: (row) => ({ text: compact(frontendReqRate(row)) }),
    sortValue: frontendReqRate,
  },
  bytesRateColumn<FrontendRow>("bin_rate", "IN/S", (row) => row.rates.binPerSec, { width: 8, priority: 2 }),
  bytesRateColumn<FrontendRow>("bout_rate", "OUT/S", (row) => row.rates.boutPerSec, {
    width: 8,
    priority: 2,
  }),
  numberColumn<FrontendRow>("denied", "DENIED", (row) => sumFields(row.entry.stats, "dreq", "dresp"), {
    width: 6,
    priority: 4,
    toneWhenPositive: "warn",
  }),
  numberColumn("ereq", "ERRORS", stat("ereq"), { width: 6, priority: 3, toneWhenPositive: "warn" }),
  numberColumn("hrsp_2xx", "2XX", stat("hrsp_2xx"), { width: 6, priority: 5 }),
  numberColumn("hrsp_3xx", "3XX", stat("hrsp_3xx"), { width: 6, priority: 6 }),
  numberColumn("hrsp_4xx", "4XX", stat("hrsp_4xx"), { width: 6, priority: 4 }),
  numberColumn("hrsp_5xx", "5XX", stat("hrsp_5xx"), { width: 6, priority: 1, toneWhenPositive: "bad" }),
];

/**
 * The frontends of the current snapshot that pass the filter, in configuration order unless a sort
 * is given. Empty before the first snapshot.
 */
export function buildFrontendRows(
  state: MonitorState,
  filter: NameFilter,
  sort?: RowSort<FrontendRow>,
): FrontendRow[] {
  const snapshot = state.snapshot;
  if (!snapshot) return [];
  const rows: FrontendRow[] = [];
  for (const entry of snapshot.frontends) {
    if (!filter.match(entry.name)) continue;
    rows.push({ key: entry.key, entry, rates: state.rates.get(entry.key) ?? NO_RATES });
  }
  return sort ? sortRows(rows, sort.column, sort.descending) : rows;
}
