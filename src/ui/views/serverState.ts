import type { BackendEntry, ProxyEntry, ServerEntry } from "../../model/snapshot.js";
import { statusTone } from "../../model/status.js";
import type { Tone } from "../table/types.js";

/**
 * A server's two states, kept apart. HAProxy's `status` column mixes them: "MAINT" and "DRAIN"
 * are what an operator set (administrative), "UP" and "DOWN" what the health checks found
 * (operational). Showing "MAINT" where "DOWN" is expected, or the reverse, sends an SRE after the
 * wrong problem.
 */
export interface ServerStates {
  /** "MAINT", "MAINT via be/srv", "MAINT (resolution)", "DRAIN", or "" when ready (in service). */
  admin: string;
  /**
   * "UP", "DOWN", "UP 1/3" (going down), "DOWN 1/2" (going up), "NOLB", "no check", "DOWN (agent)";
   * null in maintenance: HAProxy stops checking a server in MAINT, its health is unknown.
   */
  health: string | null;
}

/** The admin and health states of a server row (defensive: every field may be absent). */
export function serverStates(entry: ProxyEntry & Partial<Pick<ServerEntry, "admin">>): ServerStates {
  const status = entry.status.trim();
  let admin = "";
  const maint = /^MAINT(.*)$/.exec(status);
  if (maint) admin = `MAINT${maint[1]!.replace(/^ \(via (.*)\)$/, " via $1")}`;
  else if (/^DRAIN/.test(status)) admin = "DRAIN";
  // The status word hides a drain while the server is DOWN or NOLB; `show servers state` does not.
  else if (entry.admin === "DRAIN" || entry.admin === "MAINT") admin = entry.admin;
  if (maint) return { admin, health: null };
  // "DRAIN" is an UP server that takes no new traffic; "DRAIN 1/2" one that is going down.
  const health = status.replace(/^DRAIN \(agent\)$/, "UP").replace(/^DRAIN/, "UP");
  return { admin, health: health === "" ? null : health };
}

/** MAINT dim (taken out on purpose), DRAIN yellow, MAINT (resolution) red: DNS failed, not a choice. */
export function adminTone(admin: string): Tone {
  if (admin === "") return "none";
  if (/resolution/.test(admin)) return "bad";
  return admin.startsWith("DRAIN") ? "warn" : "dim";
}

/** UP green, DOWN red, in-between yellow, "no check" plain, unknown dim. */
export function healthTone(health: string | null): Tone {
  if (health === null) return "dim";
  if (health === "no check") return "none";
  return statusTone(health);
}

/** How the servers of a backend stand: what Prometheus exports as agg_server_status (show stat says 0). */
export interface ServerCounts {
  total: number;
  /** Taking traffic: UP, UP going down, no check, not in MAINT or DRAIN. */
  up: number;
  down: number;
  maint: number;
  drain: number;
}

export function serverCounts(backend: BackendEntry): ServerCounts {
  const c: ServerCounts = { total: 0, up: 0, down: 0, maint: 0, drain: 0 };
  for (const sv of backend.servers) {
    c.total++;
    const { admin, health } = serverStates(sv);
    if (admin.startsWith("MAINT")) c.maint++;
    else if (admin === "DRAIN") c.drain++;
    else if (health !== null && /^(UP|no check)/.test(health)) c.up++;
    else c.down++;
  }
  return c;
}

/** "2/3 up" for a backend's CHECK cell: green when all serve, yellow when some, red when none. */
export function serverCountsCell(c: ServerCounts): { text: string; tone: Tone } {
  if (c.total === 0) return { text: "no server", tone: "bad" };
  const tone: Tone = c.up === 0 ? "bad" : c.up < c.total ? "warn" : "good";
  return { text: `${c.up}/${c.total} up`, tone };
}
