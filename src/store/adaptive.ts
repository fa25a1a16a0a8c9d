import type { BackendEntry, Snapshot } from "../model/snapshot.js";
import type { ExtraQuery } from "./extras.js";
import { isProxyId, type StatScope } from "./poll.js";

/**
 * Adaptive polling. A full `show stat` costs HAProxy little but costs us its parse: at 50k servers
 * 11 MB and ~1 s here (docs/benchmarks.md). So the policy follows what the last full poll really
 * cost, not a server count: when it was slow, the next polls fetch frontends and backends plus the
 * servers of the backends on screen, and every Nth poll is still a full one so off-screen state
 * changes reach the timeline. The first poll of a session asks only for frontends and backends (the
 * config's size is not known yet, and that answer is cheap at any size), then the servers follow.
 */
export interface AdaptivePolicy {
  /** A full poll (fetch + parse) slower than this makes the following polls scoped. */
  slowPollMs: number;
  /** A full poll faster than this makes polls full again (below slowPollMs: no flapping in between). */
  fastPollMs: number;
  /** While scoped, every Nth poll (at least) is a full one. */
  fullEvery: number;
  /**
   * What full polls may cost on average per poll, ms: a full poll that took longer comes less
   * often (a 1 s full poll every 20th poll), between `fullEvery` and `maxFullEvery` polls apart.
   */
  fullBudgetMs: number;
  /** The longest stretch of scoped polls: off-screen servers are never older than this many polls. */
  maxFullEvery: number;
  /** Start with frontends+backends only (`show stat -1 3 -1`), then fill the servers in at once. */
  skeletonFirst: boolean;
  /**
   * Below this many servers polls stay full however slow one was: on a loaded machine a 6-server
   * poll can take 150 ms, and scoping it would only hide servers for nothing.
   */
  minServers: number;
}

export const DEFAULT_POLICY: AdaptivePolicy = {
  slowPollMs: 150,
  fastPollMs: 75,
  fullEvery: 10,
  fullBudgetMs: 50,
  maxFullEvery: 30,
  skeletonFirst: true,
  minServers: 1000,
};

/** What the screen shows, as the App tells the poller. */
export interface ScreenNeeds {
  sessions: boolean;
  errors: boolean;
  /**
   * Names of the backends whose server rows are on screen (or near it); none outside the backends
   * view. Mapped to ids with the last snapshot; a name not in it is ignored.
   */
  backendsOnScreen?: string[];
  /** The open view's extra queries (src/store/extras.ts), fetched after each poll. */
  extras?: ExtraQuery[];
}

/** skeleton: frontends+backends only; scoped: plus the servers on screen; full: everything. */
export type PollKind = "skeleton" | "scoped" | "full";

export interface AdaptiveState {
  /** Nothing fetched yet: the next poll is the skeleton (when the policy wants one). */
  started: boolean;
  /** The last full poll was slow: polls are scoped, with a full one every `fullEvery`. */
  scoped: boolean;
  /** Polls since the last full one; `Infinity` forces the next poll to be full. */
  sinceFull: number;
  /** What the last full poll cost, ms (null before the first). */
  lastFullMs: number | null;
}

export const INITIAL_ADAPTIVE: AdaptiveState = {
  started: false,
  scoped: false,
  sinceFull: Number.POSITIVE_INFINITY,
  lastFullMs: null,
};

export interface PlannedPoll {
  kind: PollKind;
  scope: StatScope | undefined;
}

const idsByName = new WeakMap<Snapshot, Map<string, number | null>>();

/** Backend name → iid in a snapshot (null when HAProxy gave none), built once per snapshot. */
function backendIds(s: Snapshot): Map<string, number | null> {
  let m = idsByName.get(s);
  if (!m) {
    m = new Map(s.backends.map((b) => [b.name, isProxyId(b.iid) ? b.iid : null]));
    idsByName.set(s, m);
  }
  return m;
}

/**
 * The iids of the named backends in `s`; null when one of them has no usable id (then only a full
 * poll can show its servers). Names are only looked up, never sent: any text is harmless here.
 */
export function idsOf(s: Snapshot, names: readonly string[]): number[] | null {
  const ids = backendIds(s);
  const out: number[] = [];
  for (const name of names) {
    const iid = ids.get(name);
    if (iid === undefined) continue; // gone since the last poll: nothing to show
    if (iid === null) return null;
    out.push(iid);
  }
  return out;
}

/**
 * Every how many polls a full one comes while scoped: from what the last full poll cost (at 50k
 * servers its parse, rates and frame are most of the CPU: profiled), never less often than
 * `maxFullEvery`. Pure.
 */
export function fullEveryOf(a: AdaptiveState, policy: AdaptivePolicy): number {
  const byCost = a.lastFullMs === null ? 0 : Math.ceil(a.lastFullMs / policy.fullBudgetMs);
  return Math.min(policy.maxFullEvery, Math.max(policy.fullEvery, byCost));
}

