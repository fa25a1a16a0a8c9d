import { performance } from "node:perf_hooks";
import type { Target } from "../client/target.js";
import { buildInBackends, type CommandSpec, type ServerState } from "./commands.js";
import type { ActionName } from "./level.js";
import { parseWeight } from "./names.js";
import { type ActionOptions, type ActionResult, elapsed, prepare, runBuiltAll } from "./runBuilt.js";
import { buildWithIds, setServerState, setWeight, shutdownSessionsServer } from "./serverActions.js";

// The runtime actions, in three modules: running built commands (runBuilt.ts), one action each
// (serverActions.ts), and the server changes applied here or in every backend (this file). Callers
// import all of them from here.
export type { ServerState } from "./commands.js";
export { type ActionOptions, type ActionResult, runBuilt, runBuiltAll } from "./runBuilt.js";
export {
  clearCounters,
  setServerState,
  setWeight,
  shutdownSession,
  shutdownSessionsServer,
} from "./serverActions.js";

/** A change applied to one server (or the same server name in several backends). */
export type ServerOp =
  | { kind: "state"; state: ServerState }
  | { kind: "weight"; weight: number | string }
  | { kind: "shutdown-sessions" };

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
