import { parseServersState, type ServerStateRow } from "../parse/servers-state.js";
import { parseStat, type StatRow, statTypeOf } from "../parse/stat.js";
import { isProxyId } from "../store/poll.js";
import type { BuiltCommand } from "./commands.js";
import { checkProxyName, InvalidNameError, serverRef } from "./names.js";

/**
 * Server health controls: health checks and agent checks on or off (`enable|disable health|agent
 * <be>/<srv>`), and a server's maxconn (`set maxconn server <be>/<srv> <n>`). Pure builders, every
 * argument checked, like commands.ts: the dialog shows `commands`, running sends exactly them.
 */
export type HealthSpec =
  | { kind: "set-health-check"; backend: string; server: string; enable: boolean }
  | { kind: "set-agent-check"; backend: string; server: string; enable: boolean }
  /**
   * `backendId`: the backend's numeric id, to read the server's `slim` back by id (null: nothing is
   * read back). 0 removes the limit (HAProxy's "no maxconn").
   */
  | {
      kind: "set-maxconn-server";
      backend: string;
      backendId: number | null;
      server: string;
      maxconn: number;
    };

/** Larger is surely a typo (HAProxy's own limit is an int); refused before anything is sent. */
export const MAX_SERVER_MAXCONN = 1_000_000;

/** A maxconn as typed: digits only, 0 to MAX_SERVER_MAXCONN; throws InvalidNameError otherwise. */
export function parseMaxconn(input: unknown): number {
  const text = typeof input === "number" ? String(input) : typeof input === "string" ? input.trim() : "";
  const shown = String(input).slice(0, 40);
  if (!/^\d{1,7}$/.test(text))
    throw new InvalidNameError("maxconn", shown, `maxconn is a whole number from 0 to ${MAX_SERVER_MAXCONN}`);
  const n = Number(text);
  if (n > MAX_SERVER_MAXCONN)
    throw new InvalidNameError("maxconn", shown, `maxconn is a whole number from 0 to ${MAX_SERVER_MAXCONN}`);
  return n;
}

/** Builds one health control's commands; throws InvalidNameError on a bad name or value. */
export function buildHealthCommand(spec: HealthSpec): BuiltCommand {
  const ref = serverRef(spec.backend, spec.server);
  switch (spec.kind) {
    case "set-health-check":
    case "set-agent-check": {
      const word = spec.kind === "set-health-check" ? "health" : "agent";
      return {
        action: spec.kind,
        commands: [`${spec.enable ? "enable" : "disable"} ${word} ${ref}`],
        before: [],
        // Read back the check state bits of every server of the backend (by name: `show servers
        // state` only looks backends up, a frontend of the same name cannot answer instead).
        verify: [`show servers state ${checkProxyName(spec.backend)}`],
      };
    }
    case "set-maxconn-server": {
      const n = parseMaxconn(spec.maxconn);
      return {
        action: "set-maxconn-server",
        commands: [`set maxconn server ${ref} ${n}`],
        before: [],
        verify: isProxyId(spec.backendId) ? [`show stat +${spec.backendId} 4 -1`] : [],
      };
    }
  }
}

/** Whether a check (health or agent) runs: per `show servers state`'s srv_check_state / srv_agent_state. */
export type CheckState = "enabled" | "disabled" | "not-configured" | "unknown";

// check.state bits (include/haproxy/check-t.h, the same from 2.6 to 3.2).
const CHK_ST_CONFIGURED = 0x02;
const CHK_ST_ENABLED = 0x04;
const CHK_ST_PAUSED = 0x08;

/** A check state bit mask read. */
export function checkStateFromMask(mask: unknown): CheckState {
  if (typeof mask !== "number" || !Number.isInteger(mask) || mask < 0) return "unknown";
  if (!(mask & CHK_ST_CONFIGURED)) return "not-configured";
  return mask & CHK_ST_ENABLED ? "enabled" : "disabled";
}

/** True when checks are paused because the server is in maintenance (HAProxy resumes them on ready). */
export function checkPaused(mask: unknown): boolean {
  return typeof mask === "number" && (mask & CHK_ST_PAUSED) !== 0;
}

/**
 * The health and agent check states of a server: from its `show servers state` line when there is
 * one; else `show stat` tells only "enabled" (a check_status is shown only while checks run), never
 * "disabled" (an empty check_status is also a server in maintenance, or no check at all).
 */
export function checkStates(
  row: ServerStateRow | undefined,
  stats?: StatRow,
): { health: CheckState; agent: CheckState } {
  if (row)
    return {
      health: checkStateFromMask(row.srv_check_state),
      agent: checkStateFromMask(row.srv_agent_state),
    };
  const shows = (f: string) =>
    stats && stats[f] !== null && stats[f] !== undefined && stats[f] !== "" ? "enabled" : "unknown";
  return { health: shows("check_status"), agent: shows("agent_status") };
}

/** A reply read by `parse`, or null when it is not one (refused, cut short). */
function tryParse<T>(text: string | undefined, parse: (t: string) => T): T | null {
  if (!text || text.trim() === "") return null;
  try {
    return parse(text);
  } catch {
    return null;
  }
}

/** How an accepted health control reads, from what was read back: "be/srv health checks now disabled". */
export function healthAcceptedMessage(built: BuiltCommand, verify: string[]): string {
  const cmd = built.commands[0] ?? "";
  const check = /^(enable|disable) (health|agent) (\S+)\/(\S+)$/.exec(cmd);
  if (check) {
    const [, verb, word, be, srv] = check;
    const what = word === "health" ? "health checks" : "agent checks";
    const row = tryParse(verify[0], parseServersState)?.rows.find((r) => r.srv_name === srv);
    const now = row
      ? checkStateFromMask(word === "health" ? row.srv_check_state : row.srv_agent_state)
      : null;
    if (now === "enabled" || now === "disabled") return `${be}/${srv} ${what} now ${now}`;
    return `${be}/${srv} ${what} ${verb}d (could not read the state back)`;
  }
  const maxconn = /^set maxconn server (\S+)\/(\S+) (\d+)$/.exec(cmd);
  if (maxconn) {
    const [, be, srv, n] = maxconn;
    const row = tryParse(verify[0], parseStat)?.find(
      (r) => r.pxname === be && r.svname === srv && statTypeOf(r) === 2,
    );
    const slim = row ? row.slim : undefined;
    const limit = n === "0" ? "no limit" : n;
    if (row === undefined) return `${be}/${srv} maxconn set to ${limit}`;
    return `${be}/${srv} maxconn set to ${limit} (show stat slim now ${slim === null || slim === "" ? "empty: no limit" : slim})`;
  }
  return `${cmd}: done`;
}
