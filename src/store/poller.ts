import { MONITOR_STAT_COLUMNS } from "../model/columns.js";
import { runSliced } from "../parse/slices.js";
import {
  type AdaptivePolicy,
  type AdaptiveState,
  afterPoll,
  afterServersState,
  DEFAULT_POLICY,
  forceFull,
  fullEveryOf,
  INITIAL_ADAPTIVE,
  INITIAL_SERVERS_STATE,
  planPoll,
  type ScreenNeeds,
  type ServersStateCadence,
  serverCount,
  wantServersState,
} from "./adaptive.js";
import { type Applied, applyFailure, applySteps } from "./apply.js";
import { appendEvents } from "./events.js";
import { type ExtraQuery, extraDue, storeExtra } from "./extras.js";
import type { Demand, PollResult } from "./poll.js";
import { initialState, type MonitorState, type TimelineEvent, type WorkerVia } from "./state.js";
import { Store } from "./store.js";

export { HISTORY_LENGTH } from "./apply.js";
export const MAX_BACKOFF_MS = 5000;
export const MIN_INTERVAL_MS = 500;
export const MAX_INTERVAL_MS = 60_000;

export interface PollerOptions {
  target: string;
  intervalMs: number;
  /** The I/O: one poll. Injected so the poller is testable without a socket. */
  fetch: (demand: Demand, withLevel: boolean) => Promise<PollResult>;
  /** The I/O of one extra query (src/store/extras.ts); extras are not fetched without it. */
  fetchExtra?: (query: ExtraQuery) => Promise<{ ok: true; value: unknown } | { ok: false; error: string }>;
  /** Called for every event added to the timeline (the --log writer). */
  onEvent?: (e: TimelineEvent) => void;
  /** Wall clock (ms epoch) for retry times. */
  now?: () => number;
  /** Monotonic clock (ms) that measures what a poll costs: `performance.now` unless a test injects one. */
  clock?: () => number;
  /** The adaptive policy (tests lower `slowPollMs` to make a small config "large"). */
  adaptive?: Partial<AdaptivePolicy>;
  /**
   * Points `fetch` and `fetchExtra` at worker `pid` through the master CLI, or back at the command
   * line's target (null): the I/O side of `Poller.retarget` (src/actions/masterRoute.ts in the TUI).
   */
  retarget?: (pid: number | null) => { target: string; via: WorkerVia | null } | { error: string };
  /** `show stat` columns parsed (Demand.columns): the monitor's by default, null for every column. */
  statColumns?: ReadonlySet<string> | null;
}

/** Delay before retry number `failures` (1, 2, 4, 5, 5 … s). */
export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
}

/** Thrown inside a poll that `retarget` made stale (never escapes `tick`). */
const RETARGETED = new Error("retargeted");

/** Lets pending I/O (a key press) run before the next piece of work. */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Polls HAProxy and keeps the MonitorState. The next poll is scheduled only when the previous one
 * has finished, so polls never overlap; faults keep the last data and retry with backoff. A poll
 * that follows another at once (the servers after the first quick poll, a coalesced refresh) waits
 * for the event loop first, so a key press never queues behind two parses in a row.
 */
export class Poller {
  readonly store: Store<MonitorState>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  private again = false;
  private stopped = true;
  private failures = 0;
  private needs: ScreenNeeds = { sessions: false, errors: false };
  private adaptive: AdaptiveState = INITIAL_ADAPTIVE;
  private serversStateCadence: ServersStateCadence = INITIAL_SERVERS_STATE;
  /** Ask `show cli level` again on the next poll: after a fault or a new pid, another process may answer. */
  private recheckLevel = false;
  private readonly policy: AdaptivePolicy;
  /** Bumped by `retarget`: a poll that began before it belongs to the other process and is dropped. */
  private generation = 0;
  private readonly now: () => number;
  private readonly clock: () => number;

