import { NO_RATES, type Rates } from "../../model/rates.js";
import type { BackendEntry, ServerEntry, Snapshot } from "../../model/snapshot.js";
import { statusTone } from "../../model/status.js";
import type { MonitorState } from "../../store/state.js";
import { bytes, compact, duration } from "../../text/format.js";
import { gaugeCell } from "../components/gauge.js";
import type { Cell, Column, Tone } from "../table/types.js";
import { bytesRateColumn, field, numberColumn, sumFields } from "./cells.js";
import { MATCH_ALL, type NameFilter } from "./filter.js";
import { type RowSort, sortRows } from "./sort.js";

/** A line of the backends tree: a backend (depth 0) or one of its servers (depth 1). */
export type BackendRow =
  | { kind: "backend"; key: string; entry: BackendEntry; rates: Rates; expanded: boolean; depth: 0 }
  | { kind: "server"; key: string; entry: ServerEntry; backend: string; rates: Rates; depth: 1 };

export interface BackendRowsOptions {
  /** Keys (`be/<name>`) of the backends whose servers are shown. */
  expanded: ReadonlySet<string>;
  filter?: NameFilter;
  sort?: RowSort<BackendRow>;
}

/**
 * The rows of the backends view. Backends are sorted among themselves and servers within their
 * backend. A backend whose name passes the filter shows as the operator left it (expanded or not,
 * with all its servers); otherwise it shows only when some of its servers pass, expanded, with only
 * those servers.
 */
export function buildBackendRows(state: MonitorState, options: BackendRowsOptions): BackendRow[] {
  const snapshot = state.snapshot;
  if (!snapshot) return [];
  const filter = options.filter ?? MATCH_ALL;
  const column = options.sort?.column;
  const descending = options.sort?.descending ?? false;
  const rates = state.rates;

  const groups: { row: BackendRow & { kind: "backend" }; servers: ServerEntry[] }[] = [];
  for (const entry of snapshot.backends) {
    let servers: ServerEntry[];
    let expanded: boolean;
    if (filter.match(entry.name)) {
      expanded = options.expanded.has(entry.key);
      servers = expanded ? entry.servers : [];
    } else {
      servers = entry.servers.filter((s) => filter.match(s.name));
      if (servers.length === 0) continue;
      expanded = true;
    }
    const row = {
      kind: "backend",
      key: entry.key,
      entry,
      rates: rates.get(entry.key) ?? NO_RATES,
      expanded,
      depth: 0,
    } as const;
    groups.push({ row, servers });
  }

  const sortedBackends = column ? sortRows(groups, wrapColumn(column), descending) : groups;
  const out: BackendRow[] = [];
  for (const { row, servers } of sortedBackends) {
    out.push(row);
    if (servers.length === 0) continue;
    const serverRows: BackendRow[] = servers.map((entry) => ({
      kind: "server",
      key: entry.key,
      entry,
      backend: row.entry.name,
      rates: rates.get(entry.key) ?? NO_RATES,
      depth: 1,
    }));
    for (const s of column ? sortRows(serverRows, column, descending) : serverRows) out.push(s);
  }
  return out;
}

/** Sorts the backend groups by their backend row. */
function wrapColumn<G extends { row: BackendRow }>(column: Column<BackendRow>): Column<G> {
  const sortValue = column.sortValue;
  return {
    ...column,
    cell: (g) => column.cell(g.row),
    sortValue: sortValue ? (g) => sortValue(g.row) : undefined,
  };
}

/** Number of servers in every backend of the snapshot. */
export function allServersCount(snapshot: Snapshot | null): number {
  if (!snapshot) return 0;
  let n = 0;
  for (const b of snapshot.backends) n += b.servers.length;
  return n;
}

