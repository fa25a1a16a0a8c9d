import { denialRate, retryRate } from "../../model/rates.js";
import { bytes, duration } from "../../text/format.js";
import { fillRatio } from "../components/gauge.js";
import type { Column } from "../table/types.js";
import {
  actBckText,
  BACKEND_GAUGE_WIDTH,
  type BackendRow,
  backend5xxPct,
  backendErrRate,
  backendSessRate,
  checkCell,
  queueCell,
  sessionsCell,
} from "./backendCells.js";
import {
  bytesRateColumn,
  field,
  numberColumn,
  pairText,
  pctColumn,
  rateColumn,
  sinceText,
  sumFields,
} from "./cells.js";
import { adminTone, healthTone, serverStates } from "./serverState.js";

const stat = (name: string) => (row: BackendRow) => field(row.entry.stats, name);

const nameColumn: Column<BackendRow> = {
  id: "name",
  title: "NAME",
  width: 10,
  grow: true,
  priority: 0,
  cell: (row) =>
    row.kind === "backend"
      ? { text: `${row.expanded ? "▾" : "▸"} ${row.entry.name}`, tone: "accent" }
      : { text: `  ${row.entry.name}` },
  sortValue: (row) => row.entry.name,
};

/** Health (operational): UP/DOWN as the checks found it; unknown (dim "-") for a server in MAINT. */
const statusColumn = (priority: number): Column<BackendRow> => ({
  id: "status",
  title: "STATUS",
  width: 8,
  priority,
  cell: (row) => {
    if (row.kind === "backend") return { text: row.entry.status, tone: healthTone(row.entry.status) };
    const { health } = serverStates(row.entry);
    return { text: health ?? "-", tone: healthTone(health) };
  },
  sortValue: (row) => (row.kind === "backend" ? row.entry.status : (serverStates(row.entry).health ?? "")),
});

/** Admin state: MAINT or DRAIN as an operator (or DNS) set it; blank when in service. */
const adminColumn = (priority: number): Column<BackendRow> => ({
  id: "admin",
  title: "ADMIN",
  width: 5,
  priority,
  cell: (row) => {
    if (row.kind === "backend") return { text: "" };
    const { admin } = serverStates(row.entry);
    return { text: admin, tone: adminTone(admin) };
  },
  sortValue: (row) => (row.kind === "backend" ? null : serverStates(row.entry).admin || null),
});

const sessionsColumn: Column<BackendRow> = {
  id: "sessions",
  title: "SESSIONS",
  width: BACKEND_GAUGE_WIDTH,
  priority: 0,
  cell: sessionsCell,
  // Fullest first: how full, then how many.
  sortValue: (row) => [
    fillRatio(field(row.entry.stats, "scur"), field(row.entry.stats, "slim")) ?? -1,
    field(row.entry.stats, "scur") ?? -1,
  ],
  descendingFirst: true,
};

const queueColumn = (priority: number): Column<BackendRow> => ({
  id: "queue",
  title: "QUEUE",
  width: 7,
  priority,
  align: "right",
  cell: queueCell,
  sortValue: stat("qcur"),
  descendingFirst: true,
});

const rate5xx = (priority: number) =>
  rateColumn<BackendRow>("hrsp_5xx_rate", "5XX/S", (row) => row.rates.http5xxPerSec, {
    width: 6,
    priority,
    toneWhenPositive: "bad",
  });
const pct5xx = (priority: number) =>
  pctColumn<BackendRow>("hrsp_5xx_pct", "5XX%", backend5xxPct, {
    width: 5,
    priority,
    toneWhenPositive: "bad",
  });
const errRate = (priority: number) =>
  rateColumn<BackendRow>("err_rate", "ERR/S", backendErrRate, {
    width: 6,
    priority,
    toneWhenPositive: "bad",
  });
const smaxColumn = (priority: number) => numberColumn("smax", "SMAX", stat("smax"), { width: 5, priority });