/** The next poll: its kind and `show stat` scope. Pure. */
export function planPoll(
  a: AdaptiveState,
  policy: AdaptivePolicy,
  needs: ScreenNeeds,
  last: Snapshot | null,
): PlannedPoll {
  if (!a.started && policy.skeletonFirst) return { kind: "skeleton", scope: { serversOf: [] } };
  const full: PlannedPoll = { kind: "full", scope: undefined };
  if (!a.scoped || !last || a.sinceFull + 1 >= fullEveryOf(a, policy)) return full;
  const ids = idsOf(last, needs.backendsOnScreen ?? []);
  return ids ? { kind: "scoped", scope: { serversOf: ids } } : full;
}

/**
 * The adaptive state after a successful poll of `kind` that took `ms` (fetch + parse) and showed
 * `servers` servers (unknown: counted as many). Pure.
 */
export function afterPoll(
  a: AdaptiveState,
  policy: AdaptivePolicy,
  kind: PollKind,
  ms: number,
  servers = Number.POSITIVE_INFINITY,
): AdaptiveState {
  if (kind !== "full") return { ...a, started: true, sinceFull: a.sinceFull + 1 };
  const small = servers < policy.minServers;
  const scoped = small ? false : ms > policy.slowPollMs ? true : ms < policy.fastPollMs ? false : a.scoped;
  return { started: true, scoped, sinceFull: 0, lastFullMs: ms };
}

/** After a reload or restart (new pid): the next poll fetches every server again. */
export function forceFull(a: AdaptiveState): AdaptiveState {
  return { ...a, sinceFull: Number.POSITIVE_INFINITY };
}

export function serverCount(s: Snapshot | null): number | null {
  return s ? s.backends.reduce((n, b) => n + b.servers.length, 0) : null;
}

/**
 * After a skeleton or scoped poll, backends whose servers were not fetched keep the servers of the
 * previous snapshot (the same objects), so the tree does not empty out. Pure: returns a new
 * snapshot (new backend objects where servers were carried) and never touches `prev` or `cur`,
 * which caches key on. A carried server is the very object of `prev`: that is how rates and state
 * changes tell it (last rates kept, no state change until a poll fetches it). `carried`: how many.
 */
export function carryServers(
  prev: Snapshot | null,
  cur: Snapshot,
  scope: StatScope | undefined,
): { snapshot: Snapshot; carried: number } {
  if (!prev || !scope?.serversOf) return { snapshot: cur, carried: 0 };
  // Fetched = asked for by id in *this* process (ids can change with a reload, names do not).
  const fetched = new Set(scope.serversOf);
  const before = new Map<string, BackendEntry>(prev.backends.map((b) => [b.name, b]));
  let carried = 0;
  const backends = cur.backends.map((b) => {
    if (b.iid !== null && fetched.has(b.iid)) return b;
    const old = before.get(b.name);
    if (!old || old.servers.length === 0) return b;
    carried += old.servers.length;
    return { ...b, servers: old.servers };
  });
  return carried === 0 ? { snapshot: cur, carried } : { snapshot: { ...cur, backends }, carried };
}

/**
 * `show servers state` on a full poll only every this many full polls: `show stat`'s status word
 * already tells every state change; servers state adds what the word hides (a DOWN server that is
 * also draining), the check masks the health actions read, and exact op/admin codes. Parsing it on
 * every poll was ~5 % of a tick (profiled at 1k and 10k servers). A server whose status word is
 * the same keeps its last line (src/store/apply.ts); a status change reads it on the next full poll.
 */
export const SERVERS_STATE_EVERY = 10;

/** When `show servers state` was last read, and whether a state change asks for it now. */
export interface ServersStateCadence {
  /** Full polls since it was last read (Infinity: never, or a reload). */
  sinceRead: number;
  /** A status changed (or the pid): read it on the next full poll. */
  due: boolean;
}

export const INITIAL_SERVERS_STATE: ServersStateCadence = { sinceRead: Number.POSITIVE_INFINITY, due: true };

/** Whether a full poll reads `show servers state` now. Pure. */
export function wantServersState(c: ServersStateCadence): boolean {
  return c.due || c.sinceRead + 1 >= SERVERS_STATE_EVERY;
}

/** The cadence after a successful poll: `read` whether it read servers state, `changed` any state/pid event. */
export function afterServersState(
  c: ServersStateCadence,
  kind: PollKind,
  read: boolean,
  changed: boolean,
): ServersStateCadence {
  if (read) return { sinceRead: 0, due: changed };
  return { sinceRead: kind === "full" ? c.sinceRead + 1 : c.sinceRead, due: c.due || changed };
}
