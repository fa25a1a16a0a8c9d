import type { InfoRecord } from "../parse/info.js";
import type { CliLevel } from "../parse/level.js";
import { STAT_TYPE, type StatRow } from "../parse/stat.js";
import type { StatValue } from "../parse/values.js";

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
}

export const frontendKey = (name: string) => `fe/${name}`;
export const backendKey = (name: string) => `be/${name}`;
export const serverKey = (backend: string, server: string) => `sv/${backend}/${server}`;

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
): Snapshot {
  const frontends: ProxyEntry[] = [];
  const backends: BackendEntry[] = [];
  const listeners: ServerEntry[] = [];
  const byBackend = new Map<string, BackendEntry>();
  const orphanServers: ServerEntry[] = [];
  for (const stats of rows) {
    const px = str(stats, "pxname");
    const sv = str(stats, "svname");
    const type = num(stats, "type") ?? inferType(sv);
    const base = { name: px, iid: num(stats, "iid"), status: str(stats, "status"), stats };
    if (type === STAT_TYPE.frontend) frontends.push({ ...base, key: frontendKey(px) });
    else if (type === STAT_TYPE.backend) {
      const be: BackendEntry = { ...base, key: backendKey(px), servers: [] };
      backends.push(be);
      byBackend.set(px, be);
    } else {
      const entry: ServerEntry = {
        ...base,
        name: sv,
        backend: px,
        sid: num(stats, "sid"),
        key: type === STAT_TYPE.listener ? `li/${px}/${sv}` : serverKey(px, sv),
      };
      if (type === STAT_TYPE.listener) listeners.push(entry);
      else orphanServers.push(entry);
    }
  }
  // HAProxy prints servers before their BACKEND line, so attach them once every backend is known.
  for (const s of orphanServers) byBackend.get(s.backend)?.servers.push(s);
  return { takenAt, info, frontends, backends, listeners, level };
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
