import { performance } from "node:perf_hooks";
import { type RequestOptions, request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import type { CliLevel } from "../parse/level.js";
import { parseStat, statTypeOf } from "../parse/stat.js";
import { isProxyId } from "../store/poll.js";
import {
  type BuiltCommand,
  buildCommand,
  buildInBackends,
  type CommandSpec,
  type ServerState,
} from "./commands.js";
import type { ActionName } from "./level.js";
import { applyRelativeWeight, InvalidNameError, parseGetWeight, parseWeight, serverRef } from "./names.js";
import { acceptedMessage } from "./outcome.js";
import { checkAllowed, type LocalRefusal } from "./policy.js";

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

export type { ServerState } from "./commands.js";

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

/** Sends `before`, `commands` and `verify` in one request: exactly the built lines, nothing else. */
async function send(target: Target, built: BuiltCommand, opts: ActionOptions) {
  const lines = [...built.before, ...built.commands, ...built.verify];
  const replies = await request(target, lines, requestOpts(opts));
  const b = built.before.length;
  const c = built.commands.length;
  return {
    lines,
    before: replies.slice(0, b),
    replies: replies.slice(b, b + c),
    verify: replies.slice(b + c),
  };
}

/**
 * Runs one built action after the local checks (read-only, level): sends exactly its lines and
 * words the outcome. A refused command (any reply but the empty line) is not ok.
 */
export async function runBuilt(
  target: Target,
  built: BuiltCommand,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const denied = checkAllowed(built.action, opts.level, opts.readOnly);
  if (denied) return refusedResult(built.action, denied.refusal, denied.message, t0);
  const out = await send(target, built, opts);
  const reply = out.replies.join("");
  const base = { action: built.action, commands: out.lines, reply, durationMs: elapsed(t0) };
  const refused = out.replies.findIndex((r) => !accepted(r));
  if (refused >= 0 || out.replies.length < built.commands.length) {
    const r = out.replies[refused] ?? "";
    return {
      ...base,
      ok: false,
      message: `${built.commands[Math.max(0, refused)]}: ${firstLines(r) || "(no reply)"}`,
    };
  }
  return { ...base, ok: true, message: acceptedMessage(built, out.before, out.verify) };
}

/** Runs several built actions one after the other (the same change in several backends). */
export async function runBuiltAll(
  target: Target,
  builts: readonly BuiltCommand[],
  opts: ActionOptions,
  summary: (failed: number, total: number) => string,
): Promise<ActionResult> {
  const t0 = performance.now();
  const first = builts[0];
  if (!first) return refusedResult("set-server-state", "invalid-input", "nothing to run", t0);
  if (builts.length === 1) return runBuilt(target, first, opts);
  const denied = checkAllowed(first.action, opts.level, opts.readOnly);
  if (denied) return refusedResult(first.action, denied.refusal, denied.message, t0);
  const parts: ActionResult[] = [];
  for (const b of builts) parts.push(await runBuilt(target, b, opts));
  const failed = parts.filter((p) => !p.ok);
  return {
    action: first.action,
    commands: parts.flatMap((p) => p.commands),
    reply: parts.map((p) => p.reply).join(""),
    ok: failed.length === 0,
    message:
      summary(failed.length, parts.length) +
      (failed.length
        ? `: ${failed
            .slice(0, 3)
            .map((p) => p.message)
            .join("; ")}`
        : ""),
    durationMs: elapsed(t0),
    parts,
  };
}

/** Builds from typed arguments, turning a bad name into a local refusal (nothing sent). */
function buildOrRefuse(action: ActionName, opts: ActionOptions, t0: number, make: () => BuiltCommand[]) {
  return prepare(action, opts, t0, make);
}

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
  const prep = buildOrRefuse(action, opts, t0, () => [
    buildCommand({ kind: "clear-counters", all: !!opts.all }),
  ]);
  if ("refusal" in prep) return prep.refusal;
  return runBuilt(target, prep.value[0]!, opts);
}

/**
 * Builds one command per backend with the backend's numeric id, read first from HAProxy with
 * `show stat -1 2 -1` (backends only, so a frontend of the same name is not taken for it): the CLI
 * has no snapshot to take ids from, and the result is read back by id (commands.ts). This read-only
 * lookup goes on its own connection and is not listed in the result's commands.
 */
