import type { FleetRow } from "../model/fleet.js";
import { type PromSample, parseInstantVector } from "../parse/prometheus.js";
import { fleetRowOf } from "./fleetRow.js";
import type { Poller } from "./poller.js";
import { fleetFromProm, fleetQueries, type PromQueryId } from "./promFleet.js";
import type { LinkStatus } from "./state.js";
import { Store } from "./store.js";

/** What the fleet overview shows: one row per load balancer, and the source's own health. */
export interface FleetState {
  /** "3 targets", "prometheus http://prom:9090" */
  source: string;
  rows: FleetRow[];
  /** The source itself (Prometheus); always "ok" for socket targets (each row has its own). */
  link: LinkStatus;
  error: string | null;
  lastOkAt: number | null;
  intervalMs: number;
}

/** A named target of the fleet, with its own poller (own interval, backoff and timeout). */
export interface FleetMember {
  name: string;
  poller: Poller;
}

/** A source of fleet rows: socket targets polled by haptop, or a Prometheus server. */
export interface FleetSource {
  readonly store: Store<FleetState>;
  start(): void;
  stop(): void;
  refreshNow(): void;
}

/**
 * Several socket targets, each polled by its own Poller: a slow or dead target only delays its own
 * row. The rows are rebuilt at most once per event-loop turn, however many pollers answered in it.
 */
export class SocketFleet implements FleetSource {
  readonly store: Store<FleetState>;
  private unsubscribe: (() => void)[] = [];
  private scheduled = false;

  constructor(readonly members: readonly FleetMember[]) {
    this.store = new Store<FleetState>({
      source: "stats sockets",
      rows: this.rows(),
      link: "ok",
      error: null,
      lastOkAt: null,
      intervalMs: members[0]?.poller.store.getSnapshot().intervalMs ?? 1000,
    });
  }

  private rows(): FleetRow[] {
    return this.members.map((m) => fleetRowOf(m.name, m.poller.store.getSnapshot()));
  }

  private changed = () => {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const rows = this.rows();
      const lastOkAt = Math.max(0, ...rows.map((r) => r.lastOkAt ?? 0)) || null;
      this.store.update((s) => ({ ...s, rows, lastOkAt }));
    });
  };

  start(): void {
    for (const m of this.members) {
      this.unsubscribe.push(m.poller.store.subscribe(this.changed));
      m.poller.start();
    }
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    for (const m of this.members) m.poller.stop();
  }

  refreshNow(): void {
    for (const m of this.members) m.poller.refreshNow();
  }
}

export interface PromFleetOptions {
  /** The Prometheus server, e.g. http://127.0.0.1:9090 (described in the header). */
  url: string;
  /** `--match` label matchers, checked (parseMatchers). */
  matchers: string;
  /** The I/O: GET a path of the server (`/api/v1/query?query=…`) and parse its JSON. */
  getJson: (pathAndQuery: string) => Promise<unknown>;
  /** Refresh period; the scrape interval read from Prometheus when absent (else 15 s). */
  intervalMs?: number;
  now?: () => number;
}

/** How soon to refresh while Prometheus has not said its scrape interval yet. */
const UNKNOWN_RETRY_MS = 2000;

/** The shortest scrape interval of the active targets (`/api/v1/targets`), in ms, or null. */
export function scrapeIntervalMs(body: unknown): number | null {
  const targets = (body as { data?: { activeTargets?: { scrapeInterval?: unknown }[] } })?.data
    ?.activeTargets;
  if (!Array.isArray(targets)) return null;
  let best: number | null = null;
  for (const t of targets) {
    const m =
      typeof t?.scrapeInterval === "string" ? /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(t.scrapeInterval) : null;
    if (!m) continue;
    const ms = Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "s" ? 1000 : 60_000);
    if (ms > 0 && (best === null || ms < best)) best = ms;
  }
  return best;
}

/**
 * The fleet from a Prometheus server: the queries of `fleetQueries` (one per metric family, run
 * concurrently) at the scrape interval. A query that fails leaves its columns unknown and says why;
 * Prometheus unreachable keeps the last rows and shows the link down, retrying each period.
 */
export class PromFleet implements FleetSource {
  readonly store: Store<FleetState>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private inFlight = false;
  /** The refresh period is the scrape interval: known once Prometheus reports a target. */
  private intervalKnown: boolean;
  private readonly now: () => number;

  constructor(private readonly opts: PromFleetOptions) {
    this.intervalKnown = opts.intervalMs !== undefined;
    this.now = opts.now ?? Date.now;
    this.store = new Store<FleetState>({
      source: `prometheus ${opts.url}`,
      rows: [],
      link: "connecting",
      error: null,
      lastOkAt: null,
      intervalMs: opts.intervalMs ?? 15_000,
    });
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  refreshNow(): void {
    if (this.stopped || this.inFlight) return;
    if (this.timer) clearTimeout(this.timer);
    void this.tick();
  }

  /** One refresh, for `--once`: the rows and the source's health as they are now. */
  async once(): Promise<FleetState> {
    this.stopped = false;
    try {
      await this.refresh();
    } finally {
      this.stopped = true;
    }
    return this.store.getSnapshot();
  }

  private async tick(): Promise<void> {
    await this.refresh();
    // Until the interval is known, look again soon, not a whole default period later.
    const next = this.intervalKnown ? this.store.getSnapshot().intervalMs : UNKNOWN_RETRY_MS;
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), next);
  }

  private async refresh(): Promise<void> {
    this.inFlight = true;
    try {
      // Asked again at each refresh until known: a Prometheus that has just started lists no
      // target yet, and guessing 15 s would make the rate window a minute long.
      if (!this.intervalKnown) {
        const found = await this.opts
          .getJson("/api/v1/targets?state=active")
          .then(scrapeIntervalMs, () => null);
        if (found) {
          this.intervalKnown = true;
          this.store.update((s) => ({ ...s, intervalMs: Math.max(1000, found) }));
        }
      }
      await this.poll();
    } catch (e) {
      // Never stop refreshing: a fault here is shown, and the next period tries again.
      const error = e instanceof Error ? e.message : String(e);
      this.store.update((st) => ({ ...st, link: "disconnected", error }));
    } finally {
      this.inFlight = false;
    }
  }

  private async poll(): Promise<void> {
    const { intervalMs } = this.store.getSnapshot();
    // Four scrape intervals: a rate needs two samples, and one late scrape must not blank it.
    const queries = fleetQueries(this.opts.matchers, Math.max(4 * (intervalMs / 1000), 2));
    const ids = Object.keys(queries) as PromQueryId[];
    const settled = await Promise.allSettled(
      ids.map((id) =>
        this.opts.getJson(`/api/v1/query?query=${encodeURIComponent(queries[id])}`).then(parseInstantVector),
      ),
    );
    if (this.stopped) return;
    const now = this.now();
    const answers: Partial<Record<PromQueryId, PromSample[]>> = {};
    const failures: string[] = [];
    settled.forEach((r, i) => {
      if (r.status === "fulfilled") answers[ids[i]!] = r.value;
      else failures.push(r.reason instanceof Error ? r.reason.message : String(r.reason));
    });
    this.store.update((s) => {
      if (failures.length === ids.length)
        return { ...s, link: "disconnected", error: failures[0] ?? "Prometheus did not answer" };
      const previous = new Map(s.rows.map((r) => [r.key, r]));
      return {
        ...s,
        rows: fleetFromProm(answers, now, previous),
        link: "ok",
        error: failures.length ? `${failures.length} of ${ids.length} queries failed: ${failures[0]}` : null,
        lastOkAt: now,
      };
    });
  }
}
