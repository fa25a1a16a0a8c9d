import { checkPaused, checkStateFromMask } from "../../actions/healthCommands.js";
import { num, type ServerEntry, str } from "../../model/snapshot.js";
import type { ServerStateRow } from "../../parse/servers-state.js";
import { duration } from "../../text/format.js";

/**
 * The `i` pane of a server (backends view): its `show servers state` line in words, next to what
 * `show stat` says, and what a reload would reset. Names are HAProxy's (untrusted): the detail
 * overlay sanitises every line.
 */

// srv_admin_state bits (include/haproxy/server-t.h, the same from 2.6 to 3.2).
const ADMIN_BITS: readonly [number, string][] = [
  [0x01, "MAINT set from the CLI or stats page (forced)"],
  [0x02, "MAINT inherited from the tracked server"],
  [0x04, 'MAINT from the configuration ("disabled" on the server line)'],
  [0x20, "MAINT because its address failed to resolve (DNS)"],
  [0x08, "DRAIN set from the CLI or stats page (forced)"],
  [0x10, "DRAIN inherited from the tracked server"],
];

/** srv_admin_state in words: "READY (in service)", or each reason it is out. */
export function adminWords(mask: unknown): string {
  if (typeof mask !== "number" || !Number.isInteger(mask) || mask < 0) return "unknown";
  const why = ADMIN_BITS.filter(([bit]) => mask & bit).map(([, w]) => w);
  return why.length ? why.join("; ") : "READY (in service)";
}

const OP_WORDS = [
  "DOWN (stopped: checks failed)",
  "STARTING (up, warming up: slow start)",
  "UP (running)",
  "STOPPING (up, soft-stopping: NOLB, takes no new sessions)",
];

/** srv_op_state in words. */
export function opWords(code: unknown): string {
  return typeof code === "number" ? (OP_WORDS[code] ?? `unknown (${code})`) : "unknown";
}

// HCHK_STATUS_* (include/haproxy/check-t.h, the same list from 2.6 to 3.2).
const CHECK_STATUS = [
  ["UNK", "unknown"],
  ["INI", "initializing"],
  ["START", "check started"],
  ["CHECKED", "checked"],
  ["HANA", "too many errors seen on live traffic"],
  ["SOCKERR", "socket error"],
  ["L4OK", "connection accepted (layer 4)"],
  ["L4TOUT", "connection timed out (layer 4)"],
  ["L4CON", "connection refused or unreachable (layer 4)"],
  ["L6OK", "SSL handshake passed"],
  ["L6TOUT", "SSL handshake timed out"],
  ["L6RSP", "invalid SSL response"],
  ["L7TOUT", "response timed out (layer 7)"],
  ["L7RSP", "invalid response (layer 7)"],
  ["L57DATA", "data received"],
  ["L7OK", "response passed (layer 7)"],
  ["L7OKC", "response passed conditionally (layer 7)"],
  ["L7STS", "bad response status (e.g. HTTP 5xx)"],
  ["PROCERR", "external check failed"],
  ["PROCTOUT", "external check timed out"],
  ["PROCOK", "external check passed"],
] as const;

/** srv_check_status in words: "L7OK: response passed (layer 7)". */
export function checkStatusWords(code: unknown): string {
  if (typeof code !== "number") return "unknown";
  const s = CHECK_STATUS[code];
  return s ? `${s[0]}: ${s[1]}` : `status ${code}`;
}

const CHECK_RESULT = ["unknown", "neutral", "failed", "passed", "passed conditionally (no new sessions)"];

export function checkResultWords(code: unknown): string {
  return typeof code === "number" ? (CHECK_RESULT[code] ?? `result ${code}`) : "unknown";
}

/** A check's on/off state in words, from its bit mask. */
export function checkWords(mask: unknown, key = "H"): string {
  const state = checkStateFromMask(mask);
  if (state === "not-configured") return "not configured";
  if (state === "unknown") return "unknown";
  if (state === "disabled") return `DISABLED (from the CLI: ${key} enables it)`;
  return checkPaused(mask) ? "enabled, paused while in maintenance" : "enabled";
}

