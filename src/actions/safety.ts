import { type BackendEntry, num, type ServerEntry, type Snapshot } from "../model/snapshot.js";
import { plural } from "../text/format.js";

/**
 * Safety checks before an action takes servers out of rotation: how many servers of each backend
 * can still take traffic afterwards. Pure, over the last snapshot (seconds old at most: the dialog
 * words it as "at the last poll").
 */

/** Whether a server takes new traffic now: up (or unchecked), not drained/maint/NOLB, weight > 0. */
export function takesTraffic(s: ServerEntry): boolean {
  const status = s.status.trim();
  const up = /^UP\b/.test(status) || /^no check\b/i.test(status);
  const weight = num(s.stats, "weight");
  return up && (weight === null || weight > 0);
}

const isBackup = (s: ServerEntry) => num(s.stats, "bck") === 1;

export interface Capacity {
  backend: string;
  /** Active (non-backup) servers taking traffic, before and after the change. */
  activeBefore: number;
  activeAfter: number;
  activeTotal: number;
  /** Backup servers able to take traffic after the change (used once no active one is left). */
  backupAfter: number;
  /** Nothing left to take traffic after the change, while something did before. */
  outage: boolean;
}

/** Capacity of `backend` if the servers named in `removed` stop taking traffic. */
export function capacityAfter(backend: BackendEntry, removed: ReadonlySet<string>): Capacity {
  const able = backend.servers.filter(takesTraffic);
  const active = able.filter((s) => !isBackup(s));
  const backups = able.filter(isBackup);
  const activeAfter = active.filter((s) => !removed.has(s.name)).length;
  const backupAfter = backups.filter((s) => !removed.has(s.name)).length;
  const before = active.length > 0 ? active.length : backups.length;
  const after = activeAfter > 0 ? activeAfter : backupAfter;
  return {
    backend: backend.name,
    activeBefore: active.length,
    activeAfter,
    activeTotal: backend.servers.filter((s) => !isBackup(s)).length,
    backupAfter,
    outage: before > 0 && after === 0,
  };
}

/** What taking `server` out of `backends` does, in plain words; `outage` lists the backends left empty. */
export function removalWarnings(
  snapshot: Snapshot | null,
  backends: readonly string[],
  server: string,
): { warnings: string[]; outage: string[] } {
  if (!snapshot) return { warnings: ["no poll yet: cannot tell how many servers would be left"], outage: [] };
  const warnings: string[] = [];
  const outage: string[] = [];
  for (const name of backends) {
    const be = snapshot.backends.find((b) => b.name === name);
    if (!be) continue;
    const c = capacityAfter(be, new Set([server]));
    if (c.outage) {
      outage.push(name);
      warnings.push(
        `${name} would have NO server able to take traffic: 0 of ${plural(c.activeTotal, "active server")} left` +
          `${c.backupAfter === 0 ? ", no backup" : ""}; clients get 503 (HTTP) or refused connections (TCP)`,
      );
    } else if (c.activeBefore > 0 && c.activeAfter === 0) {
      warnings.push(`${name} would fall back to its ${plural(c.backupAfter, "backup server")}`);
    } else if (c.activeAfter < c.activeBefore) {
      warnings.push(
        `${name}: ${c.activeAfter} of ${plural(c.activeTotal, "active server")} left taking traffic`,
      );
    }
  }
  return { warnings, outage };
}

/** Sessions on a server at the last poll (`scur`), or null when the server is not known. */
export function serverSessions(snapshot: Snapshot | null, backend: string, server: string): number | null {
  const be = snapshot?.backends.find((b) => b.name === backend);
  const s = be?.servers.find((x) => x.name === server);
  return s ? num(s.stats, "scur") : null;
}

/** One server of `show servers state` (format version 1). */
export interface ServerState {
  backend: string;
  server: string;
  adminState: number;
  uweight: number;
  iweight: number;
}

/** Parses `show servers state`: a version line, a `#` header naming the fields, then data lines. */
export function parseServersState(text: string): ServerState[] {
  const lines = text.split("\n");
  const header = lines.find((l) => l.startsWith("# "));
  if (!header) return [];
  const names = header.slice(2).trim().split(/\s+/);
  const at = (f: string) => names.indexOf(f);
  const idx = {
    be: at("be_name"),
    srv: at("srv_name"),
    admin: at("srv_admin_state"),
    uw: at("srv_uweight"),
    iw: at("srv_iweight"),
  };
  if (Object.values(idx).some((i) => i < 0)) return [];
  const out: ServerState[] = [];
  for (const line of lines) {
    if (line.startsWith("#") || !line.trim() || /^\d+$/.test(line.trim())) continue;
    const f = line.trim().split(/\s+/);
    const n = (i: number) => Number(f[i]);
    if (f.length < names.length - 1 || [idx.admin, idx.uw, idx.iw].some((i) => Number.isNaN(n(i)))) continue;
    out.push({
      backend: f[idx.be]!,
      server: f[idx.srv]!,
      adminState: n(idx.admin),
      uweight: n(idx.uw),
      iweight: n(idx.iw),
    });
  }
  return out;
}

/** srv_admin_state bits set from the CLI (forced maint, forced drain), not from the config. */
const FORCED_MAINT = 0x01;
const FORCED_DRAIN = 0x08;

/** Changes made at run time that a reload loses (maint/drain set from the CLI, changed weights). */
export function runtimeChanges(states: readonly ServerState[]): string[] {
  const out: string[] = [];
  for (const s of states) {
    const what: string[] = [];
    if (s.adminState & FORCED_MAINT) what.push("in maint");
    else if (s.adminState & FORCED_DRAIN) what.push("draining");
    if (s.uweight !== s.iweight) what.push(`weight ${s.uweight} (initial ${s.iweight})`);
    if (what.length) out.push(`${s.backend}/${s.server} ${what.join(", ")}`);
  }
  return out;
}

/** The same from a snapshot, when `show servers state` could not be read (cannot tell config from CLI). */
export function runtimeChangesFromSnapshot(snapshot: Snapshot | null): string[] {
  const out: string[] = [];
  for (const be of snapshot?.backends ?? []) {
    for (const s of be.servers) {
      if (/^(MAINT|DRAIN)$/.test(s.status.trim()))
        out.push(`${be.name}/${s.name} ${s.status.trim().toLowerCase()}`);
    }
  }
  return out;
}
