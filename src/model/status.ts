/** How a HAProxy status word reads to an operator: serving, down, or in between (drain, nolb, going up/down). */
export type StatusTone = "good" | "bad" | "warn" | "none";

export function statusTone(status: string): StatusTone {
  if (status === "") return "none";
  if (/^(UP|OPEN|no check)$/.test(status)) return "good";
  if (/^(DOWN|STOP|MAINT)/.test(status) && !/^DOWN \d/.test(status)) return "bad";
  return "warn";
}

/**
 * A server's administrative state: set by an operator (`set server … state`), the config
 * (`disabled`) or DNS resolution. MAINT and DRAIN live here, never in the health (OpState).
 */
export type AdminState = "READY" | "MAINT" | "DRAIN";

/** A server's operational state, from its health checks: UP, DOWN, warming up, soft-stopping (NOLB). */
export type OpState = "UP" | "DOWN" | "STARTING" | "STOPPING";

// srv_admin_state bits (include/haproxy/server-t.h, the same in 2.6 to 3.2): forced, inherited
// and resolution maintenance, config maintenance (CMAINT), forced and inherited drain.
const ADMIN_MAINT = 0x01 | 0x02 | 0x04 | 0x20;
const ADMIN_DRAIN = 0x08 | 0x10;

/** srv_admin_state of `show servers state` (a bit mask) as an AdminState; null when not a number. */
export function adminFromMask(mask: unknown): AdminState | null {
  if (typeof mask !== "number" || !Number.isInteger(mask) || mask < 0) return null;
  if (mask & ADMIN_MAINT) return "MAINT";
  if (mask & ADMIN_DRAIN) return "DRAIN";
  return "READY";
}

const OP_STATES: readonly OpState[] = ["DOWN", "STARTING", "UP", "STOPPING"];

/** srv_op_state of `show servers state` (0 stopped, 1 starting, 2 running, 3 stopping) as an OpState. */
export function opFromCode(code: unknown): OpState | null {
  return typeof code === "number" ? (OP_STATES[code] ?? null) : null;
}

/**
 * What `show stat`'s `status` of a server tells about its two states. HAProxy folds both into one
 * word (src/stats.c): MAINT hides the health, DRAIN shows only while the server runs, and a DOWN or
 * NOLB server hides a DRAIN. What the word hides is null (unknown), never guessed.
 */
export function statesFromStatus(status: string): { admin: AdminState | null; op: OpState | null } {
  if (status.startsWith("MAINT")) return { admin: "MAINT", op: null };
  if (status.startsWith("DRAIN")) return { admin: "DRAIN", op: "UP" };
  if (status.startsWith("NOLB")) return { admin: null, op: "STOPPING" };
  if (status.startsWith("DOWN")) return { admin: null, op: "DOWN" };
  if (status.startsWith("UP") || status === "no check") return { admin: "READY", op: "UP" };
  return { admin: null, op: null };
}