const field = (row: ServerStateRow, name: string) => row[name];
const n = (row: ServerStateRow, name: string): number | null =>
  typeof row[name] === "number" ? (row[name] as number) : null;

/** What a reload would put back: each runtime change this line shows, in words. */
export function reloadResets(row: ServerStateRow | undefined, maxconn: number | null): string[] {
  const out: string[] = [];
  if (row) {
    const admin = n(row, "srv_admin_state") ?? 0;
    if (admin & 0x01) out.push("the forced MAINT (back to the configuration's state)");
    else if (admin & 0x08) out.push("the forced DRAIN (back to the configuration's state)");
    const uw = n(row, "srv_uweight");
    const iw = n(row, "srv_iweight");
    if (uw !== null && iw !== null && uw !== iw) out.push(`the weight ${uw} (back to ${iw})`);
    if (checkStateFromMask(row.srv_check_state) === "disabled") out.push("disabled health checks (on again)");
    if (checkStateFromMask(row.srv_agent_state) === "disabled") out.push("disabled agent checks (on again)");
  }
  const lines = out.length
    ? [`A reload resets: ${out.join("; ")}.`]
    : ["A reload resets nothing visible here: no runtime change to state, weight or checks."];
  lines.push(
    "  Weights, states and check on/off set at run time return to the configuration's unless",
    "  server-state-file + load-server-state-from-file keep them; maxconn set at run time is always lost" +
      (maxconn !== null ? ` (now ${maxconn})` : "") +
      ".",
  );
  return lines;
}

const sessionsText = (n: number | null) => (n === null ? "- sessions" : `${n} session${n === 1 ? "" : "s"}`);

/** The pane: title and lines for the detail overlay. */
export function serverStatePane(entry: ServerEntry): { title: string; lines: string[] } {
  const title = `Server ${entry.backend}/${entry.name}`;
  const row = entry.serverState;
  const slim = num(entry.stats, "slim");
  const lines: string[] = [];
  lines.push(
    `show stat: status ${str(entry.stats, "status") || "-"}, ${sessionsText(num(entry.stats, "scur"))}, maxconn ${slim ?? "no limit"}`,
  );
  if (!row) {
    lines.push(
      "",
      "show servers state was not read with the last poll (socket level, release, or a partial poll",
      "on a large configuration): states below come from show stat's status only.",
      `admin state: ${entry.admin ?? "hidden by the status"}`,
      `operational state: ${entry.op ?? "hidden by the status"}`,
      `health check: ${str(entry.stats, "check_status") ? `running (last ${str(entry.stats, "check_status")})` : "not running or not configured"}`,
      `weight: ${num(entry.stats, "weight") ?? "-"}`,
      "",
      ...reloadResets(undefined, slim),
    );
    return { title, lines };
  }
  const addr = field(row, "srv_addr");
  const port = field(row, "srv_port");
  const since = n(row, "srv_time_since_last_change");
  lines.push(
    `address ${addr ?? "-"}${port !== undefined && port !== 0 ? `:${port}` : ""}` +
      `  (backend id ${row.be_id}, server id ${row.srv_id})`,
    "",
    `admin state:       ${adminWords(row.srv_admin_state)}`,
    `operational state: ${opWords(row.srv_op_state)}${since !== null ? `, for ${duration(since)}` : ""}`,
    `health check:      ${checkWords(row.srv_check_state)}`,
  );
  if (checkStateFromMask(row.srv_check_state) !== "not-configured")
    lines.push(
      `  last status ${checkStatusWords(row.srv_check_status)}; result ${checkResultWords(row.srv_check_result)}; health counter ${row.srv_check_health}`,
    );
  lines.push(`agent check:       ${checkWords(row.srv_agent_state, "A")}`);
  const uw = n(row, "srv_uweight");
  const iw = n(row, "srv_iweight");
  lines.push(
    `weight:            ${uw ?? "-"} now, ${iw ?? "-"} initial (configuration)` +
      (uw !== null && iw !== null && uw !== iw ? "  changed at run time" : ""),
    "",
    ...reloadResets(row, slim),
  );
  return { title, lines };
}