/**
 * Status set. At 80 columns it keeps name, STATUS (health), ADMIN, CHECK, SESSIONS and LASTCHG;
 * traffic and totals go first.
 */
const statusSet: Column<BackendRow>[] = [
  nameColumn,
  statusColumn(0),
  adminColumn(0),
  {
    id: "check",
    title: "CHECK",
    width: 12,
    priority: 0,
    cell: checkCell,
    sortValue: (r) => checkCell(r).text || null,
  },
  sessionsColumn,
  smaxColumn(5),
  queueColumn(3),
  rate5xx(1),
  errRate(2),
  rateColumn("rate", "SESS/S", backendSessRate, { width: 6, priority: 4 }),
  numberColumn("weight", "WGHT", stat("weight"), { width: 4, priority: 5 }),
  {
    id: "act_bck",
    title: "ACT/BCK",
    width: 7,
    priority: 6,
    align: "right",
    cell: (row) => ({ text: actBckText(row) }),
    sortValue: stat("act"),
  },
  {
    id: "lastchg",
    title: "LASTCHG",
    width: 7,
    priority: 0,
    align: "right",
    cell: (row) => ({ text: sinceText(field(row.entry.stats, "lastchg")) }),
    sortValue: stat("lastchg"),
  },
  {
    id: "downtime",
    title: "DOWNTIME",
    width: 8,
    priority: 7,
    align: "right",
    cell: (row) => ({ text: duration(field(row.entry.stats, "downtime")) }),
    sortValue: stat("downtime"),
    descendingFirst: true,
  },
];

const bytesColumn = (id: string, title: string, priority: number): Column<BackendRow> => ({
  id,
  title,
  width: 6,
  priority,
  align: "right",
  cell: (row) => ({ text: bytes(field(row.entry.stats, id)) }),
  sortValue: stat(id),
  descendingFirst: true,
});

const trafficSet: Column<BackendRow>[] = [
  nameColumn,
  statusColumn(1),
  bytesRateColumn<BackendRow>("bin_rate", "IN/S", (row) => row.rates.binPerSec, { width: 8, priority: 0 }),
  bytesRateColumn<BackendRow>("bout_rate", "OUT/S", (row) => row.rates.boutPerSec, { width: 8, priority: 0 }),
  rateColumn("req_rate", "REQ/S", (row) => row.rates.reqPerSec, { width: 6, priority: 1 }),
  {
    id: "rate",
    title: "RATE/MAX",
    width: 11,
    priority: 1,
    align: "right",
    cell: (row) => ({ text: pairText(backendSessRate(row), field(row.entry.stats, "rate_max")) }),
    sortValue: backendSessRate,
    descendingFirst: true,
  },
  numberColumn("stot", "STOT", stat("stot"), { width: 6, priority: 2 }),
  bytesColumn("bin", "BIN", 3),
  bytesColumn("bout", "BOUT", 3),
  numberColumn("lbtot", "LBTOT", stat("lbtot"), { width: 6, priority: 4 }),
];

/** HTTP: the rates now first, then the lifetime counts per class and the response times. */
const httpSet: Column<BackendRow>[] = [
  nameColumn,
  statusColumn(1),
  rateColumn("req_rate", "REQ/S", (row) => row.rates.reqPerSec, { width: 6, priority: 0 }),
  rate5xx(0),
  pct5xx(0),
  rateColumn("hrsp_4xx_rate", "4XX/S", (row) => row.rates.http4xxPerSec, {
    width: 6,
    priority: 1,
    toneWhenPositive: "warn",
  }),
  numberColumn("req_tot", "REQ", stat("req_tot"), { width: 6, priority: 2 }),
  numberColumn("hrsp_2xx", "2XX", stat("hrsp_2xx"), { width: 6, priority: 3 }),
  numberColumn("hrsp_3xx", "3XX", stat("hrsp_3xx"), { width: 6, priority: 5 }),
  numberColumn("hrsp_4xx", "4XX", stat("hrsp_4xx"), { width: 6, priority: 3 }),
  numberColumn("hrsp_5xx", "5XX", stat("hrsp_5xx"), { width: 6, priority: 2, toneWhenPositive: "bad" }),
  numberColumn("cli_abrt", "CLI_AB", stat("cli_abrt"), { width: 6, priority: 4 }),
  numberColumn("srv_abrt", "SRV_AB", stat("srv_abrt"), { width: 6, priority: 4, toneWhenPositive: "warn" }),
  {
    id: "rtime",
    title: "RTIME/TTIME",
    width: 13,
    priority: 1,
    align: "right",
    cell: (row) => ({
      text: pairText(field(row.entry.stats, "rtime"), field(row.entry.stats, "ttime"), "ms"),
    }),
    sortValue: stat("rtime"),
    descendingFirst: true,
  },
];