  constructor(private readonly opts: PollerOptions) {
    this.store = new Store(initialState(opts.target, opts.intervalMs));
    this.now = opts.now ?? Date.now;
    this.clock = opts.clock ?? (() => performance.now());
    this.policy = { ...DEFAULT_POLICY, ...opts.adaptive };
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** What the screen needs; a newly opened sessions or errors view is fetched at once. */
  setDemand(d: ScreenNeeds): void {
    const known = new Set((this.needs.extras ?? []).map((q) => q.key));
    const grew =
      (d.sessions && !this.needs.sessions) ||
      (d.errors && !this.needs.errors) ||
      (d.extras ?? []).some((q) => !known.has(q.key));
    this.needs = d;
    if (grew) this.refreshNow();
  }

  togglePause(): void {
    const paused = !this.store.getSnapshot().paused;
    this.store.update((s) => ({ ...s, paused }));
    if (!paused) this.refreshNow();
    else this.clearTimer();
  }

  /** Polls now (Space), even when paused; coalesces with a poll already under way. */
  refreshNow(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.clearTimer();
    void this.tick();
  }

  setIntervalMs(ms: number): void {
    const intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms));
    this.store.update((s) => ({ ...s, intervalMs }));
    if (!this.inFlight && !this.store.getSnapshot().paused && this.failures === 0) this.schedule(intervalMs);
  }

  /**
   * Points every poll at worker `pid` through the master CLI (`@!<pid>`), or back at the command
   * line's target (null). Another process: the data starts over (its pid, counters and rates are not
   * the previous one's, and a pid change here is no reload); the timeline, the interval, the pause
   * and the master's own answers stay. Returns why it cannot, or null.
   */
  retarget(pid: number | null): string | null {
    const out = this.opts.retarget?.(pid) ?? { error: "this monitor cannot change its target" };
    if ("error" in out) return out.error;
    this.generation++;
    this.adaptive = INITIAL_ADAPTIVE;
    this.serversStateCadence = INITIAL_SERVERS_STATE;
    this.failures = 0;
    this.recheckLevel = false;
    this.store.update((s) => ({
      ...initialState(out.target, s.intervalMs),
      paused: s.paused,
      events: s.events,
      extras: Object.fromEntries(Object.entries(s.extras).filter(([k]) => k.startsWith("master:"))),
      via: out.via,
    }));
    this.refreshNow();
    return null;
  }

  /** Adds one event to the timeline (actions, reloads): one store notification. */
  addEvent(e: TimelineEvent): void {
    // An action or a reload may change what only `show servers state` tells (a drain on a DOWN
    // server, check masks): the next full poll reads it (src/store/adaptive.ts).
    if (e.kind === "action" || e.kind === "reload")
      this.serversStateCadence = { ...this.serversStateCadence, due: true };
    this.store.update((s) => ({ ...s, events: appendEvents(s.events, [e]) }));
    this.opts.onEvent?.(e);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.clearTimer();
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  /** Stores the state of one poll in one update, then hands its events to the log writer. */
  private commit(applied: Applied): void {
    this.store.update(() => applied.state);
    for (const e of applied.events) this.opts.onEvent?.(e);
  }

  /**
   * The open view's extra queries that are due, concurrently (each its own connection), stored in
   * one update. Their faults stay theirs: the poll's link state is not touched.
   */
  private async fetchExtras(): Promise<void> {
    const run = this.opts.fetchExtra;
    const gen = this.generation;
    const now = this.now();
    const due = (this.needs.extras ?? []).filter((q) => extraDue(this.store.getSnapshot().extras, q, now));
    if (!run || due.length === 0) return;
    const outcomes = await Promise.all(due.map((q) => run(q)));
    if (gen !== this.generation) return; // answered by the process watched before
    const at = this.now();
    this.store.update((s) => {
      let extras = s.extras;
      due.forEach((q, i) => {
        extras = storeExtra(extras, q.key, outcomes[i]!, at);
      });
      return { ...s, extras };
    });
  }

  /** After a dropped poll: free the slot and poll the new target at once. */
  private finishStale(): void {
    this.inFlight = false;
    this.again = false;
    void yieldToEventLoop().then(() => this.tick());
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.inFlight) return;
    this.inFlight = true;
    this.timer = null;
    const gen = this.generation;
    let delay: number;
    let followAtOnce = false;
    try {
      const state = this.store.getSnapshot();
      const withLevel = state.socketLevel.kind === "unknown" || this.recheckLevel;
      const plan = planPoll(this.adaptive, this.policy, this.needs, state.snapshot);
      const demand: Demand = { sessions: this.needs.sessions, errors: this.needs.errors, scope: plan.scope };
      const columns = this.opts.statColumns === undefined ? MONITOR_STAT_COLUMNS : this.opts.statColumns;
      if (columns) demand.columns = columns;
      const readServersState = plan.kind === "full" && wantServersState(this.serversStateCadence);
      if (plan.kind === "full" && !readServersState) demand.serversState = false;
      const t0 = this.clock();
      const result = await this.opts.fetch(demand, withLevel);
      const cost = this.clock() - t0;
      if (this.stopped) return;
      if (gen !== this.generation) throw RETARGETED;
      // Applied in slices (a full poll at 50k servers walks 50k entries), then merged into the
      // state of that moment: an event an action added meanwhile stays.
      const outcome = { result, kind: plan.kind, scope: plan.scope, askedLevel: withLevel };
      const finish = await runSliced(applySteps(this.store.getSnapshot(), outcome));
      if (this.stopped) return;
      const applied = finish(this.store.getSnapshot());
      this.adaptive = afterPoll(
        this.adaptive,
        this.policy,
        plan.kind,
        cost,
        serverCount(applied.state.snapshot) ?? 0,
      );
      this.recheckLevel = false;
      this.serversStateCadence = afterServersState(
        this.serversStateCadence,
        plan.kind,
        readServersState,
        applied.events.some((e) => e.kind === "state" || e.kind === "pid"),
      );
      if (applied.events.some((e) => e.kind === "pid")) {
        // A reload: ids may have changed, every server is fetched again, the level asked again.
        this.adaptive = forceFull(this.adaptive);
        this.recheckLevel = true;
      }
      this.commit({
        ...applied,
        state: { ...applied.state, fullEvery: fullEveryOf(this.adaptive, this.policy) },
      });
      await this.fetchExtras();
      if (this.stopped) return;
      this.failures = 0;
      delay = this.store.getSnapshot().intervalMs;
      followAtOnce = plan.kind === "skeleton"; // the first frame is up: now fetch the servers
    } catch (e) {
      if (this.stopped) return;
      if (gen !== this.generation) {
        // A poll of the process watched before `retarget`: dropped; the new target's poll follows.
        return this.finishStale();
      }
      this.failures++;
      this.recheckLevel = true;
      delay = backoffMs(this.failures);
      this.commit(applyFailure(this.store.getSnapshot(), e, this.now(), delay));
    } finally {
      this.inFlight = false;
    }
    if (this.again || followAtOnce) {
      this.again = false;
      await yieldToEventLoop();
      if (this.inFlight) return; // a refresh started meanwhile
      return this.tick();
    }
    if (!this.store.getSnapshot().paused) this.schedule(delay);
  }
}
