import { formatError, SocketError } from "../client/errors.js";
import { computeGlobalRates, entryRates, NO_RATES, type Rates } from "../model/rates.js";
import { num, type ProxyEntry, type ServerEntry } from "../model/snapshot.js";
import { runToEnd, type Steps } from "../parse/slices.js";
import { carryServers, type PollKind } from "./adaptive.js";
import {
  appendEvents,
  changedPairs,
  pidChange,
  pidChangeKind,
  pidEvent,
  stateChange,
  unreadRowsEvent,
} from "./events.js";
import type { PollResult, StatScope } from "./poll.js";
import {
  LEVEL_UNSUPPORTED,
  levelOf,
  type MonitorState,
  type RateSample,
  type SocketLevel,
  type TimelineEvent,
} from "./state.js";

export const HISTORY_LENGTH = 120;
/**
 * Two polls closer than this give no rates (the previous ones stay): a delta over a few ms, as
 * between the first quick poll and the one that fills the servers in, or a Space pressed twice,
 * would show one request as hundreds per second.
 */
export const MIN_RATE_WINDOW_MS = 200;

/** One successful poll, as the poller hands it to `applyPoll`. */
export interface PollOutcome {
  result: PollResult;
  kind: PollKind;
  /** The `show stat` scope that was asked for (undefined: everything). */
  scope: StatScope | undefined;
  /** `show cli level` was part of this poll (so a null level in the result means "unsupported"). */
  askedLevel: boolean;
}

export interface Applied {
  state: MonitorState;
  /** The events added to `state.events` by this poll, oldest first (for the --log writer). */
  events: TimelineEvent[];
}

/** The level after a poll: what HAProxy answered when asked, else what was known. */
export function nextSocketLevel(prev: SocketLevel, p: PollOutcome): SocketLevel {
  if (!p.askedLevel) return prev;
  return p.result.level === null ? LEVEL_UNSUPPORTED : { kind: "known", level: p.result.level };
}

/**
 * The rates after a scoped poll: the entries it computed over the rates of the last full poll
 * (`base`), so that carried servers keep theirs without copying a 50k-entry map each poll (that
 * copy alone blocked the event loop ~60-120 ms here). Depth stays two: a scoped poll after a
 * scoped poll copies only the small top layer. `get`/`has` see both layers; size and iteration
 * see the top layer only, so readers use `get` (a missing key means no rates).
 */
export class LayeredRates extends Map<string, Rates> {
  private constructor(
    readonly base: ReadonlyMap<string, Rates>,
    top?: Iterable<readonly [string, Rates]>,
  ) {
    super(top);
  }

  static over(last: ReadonlyMap<string, Rates>): LayeredRates {
    return last instanceof LayeredRates ? new LayeredRates(last.base, last) : new LayeredRates(last);
  }

  override get(key: string): Rates | undefined {
    const own = super.get(key);
    return own !== undefined ? own : this.base.get(key);
  }

  override has(key: string): boolean {
    return super.has(key) || this.base.has(key);
  }
}

/** Entries walked between two chances to yield (applySteps). */
const STEP_ENTRIES = 256;

/**
 * One successful poll as steps (src/parse/slices.ts): the walk over every entry (state changes and
 * rates) yields now and then, so applying a full poll at 50k servers never holds the event loop
 * for long. It reads only what the poller alone writes (snapshot, rates, link) and returns a
 * function that merges the outcome into the state of the moment it ends, so events and a pause
 * added meanwhile (an action, a key) are kept. Neither `s` nor the poll's snapshot is changed
 * (snapshots key WeakMap caches).
 */