/** Errors: what goes wrong per second now, then the lifetime totals. */
const errorsSet: Column<BackendRow>[] = [
  nameColumn,
  statusColumn(1),
  rate5xx(0),
  pct5xx(0),
  rateColumn("econ_rate", "ECON/S", (row) => row.rates.econPerSec, {
    width: 6,
    priority: 0,
    toneWhenPositive: "bad",
  }),
  rateColumn("eresp_rate", "ERSP/S", (row) => row.rates.erespPerSec, {
    width: 6,
    priority: 0,
    toneWhenPositive: "bad",
  }),
  rateColumn("retry_rate", "RETR/S", (row) => retryRate(row.rates), {
    width: 6,
    priority: 1,
    toneWhenPositive: "warn",
  }),
  queueColumn(1),
  rateColumn("deny_rate", "DENY/S", (row) => denialRate(row.rates), {
    width: 6,
    priority: 2,
    toneWhenPositive: "warn",
  }),
  numberColumn("econ", "ECON", stat("econ"), { width: 6, priority: 3, toneWhenPositive: "bad" }),
  numberColumn("eresp", "ERESP", stat("eresp"), { width: 6, priority: 3, toneWhenPositive: "bad" }),
  numberColumn("wretr", "WRETR", stat("wretr"), { width: 6, priority: 4, toneWhenPositive: "warn" }),
  numberColumn("wredis", "WREDIS", stat("wredis"), { width: 6, priority: 4, toneWhenPositive: "warn" }),
  numberColumn("chkfail", "CHKFAIL", stat("chkfail"), { width: 7, priority: 5, toneWhenPositive: "warn" }),
  numberColumn("chkdown", "CHKDOWN", stat("chkdown"), { width: 7, priority: 5, toneWhenPositive: "warn" }),
  numberColumn("errors", "ERRORS", (row) => sumFields(row.entry.stats, "econ", "eresp"), {
    width: 6,
    priority: 6,
  }),
];

/** The column sets the backends view switches between, in the order the UI cycles through them. */
export const BACKEND_COLUMN_SET_ORDER = ["status", "traffic", "http", "errors"] as const;

export type BackendColumnSetId = (typeof BACKEND_COLUMN_SET_ORDER)[number];

export const BACKEND_COLUMN_SET_TITLES: Record<BackendColumnSetId, string> = {
  status: "Status",
  traffic: "Traffic",
  http: "HTTP",
  errors: "Errors",
};

export const backendColumnSets: Record<BackendColumnSetId, Column<BackendRow>[]> = {
  status: statusSet,
  traffic: trafficSet,
  http: httpSet,
  errors: errorsSet,
};

/** The column set after `current` (before it with `step` -1), wrapping around. */
export function nextBackendColumnSet(current: BackendColumnSetId, step: 1 | -1 = 1): BackendColumnSetId {
  const n = BACKEND_COLUMN_SET_ORDER.length;
  const at = Math.max(0, BACKEND_COLUMN_SET_ORDER.indexOf(current));
  return BACKEND_COLUMN_SET_ORDER[(((at + step) % n) + n) % n]!;
}
