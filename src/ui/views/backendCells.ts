import { errorRate, percentOf, type Rates } from "../../model/rates.js";
import type { BackendEntry, ServerEntry } from "../../model/snapshot.js";
import { compact } from "../../text/format.js";
import { fillRatio, gaugeCell } from "../components/gauge.js";
import type { Cell, Tone } from "../table/types.js";
import { field, pairText } from "./cells.js";
import { serverCounts, serverCountsCell, serverStates } from "./serverState.js";
import { statusRank, type Trouble, troubleColumn } from "./trouble.js";

/** A line of the backends tree: a backend (depth 0) or one of its servers (depth 1). */
export type BackendRow =
  | { kind: "backend"; key: string; entry: BackendEntry; rates: Rates; expanded: boolean; depth: 0 }
  | { kind: "server"; key: string; entry: ServerEntry; backend: string; rates: Rates; depth: 1 };

/** "L7OK 3ms" green, "L4CON 1001ms" red, "INI"/"UNK" dim; for a backend, how many servers are up. */
export function checkCell(row: BackendRow): Cell {
  if (row.kind === "backend") return serverCountsCell(serverCounts(row.entry));
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
export function actBckText(row: BackendRow): string {
  const act = field(row.entry.stats, "act");
  const bck = field(row.entry.stats, "bck");
  if (row.kind === "backend") return `${act ?? "-"}/${bck ?? "-"}`;
  if (bck !== null && bck > 0) return "bck";
  if (act !== null && act > 0) return "act";
  return "-";
}

/** Width of the sessions gauge (bar + "scur/slim"). */
export const BACKEND_GAUGE_WIDTH = 16;

/**
 * The sessions gauge. A server's slim is its maxconn: a real limit, red when reached. A backend's
 * slim is its fullconn, a reference HAProxy derives (10 % of the frontends' maxconn by default)
 * and that is passed in normal operation: drawn neutral, never red.
 */
export function sessionsCell(row: BackendRow): Cell {
  const kind = row.kind === "backend" ? "reference" : "limit";
  return gaugeCell(field(row.entry.stats, "scur"), field(row.entry.stats, "slim"), BACKEND_GAUGE_WIDTH, kind);
}

/** "qcur/qmax": yellow while requests wait, red when the queue grows or reaches the server's maxqueue. */
export function queueCell(row: BackendRow): Cell {
  const s = row.entry.stats;
  const qcur = field(s, "qcur");
  const qlimit = field(s, "qlimit");
  const growing = (row.rates.queueGrowthPerSec ?? 0) > 0;
  let tone: Tone = "none";
  if (qcur !== null && qcur > 0)
    tone = growing || (qlimit !== null && qlimit > 0 && qcur >= qlimit) ? "bad" : "warn";
  return { text: pairText(qcur, field(s, "qmax")), tone };
}

export const backendSessRate = (row: BackendRow) => field(row.entry.stats, "rate") ?? row.rates.sessPerSec;
export const backend5xxPct = (row: BackendRow) => percentOf(row.rates.http5xxPerSec, row.rates.reqPerSec);
/** Connection + response errors per second (a backend or server has no request errors). */
export const backendErrRate = (row: BackendRow) => errorRate(row.rates);

export function backendTrouble(row: BackendRow): Trouble {
  return {
    status: row.entry.status,
    degraded: row.kind === "backend" && row.entry.servers.some((sv) => statusRank(sv.status) > 0),
    http5xxPerSec: row.rates.http5xxPerSec,
    errPerSec: backendErrRate(row),
    queue: field(row.entry.stats, "qcur"),
    fill: fillRatio(field(row.entry.stats, "scur"), field(row.entry.stats, "slim")),
  };
}

/** The hidden column of the default sort: DOWN first, then 5xx/s, errors/s, queue, gauge fill. */
export const backendTroubleColumn = troubleColumn(backendTrouble);

/** The selected row's lifetime totals and states, one line under the table. */
export function backendDetail(row: BackendRow): string {
  const s = row.entry.stats;
  const c = (name: string) => compact(field(s, name));
  const name = row.kind === "server" ? `${row.backend}/${row.entry.name}` : row.entry.name;
  const totals = [
    `5xx ${c("hrsp_5xx")}`,
    `econ ${c("econ")}`,
    `eresp ${c("eresp")}`,
    `retr ${c("wretr")}`,
    `redis ${c("wredis")}`,
    `smax ${c("smax")}`,
    `qmax ${c("qmax")}`,
  ];
  let state: string;
  if (row.kind === "backend") {
    state = `servers: ${serverCountsDetail(row.entry)}`;
  } else {
    const { admin, health } = serverStates(row.entry);
    state =
      `admin ${admin || "ready"}, health ${health ?? "not checked in maintenance"}` +
      ` · chkfail ${c("chkfail")} · chkdown ${c("chkdown")}`;
  }
  return `${name}: ${state} · since start or clear: ${totals.join(" · ")}`;
}

function serverCountsDetail(b: BackendEntry): string {
  const k = serverCounts(b);
  const parts = [
    `${k.up} up`,
    k.down && `${k.down} down`,
    k.maint && `${k.maint} maint`,
    k.drain && `${k.drain} drain`,
  ];
  return `${parts.filter(Boolean).join(", ")} of ${k.total}`;
}
