import type { InfoRecord } from "../parse/info.js";
import type { CliLevel } from "../parse/level.js";
import type { ServerStateRow } from "../parse/servers-state.js";
import { runSliced, runToEnd, type Steps } from "../parse/slices.js";
import { STAT_TYPE, type StatRow } from "../parse/stat.js";
import type { StatValue } from "../parse/values.js";
import { backendKey, frontendKey, listenerKey, serverKey } from "./keys.js";
import { type AdminState, adminFromMask, type OpState, opFromCode, statesFromStatus } from "./status.js";

/** One row of `show stat`, named, with every field kept under HAProxy's own name. */
export interface ProxyEntry {
  /** Stable key: `fe/<name>`, `be/<name>`, `li/<proxy>/<name>`. */
  key: string;
  name: string;
  iid: number | null;
  status: string;
  stats: StatRow;
}

export interface ServerEntry extends ProxyEntry {
  /** `sv/<backend>/<server>`. */
  backend: string;
  sid: number | null;
  /**
   * Administrative state (an operator, the config or DNS): READY, MAINT or DRAIN. From
   * `show servers state` when it was read, else from `status`; null when `status` hides it
   * (a DOWN or NOLB server may be draining). Null for listeners.
   */
  admin: AdminState | null;
  /**
   * Operational state (health): UP, DOWN, STARTING (slow start) or STOPPING (NOLB). Same sources;
   * null when `status` hides it (MAINT) and `show servers state` was not read.
   */
  op: OpState | null;
  /** The server's `show servers state` line by HAProxy's names, when it was read with this snapshot. */
  serverState?: ServerStateRow;
}

export interface BackendEntry extends ProxyEntry {
  servers: ServerEntry[];
}

export interface Snapshot {
  /** ms since the epoch, when the reply arrived. */
  takenAt: number;
  info: InfoRecord;
  frontends: ProxyEntry[];
  backends: BackendEntry[];
  listeners: ServerEntry[];
  /** Null when the socket's level was not asked for this snapshot. */
  level: CliLevel | null;
  /**
   * `show stat` rows this poll could not read (an unbalanced quote, a wrong number of fields):
   * skipped, the other rows are used. 0 from a real HAProxy; the timeline reports a new count once.
   */
  statRowsSkipped: number;
}

export { backendKey, frontendKey, serverKey } from "./keys.js";

/** A field as a number, or null when empty or not numeric. */
export function num(row: StatRow | InfoRecord, field: string): number | null {
  const v: StatValue | undefined = row[field];
  return typeof v === "number" ? v : null;
}

/** A field as text ("" when empty). */
export function str(row: StatRow | InfoRecord, field: string): string {
  const v = row[field];
  return v === null || v === undefined ? "" : String(v);
}

/** Groups `show stat` rows into frontends, backends with their servers, and listeners. */
export function buildSnapshot(
  info: InfoRecord,
  rows: StatRow[],
  takenAt: number,
  level: CliLevel | null,
  extra: SnapshotExtras = {},
): Snapshot {
  return runToEnd(snapshotSteps(info, rows, takenAt, level, extra));
}

/** buildSnapshot in slices, so the event loop keeps turning on a large configuration. */
export function buildSnapshotSliced(
  info: InfoRecord,
  rows: StatRow[],
  takenAt: number,
  level: CliLevel | null,
  extra: SnapshotExtras = {},
): Promise<Snapshot> {
  return runSliced(snapshotSteps(info, rows, takenAt, level, extra));
}

/** What a poll may add to the rows: skipped rows, and `show servers state` when it was read. */
export interface SnapshotExtras {
  statRowsSkipped?: number;
  serversState?: ServerStateRow[];
}

/** Rows grouped between two chances to yield. */
const STEP_ROWS = 1024;

