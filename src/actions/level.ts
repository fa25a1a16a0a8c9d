/** The actions haptop can run against HAProxy (their requirements are in policy.ts). */
export type ActionName =
  | "clear-counters"
  | "clear-counters-all"
  | "set-server-state"
  | "set-weight"
  | "shutdown-session"
  | "shutdown-sessions-server"
  | "reload"
  /** Server health controls (healthCommands.ts). */
  | "set-health-check"
  | "set-agent-check"
  | "set-maxconn-server"
  /** Maps and ACLs (mapCommands.ts). */
  | "map-add-entry"
  | "map-del-entry"
  | "map-set-entry"
  /** Stick tables (tableCommands.ts). */
  | "clear-table-entry"
  | "set-table-entry";