/** The keys of every backend, for "expand all". */
export function expandAll(snapshot: Snapshot | null): Set<string> {
  const keys = new Set<string>();
  if (!snapshot) return keys;
  for (const b of snapshot.backends) keys.add(b.key);
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Cells

/**
 * Tone of a backend or server status: UP green, DOWN red, MAINT dim (taken out on purpose), DRAIN,
 * NOLB and the transitional "UP 1/3" / "DOWN 1/2" yellow, "no check" plain.
 */
export function backendStatusTone(status: string): Tone {
  const s = status.trim();
  if (s === "" || s === "no check") return "none";
  if (/^MAINT/.test(s)) return "dim";
  return statusTone(s);
}

/** "L7OK 3ms" green, "L4CON 1001ms" red, "INI"/"UNK" dim; "" for backends and unchecked servers. */
export function checkCell(row: BackendRow): Cell {
  if (row.kind !== "server") return { text: "" };
  const status = row.entry.stats.check_status;
  const text = status === null || status === undefined ? "" : String(status).trim();
  if (text === "") return { text: "" };
  const ms = field(row.entry.stats, "check_duration");
  const shown = ms === null ? text : `${text} ${ms}ms`;
  // "* L7OK" while a check is running (older versions).
  const word = text.replace(/^\*\s*/, "");
  const tone: Tone = /OK$/.test(word) ? "good" : /^(INI|UNK)/.test(word) ? "dim" : "bad";
  return { text: shown, tone };
}

/** "2/1" active/backup servers of a backend; "act" or "bck" for a server. */
function actBckText(row: BackendRow): string {
  const act = field(row.entry.stats, "act");
  const bck = field(row.entry.stats, "bck");
  if (row.kind === "backend") return `${act ?? "-"}/${bck ?? "-"}`;
  if (bck !== null && bck > 0) return "bck";
  if (act !== null && act > 0) return "act";
  return "-";
}

function pairText(a: number | null, b: number | null, unit = ""): string {
  if (a === null && b === null) return "-";
  return `${compact(a)}/${compact(b)}${unit}`;
}

const stat = (name: string) => (row: BackendRow) => field(row.entry.stats, name);

/** Width of the sessions gauge (bar + "scur/slim"). */
export const BACKEND_GAUGE_WIDTH = 18;

const nameColumn: Column<BackendRow> = {
  id: "name",
  title: "NAME",
  width: 18,
  grow: true,
  priority: 0,
  cell: (row) =>
    row.kind === "backend"
      ? { text: `${row.expanded ? "▾" : "▸"} ${row.entry.name}`, tone: "accent" }
      : { text: `  ${row.entry.name}` },
  sortValue: (row) => row.entry.name,
};

const statusColumn = (priority: number): Column<BackendRow> => ({
  id: "status",
  title: "STATUS",
  width: 10,
  priority,
  cell: (row) => ({ text: row.entry.status, tone: backendStatusTone(row.entry.status) }),
  sortValue: (row) => row.entry.status,
});

const sessRate = (row: BackendRow) => field(row.entry.stats, "rate") ?? row.rates.sessPerSec;

const statusSet: Column<BackendRow>[] = [
  nameColumn,
  statusColumn(0),
  {
    id: "check",
    title: "CHECK",
    width: 13,
    priority: 3,
    cell: checkCell,
    sortValue: (row) => (row.kind === "server" ? checkCell(row).text || null : null),
  },
  numberColumn("weight", "WGHT", stat("weight"), { width: 4, priority: 4 }),
  {
    id: "act_bck",
    title: "ACT/BCK",
    width: 7,
    priority: 5,
    align: "right",
    cell: (row) => ({ text: actBckText(row) }),
    sortValue: stat("act"),
  },
  {
    id: "queue",
    title: "QUEUE",
    width: 7,
    priority: 2,
    align: "right",
    cell: (row) => {
      const qcur = field(row.entry.stats, "qcur");
      return {
        text: pairText(qcur, field(row.entry.stats, "qmax")),
        tone: qcur !== null && qcur > 0 ? "warn" : "none",
      };
    },
    sortValue: stat("qcur"),
  },
  {
    id: "sessions",
    title: "SESSIONS",
    width: BACKEND_GAUGE_WIDTH,
    priority: 0,
    cell: (row) =>
      gaugeCell(field(row.entry.stats, "scur"), field(row.entry.stats, "slim"), BACKEND_GAUGE_WIDTH),
    sortValue: stat("scur"),
  },
  {
    id: "rate",
    title: "SESS/S",
    width: 6,
    priority: 1,
    align: "right",
    cell: (row) => ({ text: compact(sessRate(row)) }),
    sortValue: sessRate,
  },
  {
    id: "lastchg",
    title: "LASTCHG",
    width: 7,
    priority: 4,
    align: "right",
    cell: (row) => ({ text: duration(field(row.entry.stats, "lastchg")) }),
    sortValue: stat("lastchg"),
  },
  {
    id: "downtime",
    title: "DOWNTIME",
    width: 8,
    priority: 6,
    align: "right",
    cell: (row) => ({ text: duration(field(row.entry.stats, "downtime")) }),
    sortValue: stat("downtime"),
  },
  numberColumn("errors", "ERRORS", (row) => sumFields(row.entry.stats, "econ", "eresp"), {
    width: 6,
    priority: 2,
    toneWhenPositive: "bad",
  }),
];

const trafficSet: Column<BackendRow>[] = [
  nameColumn,
  statusColumn(1),
  bytesRateColumn<BackendRow>("bin_rate", "IN/S", (row) => row.rates.binPerSec, { width: 8, priority: 0 }),
  bytesRateColumn<BackendRow>("bout_rate", "OUT/S", (row) => row.rates.boutPerSec, { width: 8, priority: 0 }),
  numberColumn("stot", "STOT", stat("stot"), { width: 6, priority: 2 }),
  {
    id: "bin",
    title: "BIN",
    width: 6,
    priority: 3,
    align: "right",
    cell: (row) => ({ text: bytes(field(row.entry.stats, "bin")) }),
    sortValue: stat("bin"),
  },
  {
    id: "bout",
    title: "BOUT",
    width: 6,
    priority: 3,
    align: "right",
    cell: (row) => ({ text: bytes(field(row.entry.stats, "bout")) }),
    sortValue: stat("bout"),
  },
  {
    id: "rate",
    title: "RATE/MAX",
    width: 11,
    priority: 1,
    align: "right",
    cell: (row) => ({ text: pairText(sessRate(row), field(row.entry.stats, "rate_max")) }),
    sortValue: sessRate,
  },
  numberColumn("lbtot", "LBTOT", stat("lbtot"), { width: 6, priority: 4 }),
];

const httpSet: Column<BackendRow>[] = [
  nameColumn,
  statusColumn(1),
  numberColumn("req_tot", "REQ", stat("req_tot"), { width: 6, priority: 0 }),
  numberColumn("hrsp_1xx", "1XX", stat("hrsp_1xx"), { width: 5, priority: 5 }),
  numberColumn("hrsp_2xx", "2XX", stat("hrsp_2xx"), { width: 6, priority: 2 }),
  numberColumn("hrsp_3xx", "3XX", stat("hrsp_3xx"), { width: 6, priority: 4 }),
  numberColumn("hrsp_4xx", "4XX", stat("hrsp_4xx"), { width: 6, priority: 2 }),
  numberColumn("hrsp_5xx", "5XX", stat("hrsp_5xx"), { width: 6, priority: 0, toneWhenPositive: "bad" }),
  numberColumn("cli_abrt", "CLI_AB", stat("cli_abrt"), { width: 6, priority: 3 }),
  numberColumn("srv_abrt", "SRV_AB", stat("srv_abrt"), { width: 6, priority: 3, toneWhenPositive: "warn" }),
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
  },
];

const errorsSet: Column<BackendRow>[] = [
  nameColumn,
  statusColumn(1),
  numberColumn("econ", "ECON", stat("econ"), { width: 6, priority: 0, toneWhenPositive: "bad" }),
  numberColumn("eresp", "ERESP", stat("eresp"), { width: 6, priority: 0, toneWhenPositive: "bad" }),
  numberColumn("wretr", "WRETR", stat("wretr"), { width: 6, priority: 1, toneWhenPositive: "warn" }),
  numberColumn("wredis", "WREDIS", stat("wredis"), { width: 6, priority: 1, toneWhenPositive: "warn" }),
  numberColumn("chkfail", "CHKFAIL", stat("chkfail"), { width: 7, priority: 2, toneWhenPositive: "warn" }),
  numberColumn("chkdown", "CHKDOWN", stat("chkdown"), { width: 7, priority: 2, toneWhenPositive: "warn" }),
  numberColumn("cli_abrt", "CLI_AB", stat("cli_abrt"), { width: 6, priority: 3 }),
  numberColumn("srv_abrt", "SRV_AB", stat("srv_abrt"), { width: 6, priority: 3, toneWhenPositive: "warn" }),
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