function* snapshotSteps(
  info: InfoRecord,
  rows: StatRow[],
  takenAt: number,
  level: CliLevel | null,
  extra: SnapshotExtras,
): Steps<Snapshot> {
  const frontends: ProxyEntry[] = [];
  const backends: BackendEntry[] = [];
  const listeners: ServerEntry[] = [];
  const byBackend = new Map<string, BackendEntry>();
  const orphanServers: ServerEntry[] = [];
  let n = 0;
  for (const stats of rows) {
    if (++n % STEP_ROWS === 0) yield;
    const px = str(stats, "pxname");
    const sv = str(stats, "svname");
    const type = num(stats, "type") ?? inferType(sv);
    const status = str(stats, "status");
    const iid = num(stats, "iid");
    if (type === STAT_TYPE.frontend) {
      frontends.push({ key: frontendKey(px), name: px, iid, status, stats });
    } else if (type === STAT_TYPE.backend) {
      const be: BackendEntry = { key: backendKey(px), name: px, iid, status, stats, servers: [] };
      backends.push(be);
      byBackend.set(px, be);
    } else {
      const listener = type === STAT_TYPE.listener;
      const states = listener ? { admin: null, op: null } : statesFromStatus(status);
      const entry: ServerEntry = {
        key: listener ? listenerKey(px, sv) : serverKey(px, sv),
        name: sv,
        iid,
        status,
        stats,
        backend: px,
        sid: num(stats, "sid"),
        admin: states.admin,
        op: states.op,
      };
      if (listener) listeners.push(entry);
      else orphanServers.push(entry);
    }
  }
  // HAProxy prints servers before their BACKEND line, so attach them once every backend is known.
  for (const s of orphanServers) byBackend.get(s.backend)?.servers.push(s);
  if (extra.serversState) yield* applyServersState(orphanServers, extra.serversState);
  return {
    takenAt,
    info,
    frontends,
    backends,
    listeners,
    level,
    statRowsSkipped: extra.statRowsSkipped ?? 0,
  };
}

/**
 * Gives each server its exact admin and operational states from `show servers state`, matched by
 * backend id and server id (`be_id`/`srv_id` = `iid`/`sid` of `show stat`).
 */
function* applyServersState(servers: ServerEntry[], lines: ServerStateRow[]): Steps<void> {
  const byIds = new Map<string, ServerStateRow>();
  let n = 0;
  for (const line of lines) {
    if (++n % STEP_ROWS === 0) yield;
    byIds.set(`${line.be_id}/${line.srv_id}`, line);
  }
  for (const s of servers) {
    if (++n % STEP_ROWS === 0) yield;
    const line = byIds.get(`${s.iid}/${s.sid}`);
    if (!line || line.srv_name !== s.name) continue;
    s.serverState = line;
    s.admin = adminFromMask(line.srv_admin_state) ?? s.admin;
    s.op = opFromCode(line.srv_op_state) ?? s.op;
  }
}

/** Old versions without a `type` column: the svname tells. */
function inferType(svname: string): number {
  if (svname === "FRONTEND") return STAT_TYPE.frontend;
  if (svname === "BACKEND") return STAT_TYPE.backend;
  return STAT_TYPE.server;
}

const byKeyCache = new WeakMap<Snapshot, Map<string, ProxyEntry>>();

/** Every entry of a snapshot by its stable key (built once per snapshot: rates and events share it). */
export function entriesByKey(s: Snapshot): Map<string, ProxyEntry> {
  const cached = byKeyCache.get(s);
  if (cached) return cached;
  const m = new Map<string, ProxyEntry>();
  for (const f of s.frontends) m.set(f.key, f);
  for (const b of s.backends) {
    m.set(b.key, b);
    for (const sv of b.servers) m.set(sv.key, sv);
  }
  byKeyCache.set(s, m);
  return m;
}

/** A backend's numeric id (`iid`) in a snapshot, or null (not there, or no id): commands name it by id. */
export function backendIdOf(snapshot: Snapshot | null, backend: string): number | null {
  return (snapshot && entriesByKey(snapshot).get(backendKey(backend))?.iid) ?? null;
}
