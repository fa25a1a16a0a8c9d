import { type CliLevel, levelAtLeast } from "../parse/level.js";
import type { ActionName } from "./level.js";

/**
 * The one answer to "may this run here?": the keymap (which bindings are enabled), the footer and
 * the help (why a key is greyed out), the controller (before planning) and the runtime (before
 * sending) all ask `mayRun`, so they never disagree and each reason has one wording.
 */
export interface PolicyContext {
  /** The socket's level (`show cli level`); null while unknown or unsupported: HAProxy judges. */
  level: CliLevel | null;
  readOnly: boolean;
  /** Why a reload cannot be planned here (no config found…), or null. */
  reloadUnavailable: string | null;
}

/** What an action needs: the Runtime API action it sends, or a local one (reload). */
export interface Requirement {
  /** The socket level HAProxy accepts it at. */
  level?: CliLevel;
  /** Changes HAProxy: refused in read-only mode. */
  mutating?: boolean;
  /** Needs a reload method (config, master socket…). */
  reload?: boolean;
}

/** Why something may not run, one message per reason. */
export type Refusal = { reason: "read-only" | "level" | "reload-unavailable"; message: string };

export const READ_ONLY_MESSAGE = "read-only mode";

export function levelMessage(needed: CliLevel, level: CliLevel): string {
  return `needs ${needed} level (socket is ${level})`;
}

/** Null when allowed; else the first reason it is not (read-only, then level, then reload). */
export function mayRun(req: Requirement, ctx: PolicyContext): Refusal | null {
  if (req.mutating && ctx.readOnly) return { reason: "read-only", message: READ_ONLY_MESSAGE };
  if (req.level && ctx.level && !levelAtLeast(ctx.level, req.level))
    return { reason: "level", message: levelMessage(req.level, ctx.level) };
  if (req.reload && ctx.reloadUnavailable)
    return { reason: "reload-unavailable", message: ctx.reloadUnavailable };
  return null;
}

/**
 * The requirement of each Runtime API action (HAProxy 2.6, measured): `clear counters` resets max
 * values at operator level; everything else that changes state needs admin. A reload runs local
 * processes (or the master CLI, which judges its own level), so it needs no stats-socket level.
 */
export const ACTION_REQUIREMENTS: Readonly<Record<ActionName, Requirement>> = {
  "clear-counters": { level: "operator", mutating: true },
  "clear-counters-all": { level: "admin", mutating: true },
  "set-server-state": { level: "admin", mutating: true },
  "set-weight": { level: "admin", mutating: true },
  "shutdown-session": { level: "admin", mutating: true },
  "shutdown-sessions-server": { level: "admin", mutating: true },
  reload: { mutating: true, reload: true },
  // `enable|disable health|agent` and `set maxconn server`: admin (cli_has_level ACCESS_LVL_ADMIN
  // in src/server.c, 2.6 to 3.2; management.txt says so for each).
  "set-health-check": { level: "admin", mutating: true },
  "set-agent-check": { level: "admin", mutating: true },
  "set-maxconn-server": { level: "admin", mutating: true },
  // `add|del|set map`, `add|del acl`: accepted on a user-level socket (measured on 2.6.12, 2.8.0,
  // 3.0.0 and 3.2.0; test/integration/actions/maps.test.ts). Still refused in read-only mode.
  "map-add-entry": { level: "user", mutating: true },
  // `clear table … key` and `set table … key … data.`: operator (measured on 2.6.12, 2.8.0, 3.0.0
  // and 3.2.0: accepted at operator level, `Permission denied` at user level; fixtures table-*.txt).
  "clear-table-entry": { level: "operator", mutating: true },
  "set-table-entry": { level: "operator", mutating: true },
  "map-del-entry": { level: "user", mutating: true },
  "map-set-entry": { level: "user", mutating: true },
};

/** The socket level each Runtime API action needs (derived from ACTION_REQUIREMENTS). */
export const ACTION_LEVEL: Readonly<Record<ActionName, CliLevel | null>> = Object.fromEntries(
  Object.entries(ACTION_REQUIREMENTS).map(([k, r]) => [k, r.level ?? null]),
) as Record<ActionName, CliLevel | null>;

/** Why an action is refused before anything is sent. */
export type LocalRefusal = "read-only" | "level" | "invalid-input";

/**
 * The runtime's check before sending: read-only mode, or a known socket level too low. An unknown
 * level (null) is not refused here: HAProxy judges and answers `Permission denied`.
 */
export function checkAllowed(
  action: ActionName,
  level: CliLevel | null | undefined,
  readOnly: boolean | undefined,
): { refusal: LocalRefusal; message: string } | null {
  const req = { ...ACTION_REQUIREMENTS[action], reload: false };
  const r = mayRun(req, { level: level ?? null, readOnly: readOnly === true, reloadUnavailable: null });
  return r ? { refusal: r.reason === "level" ? "level" : "read-only", message: r.message } : null;
}
