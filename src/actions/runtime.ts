import { performance } from "node:perf_hooks";
import { type RequestOptions, request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import type { CliLevel } from "../parse/level.js";
import { parseStat, type StatRow, statTypeOf } from "../parse/stat.js";
import { type ActionName, checkAllowed, type LocalRefusal } from "./level.js";
import {
  applyRelativeWeight,
  checkProxyName,
  checkServerName,
  checkSessionId,
  InvalidNameError,
  parseGetWeight,
  parseWeight,
  serverRef,
  type WeightSpec,
  weightArg,
} from "./names.js";

/** What every action needs besides its arguments. */
export interface ActionOptions extends RequestOptions {
  /** The socket's level as answered by `show cli level`; null when unknown (HAProxy then judges). */
  level: CliLevel | null;
  /** haptop's read-only mode: nothing that changes HAProxy is sent. */
  readOnly: boolean;
}

export interface ActionResult {
  action: ActionName;
  /** Every command sent, in order (empty when refused locally). */
  commands: string[];
  /** HAProxy's reply to the changing command(s) ("" = accepted); for a local refusal, "". */
  reply: string;
  ok: boolean;
  /** One line for the status bar. */
  message: string;
  durationMs: number;
  /** Set when nothing was sent because haptop refused the action itself. */
  refused?: LocalRefusal;
  /** For an action applied in several backends: one result per backend. */
  parts?: ActionResult[];
}

export type ServerState = "ready" | "drain" | "maint";
const SERVER_STATES: readonly ServerState[] = ["ready", "drain", "maint"];

/** A change applied to one server (or the same server name in several backends). */
export type ServerOp =
  | { kind: "state"; state: ServerState }
  | { kind: "weight"; weight: number | string }
  | { kind: "shutdown-sessions" };

const elapsed = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

function refusedResult(action: ActionName, refused: LocalRefusal, message: string, t0: number): ActionResult {
  return { action, commands: [], reply: "", ok: false, message, durationMs: elapsed(t0), refused };
}

/** Local checks before sending: read-only, level, names. Returns a refusal result or the built value. */
function prepare<T>(
  action: ActionName,
  opts: ActionOptions,
  t0: number,
  build: () => T,
): { refusal: ActionResult } | { value: T } {
  const denied = checkAllowed(action, opts.level, opts.readOnly);
  if (denied) return { refusal: refusedResult(action, denied.refusal, denied.message, t0) };
  try {
    return { value: build() };
  } catch (err) {
    if (err instanceof InvalidNameError)
      return { refusal: refusedResult(action, "invalid-input", err.message, t0) };
    throw err;
  }
}

/** HAProxy's reply as one line for a message. */
function firstLines(reply: string): string {
  return reply.trim().split("\n").slice(0, 3).join(" ").slice(0, 300);
}

/** A write command succeeded when HAProxy answered with the empty line alone. */
function accepted(reply: string): boolean {
  return reply.trim() === "";
}

function requestOpts(opts: ActionOptions): RequestOptions {
  return { timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes };
}

function tryParseStat(text: string | undefined): StatRow[] | null {
  if (!text?.startsWith("#")) return null;
  try {
    return parseStat(text);
  } catch {
    return null;
  }
}

const numOf = (row: StatRow, field: string): number =>
  typeof row[field] === "number" ? (row[field] as number) : 0;
const sum = (rows: StatRow[], field: string): number => rows.reduce((n, r) => n + numOf(r, field), 0);

/**
 * `clear counters` (max values, operator level) or `clear counters all` (every counter, admin).
 * Sent between two `show stat -1 3 -1` dumps in one request, so the message can say what changed:
 * for max values, smax back to ≤ scur while totals (stot) are kept; for all, totals back to ~0.
 */
export async function clearCounters(
  target: Target,
  opts: ActionOptions & { all?: boolean },
): Promise<ActionResult> {
  const t0 = performance.now();
  const action: ActionName = opts.all ? "clear-counters-all" : "clear-counters";
  const prep = prepare(action, opts, t0, () => (opts.all ? "clear counters all" : "clear counters"));
  if ("refusal" in prep) return prep.refusal;
  const cmd = prep.value;
  const stat = "show stat -1 3 -1";
  const commands = [stat, cmd, stat];
  const replies = await request(target, commands, requestOpts(opts));
  const reply = replies[1] ?? "";
  const base = { action, commands, reply, durationMs: elapsed(t0) };
  if (!accepted(reply)) return { ...base, ok: false, message: `${cmd}: ${firstLines(reply)}` };
  const before = tryParseStat(replies[0]);
  const after = tryParseStat(replies[2]);
  if (!before || !after)
    return { ...base, ok: true, message: `${cmd}: done (could not read show stat to verify)` };
  const proxies = after.filter((r) => statTypeOf(r) === 0 || statTypeOf(r) === 1);
  const totals = `stot ${sum(before, "stot")} → ${sum(after, "stot")}, req_tot ${sum(before, "req_tot")} → ${sum(after, "req_tot")}`;
  if (opts.all) {
    return { ...base, ok: true, message: `all counters cleared (${totals})` };
  }
  const stillHigh = proxies.filter((r) => numOf(r, "smax") > numOf(r, "scur"));
  const maxes =
    stillHigh.length === 0
      ? `smax ≤ scur on all ${proxies.length} proxies`
      : `smax ≤ scur on ${proxies.length - stillHigh.length} of ${proxies.length} proxies (new sessions meanwhile on ${stillHigh
          .slice(0, 3)
          .map((r) => r.pxname)
          .join(", ")})`;
  return { ...base, ok: true, message: `max values cleared: ${maxes}; totals kept (${totals})` };
}

/** The `status` of one server in a `show stat <be> 4 -1` dump, or null. */
function serverStatus(dump: string | undefined, srv: string): string | null {
  const rows = tryParseStat(dump);
  const row = rows?.find((r) => r.svname === srv && statTypeOf(r) === 2);
  return row ? String(row.status ?? "") : null;
}

/** `set server <be>/<srv> state ready|drain|maint`, then reads the server's status back. */
export async function setServerState(
  target: Target,
  backend: string,
  server: string,
  state: ServerState,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const prep = prepare("set-server-state", opts, t0, () => {
    if (!SERVER_STATES.includes(state))
      throw new InvalidNameError("server", String(state), "state must be ready, drain or maint");
    return serverRef(backend, server);
  });
  if ("refusal" in prep) return prep.refusal;
  const cmd = `set server ${prep.value} state ${state}`;
  const check = `show stat ${backend} 4 -1`;
  const commands = [cmd, check];
  const replies = await request(target, commands, requestOpts(opts));
  const reply = replies[0] ?? "";
  const base = { action: "set-server-state" as const, commands, reply, durationMs: elapsed(t0) };
  if (!accepted(reply)) return { ...base, ok: false, message: `${cmd}: ${firstLines(reply)}` };
  const status = serverStatus(replies[1], server);
  return {
    ...base,
    ok: true,
    message: `${prep.value} set to ${state}${status ? ` (status now ${status})` : ""}`,
  };
}

/**
 * `set weight <be>/<srv> <w>`: an absolute weight 0–256, `N%` of the initial weight, or `+N%`/`-N%`
 * of the current weight (computed from `get weight`, sent as an absolute weight). Reads the weight
 * back with `get weight`.
 */
export async function setWeight(
  target: Target,
  backend: string,
  server: string,
  weight: number | string,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const prep = prepare("set-weight", opts, t0, () => ({
    ref: serverRef(backend, server),
    spec: parseWeight(weight),
  }));
  if ("refusal" in prep) return prep.refusal;
  const { ref, spec } = prep.value;
  const get = `get weight ${ref}`;
  const commands: string[] = [];
  let absolute: Exclude<WeightSpec, { kind: "relative" }>;
  let before: string | null = null;
  if (spec.kind === "relative") {
    commands.push(get);
    const [out = ""] = await request(target, [get], requestOpts(opts));
    const w = parseGetWeight(out);
    if (!w) {
      return {
        action: "set-weight",
        commands,
        reply: out,
        ok: false,
        message: `${get}: ${firstLines(out) || "(empty reply)"}`,
        durationMs: elapsed(t0),
      };
    }
    before = String(w.current);
    absolute = { kind: "absolute", value: applyRelativeWeight(w.current, spec.percent) };
  } else absolute = spec;
  const set = `set weight ${ref} ${weightArg(absolute)}`;
  commands.push(set, get);
  const replies = await request(target, [set, get], requestOpts(opts));
  const reply = replies[0] ?? "";
  const base = { action: "set-weight" as const, commands, reply, durationMs: elapsed(t0) };
  if (!accepted(reply)) return { ...base, ok: false, message: `${set}: ${firstLines(reply)}` };
  const now = parseGetWeight(replies[1] ?? "");
  const shown = now ? `${now.current} (initial ${now.initial})` : weightArg(absolute);
  return { ...base, ok: true, message: `${ref} weight ${before !== null ? `${before} → ` : "now "}${shown}` };
}

/** `shutdown session <id>` (id as listed by `show sess`). */
export async function shutdownSession(
  target: Target,
  id: string,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const prep = prepare("shutdown-session", opts, t0, () => checkSessionId(id));
  if ("refusal" in prep) return prep.refusal;
  const cmd = `shutdown session ${prep.value}`;
  const [reply = ""] = await request(target, [cmd], requestOpts(opts));
  const ok = accepted(reply);
  return {
    action: "shutdown-session",
    commands: [cmd],
    reply,
    ok,
    message: ok ? `session ${prep.value} shut down` : `${cmd}: ${firstLines(reply)}`,
    durationMs: elapsed(t0),
  };
}

/** `shutdown sessions server <be>/<srv>`: closes every stream on that server. */
export async function shutdownSessionsServer(
  target: Target,
  backend: string,
  server: string,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const prep = prepare("shutdown-sessions-server", opts, t0, () => serverRef(backend, server));
  if ("refusal" in prep) return prep.refusal;
  const cmd = `shutdown sessions server ${prep.value}`;
  const [reply = ""] = await request(target, [cmd], requestOpts(opts));
  const ok = accepted(reply);
  return {
    action: "shutdown-sessions-server",
    commands: [cmd],
    reply,
    ok,
    message: ok ? `sessions on ${prep.value} shut down` : `${cmd}: ${firstLines(reply)}`,
    durationMs: elapsed(t0),
  };
}

/** The action name a ServerOp maps to. */
export function serverOpAction(op: ServerOp): ActionName {
  return op.kind === "state"
    ? "set-server-state"
    : op.kind === "weight"
      ? "set-weight"
      : "shutdown-sessions-server";
}

/** Applies one ServerOp to `<backend>/<server>`. */
export function applyServerOp(
  target: Target,
  backend: string,
  server: string,
  op: ServerOp,
  opts: ActionOptions,
): Promise<ActionResult> {
  switch (op.kind) {
    case "state":
      return setServerState(target, backend, server, op.state, opts);
    case "weight":
      return setWeight(target, backend, server, op.weight, opts);
    case "shutdown-sessions":
      return shutdownSessionsServer(target, backend, server, opts);
  }
}

/**
 * Applies the same ServerOp to the server named `server` in each of `backends` (the caller knows
 * which backends contain it), one backend after the other. Every name is checked before anything is
 * sent; ok only when every backend accepted. `parts` holds each backend's result.
 */
export async function applyServerOpEverywhere(
  target: Target,
  backends: readonly string[],
  server: string,
  op: ServerOp,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const action = serverOpAction(op);
  const prep = prepare(action, opts, t0, () => {
    if (backends.length === 0) throw new InvalidNameError("proxy", "", "no backend given");
    for (const be of backends) checkProxyName(be);
    checkServerName(server);
    if (op.kind === "weight") parseWeight(op.weight);
    if (op.kind === "state" && !SERVER_STATES.includes(op.state)) {
      throw new InvalidNameError("server", String(op.state), "state must be ready, drain or maint");
    }
    return true;
  });
  if ("refusal" in prep) return prep.refusal;
  const parts: ActionResult[] = [];
  for (const be of backends) parts.push(await applyServerOp(target, be, server, op, opts));
  const failed = parts.filter((p) => !p.ok);
  const what =
    op.kind === "state"
      ? `state ${op.state}`
      : op.kind === "weight"
        ? `weight ${op.weight}`
        : "shutdown sessions";
  return {
    action,
    commands: parts.flatMap((p) => p.commands),
    reply: parts.map((p) => p.reply).join(""),
    ok: failed.length === 0,
    message:
      failed.length === 0
        ? `${server}: ${what} applied in ${parts.length} backend${parts.length === 1 ? "" : "s"}`
        : `${server}: ${what} failed in ${failed.length} of ${parts.length} backends: ${failed
            .slice(0, 3)
            .map((p) => p.message)
            .join("; ")}`,
    durationMs: elapsed(t0),
    parts,
  };
}
