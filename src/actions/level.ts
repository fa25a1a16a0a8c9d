import type { CliLevel } from "../parse/level.js";

/** CLI levels ordered by privilege: a higher rank may run everything a lower one may. */
export const LEVEL_RANK: Readonly<Record<CliLevel, number>> = { user: 0, operator: 1, admin: 2 };

/** The actions haptop can run against HAProxy. */
export type ActionName =
  | "clear-counters"
  | "clear-counters-all"
  | "set-server-state"
  | "set-weight"
  | "shutdown-session"
  | "shutdown-sessions-server"
  | "reload";

/**
 * The CLI level each action needs (HAProxy 2.6, measured): `clear counters` resets max values at
 * operator level; everything else that changes state needs admin. A master-CLI `reload` needs
 * operator on the master socket; the daemon/command reloads run local processes, where the socket
 * level does not apply, so "reload" is listed as operator.
 */
export const ACTION_LEVEL: Readonly<Record<ActionName, CliLevel>> = {
  "clear-counters": "operator",
  "clear-counters-all": "admin",
  "set-server-state": "admin",
  "set-weight": "admin",
  "shutdown-session": "admin",
  "shutdown-sessions-server": "admin",
  reload: "operator",
};

/** True when a socket of `level` may run what needs `needed`. */
export function levelAllows(level: CliLevel, needed: CliLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[needed];
}

/** Why an action is refused before anything is sent. */
export type LocalRefusal = "read-only" | "level" | "invalid-input";

/**
 * Decides whether an action may be sent: refused in read-only mode, or when the socket's known
 * level is too low. An unknown level (null) is not refused here: HAProxy judges and answers
 * `Permission denied`.
 */
export function checkAllowed(
  action: ActionName,
  level: CliLevel | null | undefined,
  readOnly: boolean | undefined,
): { refusal: LocalRefusal; message: string } | null {
  if (readOnly) return { refusal: "read-only", message: "read-only mode" };
  const needed = ACTION_LEVEL[action];
  if (level && !levelAllows(level, needed)) {
    return { refusal: "level", message: `needs ${needed} level (this socket is ${level})` };
  }
  return null;
}