async function buildWithIds(
  target: Target,
  backends: readonly string[],
  server: string,
  opts: ActionOptions,
  make: (backend: string, backendId: number | null) => CommandSpec,
): Promise<BuiltCommand[]> {
  const [dump = ""] = await request(target, ["show stat -1 2 -1"], requestOpts(opts));
  const ids = new Map<string, number>();
  try {
    for (const r of parseStat(dump))
      if (statTypeOf(r) === 1 && isProxyId(r.iid)) ids.set(String(r.pxname), r.iid);
  } catch {
    // Unreadable: no ids, so nothing is read back; the change itself is still sent.
  }
  return buildInBackends(backends, server, (be) => make(be, ids.get(be) ?? null));
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
  const spec = (be: string, backendId: number | null) =>
    ({ kind: "set-server-state", backend: be, backendId, server, state }) as const;
  const prep = buildOrRefuse("set-server-state", opts, t0, () => [buildCommand(spec(backend, null))]);
  if ("refusal" in prep) return prep.refusal;
  const [built] = await buildWithIds(target, [backend], server, opts, spec);
  return runBuilt(target, built!, opts);
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
  if (spec.kind !== "relative") {
    return runBuilt(target, buildCommand({ kind: "set-weight", backend, server, weight }), opts);
  }
  const get = `get weight ${ref}`;
  const [out = ""] = await request(target, [get], requestOpts(opts));
  const w = parseGetWeight(out);
  if (!w) {
    const message = `${get}: ${firstLines(out) || "(empty reply)"}`;
    return { action: "set-weight", commands: [get], reply: out, ok: false, message, durationMs: elapsed(t0) };
  }
  const next = applyRelativeWeight(w.current, spec.percent);
  const r = await runBuilt(target, buildCommand({ kind: "set-weight", backend, server, weight: next }), opts);
  const message = r.ok ? r.message.replace(" weight now ", ` weight ${w.current} → `) : r.message;
  return { ...r, commands: [get, ...r.commands], message, durationMs: elapsed(t0) };
}

/** `shutdown session <id>` (id as listed by `show sess`). */
export async function shutdownSession(
  target: Target,
  id: string,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const prep = buildOrRefuse("shutdown-session", opts, t0, () => [
    buildCommand({ kind: "shutdown-session", id }),
  ]);
  if ("refusal" in prep) return prep.refusal;
  return runBuilt(target, prep.value[0]!, opts);
}

/** `shutdown sessions server <be>/<srv>`: closes every stream on that server. */
export async function shutdownSessionsServer(
  target: Target,
  backend: string,
  server: string,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const prep = buildOrRefuse("shutdown-sessions-server", opts, t0, () => [
    buildCommand({ kind: "shutdown-sessions-server", backend, server }),
  ]);
  if ("refusal" in prep) return prep.refusal;
  return runBuilt(target, prep.value[0]!, opts);
}

/** The action name a ServerOp maps to. */
export function serverOpAction(op: ServerOp): ActionName {
  return op.kind === "state"
    ? "set-server-state"
    : op.kind === "weight"
      ? "set-weight"
      : "shutdown-sessions-server";
}

/** The command spec of one ServerOp on `<backend>/<server>` (`backendId`: see CommandSpec). */
export function serverOpSpec(
  backend: string,
  server: string,
  op: ServerOp,
  backendId: number | null = null,
): CommandSpec {
  switch (op.kind) {
    case "state":
      return { kind: "set-server-state", backend, backendId, server, state: op.state };
    case "weight":
      return { kind: "set-weight", backend, server, weight: op.weight };
    case "shutdown-sessions":
      return { kind: "shutdown-sessions-server", backend, server };
  }
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

/** How a ServerOp reads in a message. */
export function serverOpText(op: ServerOp): string {
  return op.kind === "state"
    ? `state ${op.state}`
    : op.kind === "weight"
      ? `weight ${op.weight}`
      : "shutdown sessions";
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
    if (op.kind === "weight" && parseWeight(op.weight).kind === "relative") return null;
    return buildInBackends(backends, server, (be) => serverOpSpec(be, server, op));
  });
  if ("refusal" in prep) return prep.refusal;
  const what = serverOpText(op);
  const summary = (failed: number, total: number) =>
    failed === 0
      ? `${server}: ${what} applied in ${total} backend${total === 1 ? "" : "s"}`
      : `${server}: ${what} failed in ${failed} of ${total} backends`;
  if (prep.value === null) {
    // A relative weight is read per backend (each server has its own current weight).
    const parts: ActionResult[] = [];
    for (const be of backends) parts.push(await applyServerOp(target, be, server, op, opts));
    const failed = parts.filter((p) => !p.ok);
    return {
      action,
      commands: parts.flatMap((p) => p.commands),
      reply: parts.map((p) => p.reply).join(""),
      ok: failed.length === 0,
      message: summary(failed.length, parts.length),
      durationMs: elapsed(t0),
      parts,
    };
  }
  const built =
    op.kind === "state"
      ? await buildWithIds(target, backends, server, opts, (be, id) => serverOpSpec(be, server, op, id))
      : prep.value;
  const r = await runBuiltAll(target, built, opts, summary);
  if (built.length === 1 && r.parts === undefined) {
    return { ...r, message: r.ok ? summary(0, 1) : r.message, parts: [r] };
  }
  return r;
}
