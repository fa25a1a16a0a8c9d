import { formatError, SocketError } from "../client/errors.js";
import { computeGlobalRates, computeRates, NO_RATES } from "../model/rates.js";
import { carryServers, type ScreenNeeds, scopeFor, serverCount } from "./adaptive.js";
import { appendEvents, pidChange, stateChanges } from "./events.js";
import type { Demand, PollResult, StatScope } from "./poll.js";
import { initialState, type MonitorState, type RateSample, type TimelineEvent } from "./state.js";
import { Store } from "./store.js";

export const HISTORY_LENGTH = 120;
export const MAX_BACKOFF_MS = 5000;
export const MIN_INTERVAL_MS = 500;
export const MAX_INTERVAL_MS = 60_000;

export interface PollerOptions {
  target: string;
  intervalMs: number;
  /** The I/O: one poll. Injected so the poller is testable without a socket. */
  fetch: (demand: Demand, withLevel: boolean) => Promise<PollResult>;
  /** Called for every event added to the timeline (the --log writer). */
  onEvent?: (e: TimelineEvent) => void;
  now?: () => number;
}

/** Delay before retry number `failures` (1, 2, 4, 5, 5 … s). */
export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
}

/**
 * Polls HAProxy and keeps the MonitorState. The next poll is scheduled only when the previous one
 * has finished, so polls never overlap; faults keep the last data and retry with backoff.
 */
export class Poller {
  readonly store: Store<MonitorState>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  private again = false;
  private stopped = true;
  private failures = 0;
  private needs: ScreenNeeds = { sessions: false, errors: false };
  private polls = 0;
  private readonly now: () => number;

  constructor(private readonly opts: PollerOptions) {
    this.store = new Store(initialState(opts.target, opts.intervalMs));
    this.now = opts.now ?? Date.now;
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
    const grew = (d.sessions && !this.needs.sessions) || (d.errors && !this.needs.errors);
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

  addEvent(e: TimelineEvent): void {
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

  private async tick(): Promise<void> {
    if (this.stopped || this.inFlight) return;
    this.inFlight = true;
    this.timer = null;
    let delay: number;
    try {
      const withLevel = this.store.getSnapshot().level === null || this.failures > 0;
      const scope = scopeFor(serverCount(this.store.getSnapshot().snapshot), this.needs, this.polls++);
      const demand: Demand = { sessions: this.needs.sessions, errors: this.needs.errors, scope };
      const result = await this.opts.fetch(demand, withLevel);
      if (this.stopped) return;
      this.apply(result, scope);
      this.failures = 0;
      delay = this.store.getSnapshot().intervalMs;
    } catch (e) {
      if (this.stopped) return;
      this.failures++;
      delay = backoffMs(this.failures);
      this.fail(e, delay);
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      return this.tick();
    }
    if (!this.store.getSnapshot().paused) this.schedule(delay);
  }

  private apply(r: PollResult, scope: StatScope | undefined): void {
    const events: TimelineEvent[] = [];
    this.store.update((s) => {
      const prev = s.snapshot;
      const cur = r.snapshot;
      const pid = pidChange(prev, cur);
      // A scoped poll of a large config: off-screen servers keep their last values and rates.
      const carried = carryServers(prev, cur, scope);
      const rates = computeRates(prev, cur);
      for (const key of carried) rates.set(key, pid ? NO_RATES : (s.rates.get(key) ?? NO_RATES));
      if (pid) events.push({ at: cur.takenAt, kind: "pid", text: `new HAProxy pid ${pid.from} → ${pid.to}` });
      if (!pid) events.push(...stateChanges(prev, cur));
      if (s.link === "disconnected" || s.link === "stale") {
        events.push({
          at: cur.takenAt,
          kind: "link",
          text: `connection back (${s.error ?? "fault"} cleared)`,
        });
      }
      const g = computeGlobalRates(prev, cur);
      const sample: RateSample = {
        at: cur.takenAt,
        connPerSec: g.connPerSec,
        reqPerSec: g.reqPerSec,
        sessPerSec: typeof cur.info.SessRate === "number" ? cur.info.SessRate : null,
      };
      const history =
        s.history.length >= HISTORY_LENGTH ? [...s.history.slice(1), sample] : [...s.history, sample];
      return {
        ...s,
        snapshot: cur,
        level: r.level ?? s.level,
        rates,
        partialPoll: scope !== undefined,
        history,
        link: "ok",
        error: null,
        retryAt: null,
        lastOkAt: cur.takenAt,
        pidChange: pid ? { ...pid, at: cur.takenAt } : s.pidChange,
        sessions: r.sessions ? (r.sessions.ok ? r.sessions.value : s.sessions) : s.sessions,
        sessionsError: r.sessions ? (r.sessions.ok ? null : r.sessions.error) : s.sessionsError,
        errors: r.errors ? (r.errors.ok ? r.errors.value : s.errors) : s.errors,
        errorsError: r.errors ? (r.errors.ok ? null : r.errors.error) : s.errorsError,
      };
    });
    for (const e of events) this.addEvent(e);
    // After a reload on a large config, refresh every server on the next poll.
    if (scope && events.some((e) => e.kind === "pid")) this.polls = 0;
  }

  private fail(e: unknown, delay: number): void {
    const error = formatError(e).split("\n")[0] ?? "error";
    const timeout = e instanceof SocketError && e.code === "timeout";
    const wasOk = this.store.getSnapshot().link === "ok";
    this.store.update((s) => ({
      ...s,
      link: timeout ? "stale" : "disconnected",
      error,
      retryAt: this.now() + delay,
    }));
    if (wasOk) this.addEvent({ at: this.now(), kind: "link", text: `connection lost: ${error}` });
  }
}
