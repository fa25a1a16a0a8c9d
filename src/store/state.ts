import type { Rates } from "../model/rates.js";
import type { Snapshot } from "../model/snapshot.js";
import type { ErrorsReport } from "../parse/errors.js";
import type { CliLevel } from "../parse/level.js";
import type { Session } from "../parse/sess.js";
import type { ExtraResult } from "./extras.js";

/** Connection health as the header badges show it. */
export type LinkStatus = "connecting" | "ok" | "stale" | "disconnected";

/**
 * The socket's level, kept in one place (MonitorState.socketLevel):
 * - unknown: not asked yet;
 * - unsupported: HAProxy answered that it has no `show cli level` (before 2.0). It is not asked
 *   again until the connection is lost or the pid changes (another process may answer then);
 * - known: what `show cli level` answered.
 */
export type SocketLevel = { kind: "unknown" } | { kind: "unsupported" } | { kind: "known"; level: CliLevel };

export const LEVEL_UNKNOWN: SocketLevel = { kind: "unknown" };
export const LEVEL_UNSUPPORTED: SocketLevel = { kind: "unsupported" };

/** The level to judge actions by: null when unknown or unsupported (HAProxy then judges each command). */
export function levelOf(s: SocketLevel): CliLevel | null {
  return s.kind === "known" ? s.level : null;
}

/** One point of the header sparklines. */
export interface RateSample {
  at: number;
  connPerSec: number | null;
  sessPerSec: number | null;
  reqPerSec: number | null;
  /** 5xx answered by the frontends per second, and as a % of their requests (model/rates.ts). */
  http5xxPerSec?: number | null;
  http5xxPct?: number | null;
  /** Request, connection and response errors per second (frontends + backends). */
  errPerSec?: number | null;
}

/** How a state change reads at a glance (the timeline's colour; the view maps it to a tone). */
export type EventSeverity = "good" | "bad" | "warn";

/** A new process id seen between two polls. */
export interface PidChange {
  from: number;
  to: number;
}

/** What every timeline event has; `text` is one readable line, "be_app/app1 UP → DOWN". */
interface EventBase {
  at: number;
  text: string;
  /** Exact Runtime API command or process command line, for actions. */
  command?: string;
  reply?: string;
  ok?: boolean;
  durationMs?: number;
}

/**
 * Something that happened, for the event timeline and the `--log` file (one JSON line each, these
 * fields as keys). Typed by `kind` with structured fields, so nothing re-reads `text` to tell what
 * happened (the view picks its colour from them). The kinds are the ones `--log` always wrote.
 */
export type TimelineEvent = EventBase &
  (
    | /** A frontend, backend or server changed status. */
    { kind: "state"; name: string; from: string; to: string; severity: EventSeverity }
    /** haptop's reload: started, finished (`ok`), an old process exited after draining. */
    | { kind: "reload"; step: "started" | "finished" | "old-exited" }
    /**
     * A new pid seen by a poll: a reload (haptop's, or one that kept the process's uptime), or a
     * restart (HAProxy stopped and started: not haptop's reload, and its uptime restarted).
     */
    | { kind: "pid"; pid: PidChange; cause: "reload" | "restart" }
    /** A Runtime API action haptop ran (`ok` tells how it went). */
    | { kind: "action" }
    /** The stats socket stopped answering (`up` false), or answers again (`up` true); `error`: the fault. */
    | { kind: "link"; up: boolean; error: string }
    /** Part of a reply could not be read: `skippedRows` rows of `show stat` skipped. */
    | { kind: "data"; skippedRows: number }
  );

export type TimelineKind = TimelineEvent["kind"];

/** What the poller knows; the UI renders it and never fetches. */
export interface MonitorState {
  target: string;
  /** The socket's level: the one place it is kept (see SocketLevel). */
  socketLevel: SocketLevel;
  /**
   * `levelOf(socketLevel)`, for readers that only need a level or null. Derived: only
   * `applyPoll` (src/store/apply.ts) sets it, always together with `socketLevel`.
   */
  level: CliLevel | null;
  snapshot: Snapshot | null;
  /** Per-key rates from the last two snapshots (`fe/x`, `be/x`, `sv/be/srv`). */
  rates: Map<string, Rates>;
  history: RateSample[];
  /** The last poll fetched only the servers on screen (a large config); the others are from earlier polls. */
  partialPoll: boolean;
  /** While polls are scoped: every how many polls a full one comes (src/store/adaptive.ts fullEveryOf). */
  fullEvery: number;
  /** Frontends and backends are known but the servers not yet (the first, quick poll): "loading". */
  serversPending: boolean;
  link: LinkStatus;
  /** Last fault, in plain words, while not ok. */
  error: string | null;
  /** When the next retry happens (ms epoch) while disconnected. */
  retryAt: number | null;
  lastOkAt: number | null;
  paused: boolean;
  intervalMs: number;
  /** Set after a pid change (reload) was seen: shown in the header for a while. */
  pidChange: { from: number; to: number; at: number; kind?: "reload" | "restart" } | null;
  /** `show sess`, fetched only while the sessions view is open; null until fetched. */
  sessions: Session[] | null;
  sessionsError: string | null;
  errors: ErrorsReport | null;
  errorsError: string | null;
  events: TimelineEvent[];
  /** Answers to the open view's extra queries (src/store/extras.ts), by query key. */
  extras: Readonly<Record<string, ExtraResult>>;
  /** The count of unreadable `show stat` rows last put on the timeline (each new count once). */
  skippedRowsReported: number;
  /**
   * The worker watched through the master CLI (`@!<pid>`), when the operator pointed the UI at one
   * (process view, Enter); absent or null: the target given on the command line.
   */
  via?: WorkerVia | null;
}

/** A worker polled through the master CLI instead of the stats socket. */
export interface WorkerVia {
  pid: number;
  /** The master CLI's address, as written for messages. */
  master: string;
  /** The target given on the command line, where `b` goes back to. */
  home: string;
}

export function initialState(target: string, intervalMs: number): MonitorState {
  return {
    target,
    socketLevel: LEVEL_UNKNOWN,
    level: null,
    snapshot: null,
    rates: new Map(),
    history: [],
    partialPoll: false,
    fullEvery: 10,
    serversPending: false,
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
    extras: {},
    skippedRowsReported: 0,
  };
}
