/**
 * One load balancer of a fleet, as the fleet overview shows it: the same row whether it was read
 * from its stats socket (src/store/fleetRow.ts) or from Prometheus (src/store/promFleet.ts).
 * null means "not known" (not polled yet, or the source does not say), never 0.
 */
export interface FleetRow {
  /** Stable key: "t/<name>" for a socket target, "p/<instance>" for a Prometheus instance. */
  key: string;
  name: string;
  source: "socket" | "prometheus";
  /** null until the first answer. */
  reachable: boolean | null;
  /** Why it is not reachable (or a partial fault), in plain words. */
  error: string | null;
  version: string | null;
  uptimeSec: number | null;
  /** The process id (socket targets only: the exporter does not publish it). */
  pid: number | null;
  /** When a new pid (reload, restart) or a new start time was last seen (ms epoch). */
  changedAt: number | null;
  curConns: number | null;
  maxConn: number | null;
  reqPerSec: number | null;
  http5xxPerSec: number | null;
  /** Request, connection and response errors per second (frontends and backends). */
  errPerSec: number | null;
  serversDown: number | null;
  serversMaint: number | null;
  serversTotal: number | null;
  /** Last good answer (ms epoch). */
  lastOkAt: number | null;
}

/** A row with nothing known yet (before the first poll). */
export function emptyFleetRow(key: string, name: string, source: FleetRow["source"]): FleetRow {
  return {
    key,
    name,
    source,
    reachable: null,
    error: null,
    version: null,
    uptimeSec: null,
    pid: null,
    changedAt: null,
    curConns: null,
    maxConn: null,
    reqPerSec: null,
    http5xxPerSec: null,
    errPerSec: null,
    serversDown: null,
    serversMaint: null,
    serversTotal: null,
    lastOkAt: null,
  };
}

/**
 * How much trouble a row is in, for "trouble first": unreachable, then servers DOWN, then 5xx/s,
 * errors/s, then the fullest connection gauge. Larger is worse.
 */
export function fleetTrouble(r: FleetRow): number[] {
  const gauge = r.curConns !== null && r.maxConn ? r.curConns / r.maxConn : 0;
  return [r.reachable === false ? 1 : 0, r.serversDown ?? 0, r.http5xxPerSec ?? 0, r.errPerSec ?? 0, gauge];
}
