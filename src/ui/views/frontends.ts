import { denialRate, NO_RATES, percentOf, type Rates } from "../../model/rates.js";
import { num, type ProxyEntry } from "../../model/snapshot.js";
import { statusTone } from "../../model/status.js";
import type { MonitorState } from "../../store/state.js";
import { compact } from "../../text/format.js";
import { fillRatio, gaugeCell } from "../components/gauge.js";
import type { Column, Tone } from "../table/types.js";
import { bytesRateColumn, field, numberColumn, pctColumn, rateColumn, sumFields } from "./cells.js";
import type { NameFilter } from "./filter.js";
import { type RowSort, sortRows } from "./sort.js";
import { type Trouble, troubleColumn } from "./trouble.js";

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

/** 5xx answered to clients as a % of the requests over the last poll (both from counter deltas). */
export const frontend5xxPct = (row: FrontendRow) => percentOf(row.rates.http5xxPerSec, row.rates.reqPerSec);

/**
 * OPEN green; STOP red; FULL (the frontend is at its maxconn and stops accepting) red too: it is
 * a real limit, clients wait or are refused.
 */
export function frontendStatusTone(status: string): Tone {
  return status.trim() === "FULL" ? "bad" : statusTone(status);
}

const stat = (name: string) => (row: FrontendRow) => field(row.entry.stats, name);

export function frontendTrouble(row: FrontendRow): Trouble {
  return {
    status: row.entry.status,
    http5xxPerSec: row.rates.http5xxPerSec,
    errPerSec: row.rates.ereqPerSec,
    queue: null,
    fill: fillRatio(num(row.entry.stats, "scur"), num(row.entry.stats, "slim")),
  };
}

/**
 * The frontends table. Priorities keep name, status, the sessions gauge and the rates of what
 * goes wrong now (5xx/s, 5xx %, request errors/s) on an 80-column terminal; lifetime totals come
 * last (they are also in the detail line under the table).
 */
export const frontendColumns: Column<FrontendRow>[] = [
  {
    id: "name",
    title: "FRONTEND",
    width: 8,
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
    cell: (row) => ({ text: row.entry.status, tone: frontendStatusTone(row.entry.status) }),
    sortValue: (row) => row.entry.status,
  },
  {
    id: "sessions",
    title: "SESSIONS",
    width: FRONTEND_GAUGE_WIDTH,
    priority: 0,
    // A frontend's slim is its maxconn: a real limit (red when reached).
    cell: (row) =>
      gaugeCell(num(row.entry.stats, "scur"), num(row.entry.stats, "slim"), FRONTEND_GAUGE_WIDTH),
    sortValue: (row) => [
      fillRatio(num(row.entry.stats, "scur"), num(row.entry.stats, "slim")) ?? -1,
      num(row.entry.stats, "scur") ?? -1,
    ],
    descendingFirst: true,
  },
  numberColumn("smax", "SMAX", stat("smax"), { width: 5, priority: 4 }),
  rateColumn("rate", "SESS/S", frontendSessRate, { width: 6, priority: 2 }),
  rateColumn("req_rate", "REQ/S", frontendReqRate, { width: 6, priority: 1 }),
  rateColumn("hrsp_5xx_rate", "5XX/S", (row) => row.rates.http5xxPerSec, {
    width: 6,
    priority: 0,
    toneWhenPositive: "bad",
  }),
  pctColumn("hrsp_5xx_pct", "5XX%", frontend5xxPct, { width: 5, priority: 1, toneWhenPositive: "bad" }),
  rateColumn("ereq_rate", "ERR/S", (row) => row.rates.ereqPerSec, {
    width: 6,
    priority: 1,
    toneWhenPositive: "bad",
  }),
  rateColumn("hrsp_4xx_rate", "4XX/S", (row) => row.rates.http4xxPerSec, {
    width: 6,
    priority: 3,
    toneWhenPositive: "warn",
  }),
  rateColumn("denied_rate", "DENY/S", (row) => denialRate(row.rates), {
    width: 6,
    priority: 3,
    toneWhenPositive: "warn",
  }),
  bytesRateColumn<FrontendRow>("bin_rate", "IN/S", (row) => row.rates.binPerSec, { width: 8, priority: 5 }),
  bytesRateColumn<FrontendRow>("bout_rate", "OUT/S", (row) => row.rates.boutPerSec, {
    width: 8,
    priority: 5,
  }),
  numberColumn("req_tot", "REQ", stat("req_tot"), { width: 6, priority: 7 }),
  numberColumn("hrsp_5xx", "5XX", stat("hrsp_5xx"), { width: 6, priority: 6, toneWhenPositive: "bad" }),
  numberColumn("hrsp_4xx", "4XX", stat("hrsp_4xx"), { width: 6, priority: 7 }),
  numberColumn("ereq", "ERRORS", stat("ereq"), { width: 6, priority: 6, toneWhenPositive: "warn" }),
  numberColumn<FrontendRow>("denied", "DENIED", (row) => sumFields(row.entry.stats, "dreq", "dresp"), {
    width: 6,
    priority: 7,
    toneWhenPositive: "warn",
  }),
  numberColumn("hrsp_2xx", "2XX", stat("hrsp_2xx"), { width: 6, priority: 8 }),
  numberColumn("hrsp_3xx", "3XX", stat("hrsp_3xx"), { width: 6, priority: 9 }),
];

/** The hidden column of the default sort: stopped or full first, then 5xx/s, errors/s, fill. */
export const frontendTroubleColumn = troubleColumn(frontendTrouble);

/** The selected frontend's lifetime totals, one line under the table. */
export function frontendDetail(row: FrontendRow): string {
  const s = row.entry.stats;
  const c = (name: string) => compact(field(s, name));
  const parts = [
    `req ${c("req_tot")}`,
    `2xx ${c("hrsp_2xx")}`,
    `3xx ${c("hrsp_3xx")}`,
    `4xx ${c("hrsp_4xx")}`,
    `5xx ${c("hrsp_5xx")}`,
    `ereq ${c("ereq")}`,
    `dreq ${c("dreq")}`,
    `dresp ${c("dresp")}`,
    `sessions ${c("stot")}`,
    `smax ${c("smax")}`,
  ];
  return `${row.entry.name} since start or clear: ${parts.join(" · ")}`;
}

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
