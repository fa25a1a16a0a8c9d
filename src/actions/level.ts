/** The actions haptop can run against HAProxy (their requirements are in policy.ts). */
export type ActionName =
  | "clear-counters"
  | "clear-counters-all"
  | "set-server-state"
  | "set-weight"
  | "shutdown-session"
  | "shutdown-sessions-server"
  | "reload";
