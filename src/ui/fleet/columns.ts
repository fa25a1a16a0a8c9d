import { type FleetRow, fleetTrouble } from "../../model/fleet.js";
import { duration } from "../../text/format.js";
import { fillRatio, gaugeCell } from "../components/gauge.js";
import type { Column, SortState } from "../table/types.js";
import { numberColumn, rateColumn, sinceText } from "../views/cells.js";
import type { NameFilter } from "../views/filter.js";
import { findColumn, sortRows } from "../views/sort.js";
import { TROUBLE_ID } from "../views/trouble.js";

/** A fleet row and the time it is drawn at (ages are computed from it, so rendering stays pure). */
export interface FleetLine extends FleetRow {
  now: number;
}

const GAUGE_WIDTH = 18;

const stateCell = (r: FleetRow) =>
  r.reachable === null
    ? { text: "connecting", tone: "dim" as const }
    : r.reachable
      ? { text: "UP", tone: "good" as const }
      : { text: "DISCONNECTED", tone: "bad" as const };

/** The fleet overview's columns: one load balancer per row (src/model/fleet.ts). */
export const fleetColumns: Column<FleetLine>[] = [
  {
    id: "name",
    title: "TARGET",
    width: 10,
    priority: 0,
    grow: true,
    cell: (r) => ({ text: r.name }),
    sortValue: (r) => r.name,
  },
  {
    id: "state",
    title: "STATE",
    width: 12,
    priority: 0,
    cell: stateCell,
    sortValue: (r) => (r.reachable === false ? 0 : r.reachable === null ? 1 : 2),
  },
  {
    id: "conns",
    title: "CONNS/MAXCONN",
    width: GAUGE_WIDTH,
    priority: 1,
    cell: (r) => gaugeCell(r.curConns, r.maxConn, GAUGE_WIDTH),
    sortValue: (r) => fillRatio(r.curConns, r.maxConn),
    descendingFirst: true,
  },
  rateColumn("req", "REQ/S", (r) => r.reqPerSec, { width: 7, priority: 1 }),
  rateColumn("5xx", "5XX/S", (r) => r.http5xxPerSec, { width: 6, priority: 1, toneWhenPositive: "bad" }),
  rateColumn("err", "ERR/S", (r) => r.errPerSec, { width: 6, priority: 2, toneWhenPositive: "warn" }),
  numberColumn("down", "DOWN", (r) => r.serversDown, { width: 5, priority: 1, toneWhenPositive: "bad" }),
  numberColumn("maint", "MAINT", (r) => r.serversMaint, { width: 5, priority: 3, toneWhenPositive: "warn" }),
  numberColumn("srv", "SRV", (r) => r.serversTotal, { width: 5, priority: 3 }),
  {
    id: "version",
    title: "VERSION",
    width: 9,
    priority: 4,
    cell: (r) => ({ text: r.version ?? "-" }),
    sortValue: (r) => r.version,
  },
  {
    id: "uptime",
    title: "UPTIME",
    width: 7,
    priority: 3,
    align: "right",
    // A reload or restart in the last minute shows: the operator sees the pid/uptime change.
    cell: (r) => ({
      text: duration(r.uptimeSec),
      tone: r.changedAt !== null && r.now - r.changedAt < 60_000 ? "accent" : "none",
    }),
    sortValue: (r) => r.uptimeSec,
  },
  {
    id: "pid",
    title: "PID",
    width: 7,
    priority: 5,
    align: "right",
    cell: (r) => ({ text: r.pid === null ? "-" : String(r.pid) }),
    sortValue: (r) => r.pid,
  },
  {
    id: "age",
    title: "POLLED",
    width: 6,
    priority: 2,
    align: "right",
    cell: (r) => {
      const sec = r.lastOkAt === null ? null : Math.max(0, Math.floor((r.now - r.lastOkAt) / 1000));
      return {
        text: sec === null ? "never" : `${sinceText(sec)}`,
        tone: sec !== null && sec > 5 ? "warn" : "none",
      };
    },
    sortValue: (r) => (r.lastOkAt === null ? null : r.now - r.lastOkAt),
  },
];

/** The default sort, trouble first: unreachable, servers DOWN, 5xx/s, errors/s, the fullest. */
export const fleetTroubleColumn: Column<FleetLine> = {
  id: TROUBLE_ID,
  title: "trouble",
  width: 0,
  priority: Number.MAX_SAFE_INTEGER,
  cell: () => ({ text: "" }),
  sortValue: (r) => fleetTrouble(r),
  descendingFirst: true,
};

export const FLEET_SORT_COLUMNS = [fleetTroubleColumn, ...fleetColumns];

/** The overview's rows: filtered by name, sorted (trouble first unless the operator chose). */
export function fleetLines(
  rows: readonly FleetRow[],
  now: number,
  filter: NameFilter,
  sort: SortState,
): FleetLine[] {
  const lines = rows.filter((r) => filter.match(r.name)).map((r) => ({ ...r, now }));
  const column = findColumn(FLEET_SORT_COLUMNS, sort.columnId);
  // Ties keep the order given (the config's), as sortRows is stable.
  return sortRows(lines, column, sort.descending);
}

/** The selected row's line under the table: its error, or what it is. */
export function fleetDetail(r: FleetRow | undefined): string {
  if (!r) return "";
  if (r.error) return `${r.name}: ${r.error}`;
  const via = r.source === "prometheus" ? "from Prometheus" : "stats socket";
  return `${r.name}: ${via}${r.version ? `, HAProxy ${r.version}` : ""}${r.pid !== null ? `, pid ${r.pid}` : ""}`;
}
