import type { CliLevel } from "../parse/level.js";

/** CLI levels ordered by privilege: a higher rank may run everything a lower one may. */
export const LEVEL_RANK: Readonly<Record<CliLevel, number>> = { user: 0, operator: 1, admin: 2 };

/** The actions haptop can run against HAProxy (their requirements are in policy.ts). */
export type ActionName =
  | "clear-counters"
  | "clear-counters-all"
  | "set-server-state"
  | "set-weight"
  | "shutdown-session"
  | "shutdown-sessions-server"
  | "reload";

/** True when a socket of `level` may run what needs `needed`. */
export function levelAllows(level: CliLevel, needed: CliLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[needed];
}
