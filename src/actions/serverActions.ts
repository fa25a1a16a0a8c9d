import { performance } from "node:perf_hooks";
import { request } from "../client/socket.js";
import type { Target } from "../client/target.js";
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
import { applyRelativeWeight, parseGetWeight, parseWeight, serverRef } from "./names.js";
import {
  type ActionOptions,
  type ActionResult,
  elapsed,
  firstLines,
  prepare,
  requestOpts,
  runBuilt,
} from "./runBuilt.js";

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
export async function buildWithIds(
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