export function* applySteps(s: MonitorState, p: PollOutcome): Steps<(latest: MonitorState) => Applied> {
  const prev = s.snapshot;
  const moved = pidChange(prev, p.result.snapshot);
  const pid = moved && prev ? { ...moved, kind: pidChangeKind(prev, p.result.snapshot, s.events) } : null;
  // A skeleton or scoped poll: servers not fetched keep their last values (and rates).
  const { snapshot: cur, carried } = carryServers(prev, p.result.snapshot, p.scope);
  const at = cur.takenAt;
  const events: TimelineEvent[] = [];
  if (pid) events.push(pidEvent(at, { from: pid.from, to: pid.to }, pid.kind));

  // Rates follow computeRates' rules (none across a new pid or a counter that went backwards).
  // Polls too close together keep the last rates (MIN_RATE_WINDOW_MS). Carried servers keep theirs
  // through LayeredRates (none across a reload): they are not walked. A missing key means no rates.
  const samePid = prev !== null && num(prev.info, "Pid") === num(cur.info, "Pid");
  const fresh = !(samePid && prev !== null && cur.takenAt - prev.takenAt < MIN_RATE_WINDOW_MS);
  const rates: Map<string, Rates> = !fresh
    ? s.rates
    : samePid && carried > 0
      ? LayeredRates.over(s.rates)
      : new Map<string, Rates>();
  let n = 0;
  for (const [entry, old, oldAt] of changedPairs(prev, cur)) {
    if (++n % STEP_ENTRIES === 0) yield;
    if (!pid) {
      const change = stateChange(entry, old, at);
      if (change) events.push(change);
      else if (old && old !== entry) keepServerState(entry, old);
    }
    if (!fresh) continue;
    const span = (at - oldAt) / 1000;
    rates.set(entry.key, old && samePid && span > 0 ? entryRates(old, entry, span) : NO_RATES);
  }
  if (s.link === "disconnected" || s.link === "stale")
    events.push({
      at,
      kind: "link",
      up: true,
      error: s.error ?? "fault",
      text: `connection back (${s.error ?? "fault"} cleared)`,
    });
  const unread = unreadRowsEvent(prev, cur, s.skippedRowsReported);
  if (unread) events.push(unread);
  let sample: RateSample | null = null;
  if (fresh) {
    const g = computeGlobalRates(prev, cur);
    // HAProxy's own ConnRate/SessRate/ReqRate, and the 5xx and error rates (see computeGlobalRates).
    sample = { at, ...g };
  }
  const r = p.result;

  return (latest) => {
    const socketLevel = nextSocketLevel(latest.socketLevel, p);
    const history = !sample
      ? latest.history
      : latest.history.length >= HISTORY_LENGTH
        ? [...latest.history.slice(1), sample]
        : [...latest.history, sample];
    const state: MonitorState = {
      ...latest,
      snapshot: cur,
      socketLevel,
      level: levelOf(socketLevel),
      rates,
      partialPoll: p.kind === "scoped",
      serversPending: p.kind === "skeleton" && !cur.backends.some((b) => b.servers.length > 0),
      history,
      link: "ok",
      error: null,
      retryAt: null,
      lastOkAt: at,
      pidChange: pid ? { ...pid, at } : latest.pidChange,
      sessions: r.sessions ? (r.sessions.ok ? r.sessions.value : latest.sessions) : latest.sessions,
      sessionsError: r.sessions ? (r.sessions.ok ? null : r.sessions.error) : latest.sessionsError,
      errors: r.errors ? (r.errors.ok ? r.errors.value : latest.errors) : latest.errors,
      errorsError: r.errors ? (r.errors.ok ? null : r.errors.error) : latest.errorsError,
      events: appendEvents(latest.events, events),
      // A scoped poll reads fewer rows: only a full one can say that the bad rows are gone.
      skippedRowsReported:
        cur.statRowsSkipped > 0 || p.kind === "full" ? cur.statRowsSkipped : latest.skippedRowsReported,
    };
    return { state, events };
  };
}

/**
 * A full poll that did not read `show servers state` (src/store/adaptive.ts, SERVERS_STATE_EVERY):
 * a server whose status word did not change keeps its last line and the exact states read from
 * it. Only the poll's own new entry is written, before anything shows it.
 */
function keepServerState(entry: ProxyEntry, old: ProxyEntry): void {
  const sv = entry as ServerEntry;
  const before = old as ServerEntry;
  if (sv.serverState !== undefined || before.serverState === undefined || !("op" in sv)) return;
  sv.serverState = before.serverState;
  sv.admin = before.admin;
  sv.op = before.op;
}

/**
 * The state after one successful poll, and the timeline events it produced, at once (applySteps
 * run to its end). Pure; the caller stores the result in one update, so each poll is one store
 * notification whatever the number of events.
 */
export function applyPoll(s: MonitorState, p: PollOutcome): Applied {
  return runToEnd(applySteps(s, p))(s);
}

/**
 * The state after a failed poll: the last data stays, the link shows why, and the first failure
 * after a good poll is one timeline event. Pure, one update.
 */
export function applyFailure(s: MonitorState, e: unknown, now: number, retryInMs: number): Applied {
  const error = formatError(e).split("\n")[0] ?? "error";
  const timeout = e instanceof SocketError && e.code === "timeout";
  const events: TimelineEvent[] =
    s.link === "ok" ? [{ at: now, kind: "link", up: false, error, text: `connection lost: ${error}` }] : [];
  const state: MonitorState = {
    ...s,
    link: timeout ? "stale" : "disconnected",
    error,
    retryAt: now + retryInMs,
    events: appendEvents(s.events, events),
  };
  return { state, events };
}
