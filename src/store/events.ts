import { keyKind } from "../model/keys.js";
import { num, type ProxyEntry, type ServerEntry, type Snapshot } from "../model/snapshot.js";
import type { EventSeverity, PidChange, TimelineEvent } from "./state.js";

/** The timeline keeps this many events; older ones fall off (the --log file keeps everything). */
export const MAX_EVENTS = 1000;

/**
 * When each server list was read from HAProxy. A carried list is the very array of an earlier
 * snapshot, so it keeps its time: a server carried over for a few polls and then fetched again
 * gets its rate over the real interval, not over the last poll's.
 */
const listTakenAt = new WeakMap<readonly ServerEntry[], number>();

/** An entry of the new snapshot, the entry of the same key before (if any), and when that was read. */
export type EntryPair = [entry: ProxyEntry, old: ProxyEntry | undefined, oldAt: number];

/**
 * Every frontend, backend and server of `cur` with the entry of the same key in `prev` and when
 * that entry was read, in entriesByKey's order, except the servers a scoped poll carried over: a
 * backend whose server list is the very list of `prev` has nothing new to compare, so a scoped
 * poll at 50k servers walks a few hundred entries, not 50k.
 */
export function* changedPairs(prev: Snapshot | null, cur: Snapshot): Generator<EntryPair, void, void> {
  const prevAt = prev?.takenAt ?? cur.takenAt;
  const oldFrontends = new Map(prev?.frontends.map((e) => [e.key, e]));
  for (const e of cur.frontends) yield [e, oldFrontends.get(e.key), prevAt];
  const oldBackends = new Map(prev?.backends.map((b) => [b.key, b]));
  for (const b of cur.backends) {
    if (!listTakenAt.has(b.servers)) listTakenAt.set(b.servers, cur.takenAt);
    const ob = oldBackends.get(b.key);
    yield [b, ob, prevAt];
    if (ob?.servers === b.servers) continue; // carried over: the same objects
    const oldServers = ob && ob.servers.length > 0 ? new Map(ob.servers.map((x) => [x.key, x])) : null;
    const oldAt = ob ? (listTakenAt.get(ob.servers) ?? prevAt) : prevAt;
    for (const sv of b.servers) yield [sv, oldServers?.get(sv.key), oldAt];
  }
}

/** The timeline event of an entry whose status changed, or null. */
export function stateChange(
  entry: ProxyEntry,
  old: ProxyEntry | undefined,
  at: number,
): TimelineEvent | null {
  if (!old || old.status === entry.status) return null;
  const name =
    keyKind(entry.key) === "server" && "backend" in entry ? `${entry.backend}/${entry.name}` : entry.name;
  const [from, to] = [old.status, entry.status];
  return { at, kind: "state", name, from, to, severity: statusSeverity(to), text: `${name} ${from} → ${to}` };
}

/** A status reached: DOWN or MAINT (also "DOWN 1/2", on its way up) is bad, UP good, others in between. */
export function statusSeverity(status: string): EventSeverity {
  return /^(DOWN|MAINT)/.test(status) ? "bad" : /^UP/.test(status) ? "good" : "warn";
}

/** Server and proxy state changes between two polls of the same process, as timeline events. */
export function stateChanges(prev: Snapshot | null, cur: Snapshot): TimelineEvent[] {
  if (!prev) return [];
  const events: TimelineEvent[] = [];
  for (const [entry, old] of changedPairs(prev, cur)) {
    const e = stateChange(entry, old, cur.takenAt);
    if (e) events.push(e);
  }
  return events;
}

/** A new pid between polls: HAProxy was reloaded or restarted. */
export function pidChange(prev: Snapshot | null, cur: Snapshot): PidChange | null {
  if (!prev) return null;
  const from = num(prev.info, "Pid");
  const to = num(cur.info, "Pid");
  return from !== null && to !== null && from !== to ? { from, to } : null;
}

/** How long after haptop's own reload a new pid is put down to it (the poll may see it first). */
export const OWN_RELOAD_WINDOW_MS = 60_000;

/**
 * A new pid is a restart, not a reload, when haptop did not reload it (no reload event of haptop's
 * in the last minute) and the new process started after the previous poll (its uptime restarted).
 * (A soft reload by someone else also starts a fresh process: it reads as a restart too.)
 */
export function pidChangeKind(
  prev: Snapshot,
  cur: Snapshot,
  events: readonly TimelineEvent[],
): "reload" | "restart" {
  const own = events.some(
    (e) => e.kind === "reload" && cur.takenAt - e.at >= -5000 && cur.takenAt - e.at < OWN_RELOAD_WINDOW_MS,
  );
  if (own) return "reload";
  const uptime = num(cur.info, "Uptime_sec");
  const sincePrev = (cur.takenAt - prev.takenAt) / 1000;
  return uptime !== null && uptime <= sincePrev + 1 ? "restart" : "reload";
}

/** The timeline event of a new pid: a reload (haptop's, or one that kept the uptime) or a restart. */
export function pidEvent(at: number, pid: PidChange, cause: "reload" | "restart"): TimelineEvent {
  const text =
    cause === "restart"
      ? `HAProxy restarted (not reloaded by haptop; uptime restarted): pid ${pid.from} → ${pid.to}`
      : `HAProxy reloaded: pid ${pid.from} → ${pid.to}`;
  return { at, kind: "pid", pid, cause, text };
}

/** Appends events, keeping the newest MAX_EVENTS. */
export function appendEvents(list: TimelineEvent[], add: TimelineEvent[]): TimelineEvent[] {
  if (add.length === 0) return list;
  const next = list.concat(add);
  return next.length > MAX_EVENTS ? next.slice(next.length - MAX_EVENTS) : next;
}

/**
 * `show stat` rows that could not be read (skipped, the rest of the poll is used), as one timeline
 * event when the count appears or changes: a bad row repeated on every poll is reported once.
 * `reported`: the count last reported (default: the previous snapshot's); the poller passes its
 * own, since a scoped poll reads fewer rows and must not make the next full poll report again.
 */
export function unreadRowsEvent(
  prev: Snapshot | null,
  cur: Snapshot,
  reported: number = prev?.statRowsSkipped ?? 0,
): TimelineEvent | null {
  const n = cur.statRowsSkipped;
  if (n === 0 || n === reported) return null;
  const rows = n === 1 ? "1 row" : `${n.toLocaleString("en-US")} rows`;
  return {
    at: cur.takenAt,
    kind: "data",
    skippedRows: n,
    text: `${rows} of show stat could not be read (skipped)`,
  };
}
