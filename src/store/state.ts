import type { Rates } from "../model/rates.js";
import type { Snapshot } from "../model/snapshot.js";
import type { ErrorsReport } from "../parse/errors.js";
import type { CliLevel } from "../parse/level.js";
import type { Session } from "../parse/sess.js";

/** Connection health as the header badges show it. */
export type LinkStatus = "connecting" | "ok" | "stale" | "disconnected";

/** One point of the header sparklines. */
export interface RateSample {
  at: number;
  connPerSec: number | null;
  sessPerSec: number | null;
  reqPerSec: number | null;
}

/** Something that happened, for the event timeline (issue: operate). */
export interface TimelineEvent {
  at: number;
  kind: "state" | "reload" | "pid" | "action" | "link";
  /** One line, already readable: "be_app/app1 UP → DOWN". */
  text: string;
  /** Exact Runtime API command or process command line, for actions. */
  command?: string;
  reply?: string;
  ok?: boolean;
  durationMs?: number;
}

/** What the poller knows; the UI renders it and never fetches. */
export interface MonitorState {
  target: string;
  level: CliLevel | null;
  snapshot: Snapshot | null;
  /** Per-key rates from the last two snapshots (`fe/x`, `be/x`, `sv/be/srv`). */
  rates: Map<string, Rates>;
  history: RateSample[];
  /** The last poll fetched only the servers on screen (a large config); the others are from earlier polls. */
  partialPoll: boolean;
  link: LinkStatus;
  /** Last fault, in plain words, while not ok. */
  error: string | null;
  /** When the next retry happens (ms epoch) while disconnected. */
  retryAt: number | null;
  lastOkAt: number | null;
  paused: boolean;
  intervalMs: number;
  /** Set after a pid change (reload) was seen: shown in the header for a while. */
  pidChange: { from: number; to: number; at: number } | null;
  /** `show sess`, fetched only while the sessions view is open; null until fetched. */
  sessions: Session[] | null;
  sessionsError: string | null;
  errors: ErrorsReport | null;
  errorsError: string | null;
  events: TimelineEvent[];
}

export function initialState(target: string, intervalMs: number): MonitorState {
  return {
    target,
    level: null,
    snapshot: null,
    rates: new Map(),
    history: [],
    partialPoll: false,
    link: "connecting",
    error: null,
    retryAt: null,
    lastOkAt: null,
    paused: false,
    intervalMs,
    pidChange: null,
    sessions: null,
    sessionsError: null,
    errors: null,
    errorsError: null,
    events: [],
  };
}
