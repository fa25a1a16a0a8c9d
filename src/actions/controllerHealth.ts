import { formatError } from "../client/errors.js";
import { checkReply, request } from "../client/socket.js";
import { backendIdOf, num } from "../model/snapshot.js";
import { parseServersState, type ServerStateRow } from "../parse/servers-state.js";
import { builtPlan, type Planner, type ServerPlanContext } from "./controllerServer.js";
import {
  buildHealthCommand,
  type CheckState,
  checkStates,
  type HealthSpec,
  parseMaxconn,
} from "./healthCommands.js";
import { checkProxyName, InvalidNameError } from "./names.js";
import type { ActionPlan, Selection, ServerSelection } from "./plan.js";

/** A reload puts back the configuration's value of these, unless a server-state-file carries them. */
const RELOAD_NOTE = "a reload restores the configuration's setting (unless server-state-file keeps it)";

/**
 * The server health controls' plans: `H` toggles health checks, `A` agent checks (each reads the
 * server's current state first, from a fresh `show servers state <backend>`), `m` asks for a maxconn.
 */
export function healthPlanners(ctx: ServerPlanContext) {
  const { target, timeoutMs, state } = ctx;

  const needsServer = (sel: Selection): ServerSelection => {
    if (sel.kind !== "server") throw new InvalidNameError("server", "", "select a server first");
    return sel;
  };

  const snapshotServer = (sel: ServerSelection) =>
    state()
      .snapshot?.backends.find((b) => b.name === sel.backend)
      ?.servers.find((s) => s.name === sel.server);

  /** The server's `show servers state` line read now; the snapshot's (last full poll) when that fails. */
  const serverStateRow = async (sel: ServerSelection): Promise<ServerStateRow | undefined> => {
    try {
      const cmd = `show servers state ${checkProxyName(sel.backend)}`;
      const [out = ""] = await request(target, [cmd], { timeoutMs });
      const row = parseServersState(checkReply(cmd, out)).rows.find((r) => r.srv_name === sel.server);
      if (row) return row;
    } catch (e) {
      if (e instanceof InvalidNameError) throw e;
    }
    return snapshotServer(sel)?.serverState;
  };

  const plan = (title: string, spec: HealthSpec, tone: ActionPlan["tone"], notes: string[]): ActionPlan =>
    builtPlan(ctx, title, buildHealthCommand(spec), tone, notes);

  const toggle =
    (which: "health" | "agent"): Planner =>
    async (selected) => {
      const sel = needsServer(selected);
      const ref = `${sel.backend}/${sel.server}`;
      const row = await serverStateRow(sel);
      const current: CheckState = checkStates(row, snapshotServer(sel)?.stats)[which];
      const what = which === "health" ? "health checks" : "agent checks";
      if (current === "not-configured")
        return {
          error:
            which === "health"
              ? `${ref} has no health check configured (no "check" on its server line): nothing to toggle`
              : `${ref} has no agent check configured (no "agent-check"): nothing to toggle`,
        };
      if (current === "unknown")
        return { error: `cannot tell whether ${ref} runs ${what} (show servers state unreadable)` };
      const enable = current === "disabled";
      const kind = which === "health" ? "set-health-check" : "set-agent-check";
      const spec: HealthSpec = { kind, backend: sel.backend, server: sel.server, enable };
      if (enable)
        return plan(`Enable ${what} of ${ref}`, spec, "accent", [
          `${what} are disabled now; HAProxy starts checking ${ref} again`,
          which === "health"
            ? "a failing server goes DOWN after its fall count of failed checks"
            : "the agent may change the server's weight or state again",
        ]);
      return plan(`Disable ${what} of ${ref}`, spec, "warn", [
        `${what} are enabled now; HAProxy stops them: ${ref} keeps its current state`,
        which === "health"
          ? "an UP server stays UP even if it fails (no automatic failover); a DOWN one stays DOWN"
          : "the agent stops changing the server's weight or state",
        RELOAD_NOTE,
      ]);
    };

  const maxconn: Planner = async (selected) => {
    const sel = needsServer(selected);
    const ref = `${sel.backend}/${sel.server}`;
    const stats = snapshotServer(sel)?.stats;
    const slim = stats ? num(stats, "slim") : null;
    const scur = stats ? num(stats, "scur") : null;
    const shown = slim === null ? "no limit" : String(slim);
    return {
      title: `Maxconn of ${ref}`,
      label: "new maxconn (0 = no limit)",
      current: `${shown}${scur !== null ? `, ${scur} sessions now` : ""}`,
      submit: async (value) => {
        const v = value.trim();
        if (v === "") return { error: "type a maxconn, or Esc to cancel" };
        try {
          const n = parseMaxconn(v);
          const notes = [
            n === 0 ? "0 removes the limit: the server takes every session sent to it" : "",
            n > 0 && scur !== null && scur > n
              ? `${scur} sessions now, above ${n}: new ones queue until enough end (nothing is cut)`
              : "",
            n > 0 && scur !== null && scur <= n ? "sessions above the limit wait in the queue" : "",
            RELOAD_NOTE.replace(
              " (unless server-state-file keeps it)",
              " (server-state-file does not keep maxconn)",
            ),
          ].filter((l) => l !== "");
          const spec: HealthSpec = {
            kind: "set-maxconn-server",
            backend: sel.backend,
            backendId: backendIdOf(state().snapshot, sel.backend),
            server: sel.server,
            maxconn: n,
          };
          return plan(`Maxconn of ${ref}: ${shown} → ${n === 0 ? "no limit" : n}`, spec, "accent", notes);
        } catch (e) {
          return { error: formatError(e) };
        }
      },
    };
  };

  return { "health-toggle": toggle("health"), "agent-toggle": toggle("agent"), maxconn };
}
