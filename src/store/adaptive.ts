import type { BackendEntry, Snapshot } from "../model/snapshot.js";
import type { StatScope } from "./poll.js";

/**
 * Above this many servers a full `show stat` is too heavy for a poll a second (at 50k servers:
 * 11 MB, ~130 ms of HAProxy CPU and ~0.9 s of parsing here; docs/benchmarks.md). Polls then fetch
 * frontends and backends, plus the servers of the backends on screen.
 */
export const LARGE_CONFIG_SERVERS = 5000;
/** On a large config, every Nth poll is still a full one, so off-screen servers refresh too. */
export const FULL_POLL_EVERY = 10;

/** What the screen shows, as the App tells the poller. */
export interface ScreenNeeds {
  sessions: boolean;
  errors: boolean;
  /** Backends whose server rows are on screen (or near it); none outside the backends view. */
  backendsOnScreen?: string[];
}

/** The `show stat` scope of poll number `pollNo` (0 = the first): full unless the config is large. */
export function scopeFor(
  serverCount: number | null,
  needs: ScreenNeeds,
  pollNo: number,
): StatScope | undefined {
  if (serverCount === null || serverCount <= LARGE_CONFIG_SERVERS) return undefined;
  if (pollNo % FULL_POLL_EVERY === 0) return undefined;
  return { serversOf: needs.backendsOnScreen ?? [] };
}

export function serverCount(s: Snapshot | null): number | null {
  return s ? s.backends.reduce((n, b) => n + b.servers.length, 0) : null;
}

/**
 * After a scoped poll, backends whose servers were not fetched keep the servers of the previous
 * poll (the same objects), so the tree does not empty out. Returns the keys carried over: their
 * rates are carried too, and they cannot produce state changes until the next full poll.
 */
export function carryServers(
  prev: Snapshot | null,
  cur: Snapshot,
  scope: StatScope | undefined,
): Set<string> {
  const carried = new Set<string>();
  if (!prev || !scope?.serversOf) return carried;
  const fetched = new Set(scope.serversOf);
  const before = new Map<string, BackendEntry>(prev.backends.map((b) => [b.name, b]));
  for (const b of cur.backends) {
    if (fetched.has(b.name)) continue;
    const old = before.get(b.name);
    if (!old) continue;
    b.servers = old.servers;
    for (const s of old.servers) carried.add(s.key);
  }
  return carried;
}
