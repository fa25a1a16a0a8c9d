import { runCommand } from "../client/socket.js";
import type { Target } from "../client/target.js";
import { backendIdOf } from "../model/snapshot.js";
import type { MonitorState } from "../store/state.js";
import { plural } from "../text/format.js";
import { type BuiltCommand, type buildCommand, buildInBackends, type ServerState } from "./commands.js";
import { applyRelativeWeight, InvalidNameError, parseGetWeight, serverRef } from "./names.js";
import type { ActionOutcome, ActionPlan, Planned, Selection, ServerSelection } from "./plan.js";
import { type ActionOptions, type ActionResult, runBuilt, runBuiltAll } from "./runtime.js";
import { removalWarnings, serverSessions } from "./safety.js";

export type Planner = (sel: Selection) => Promise<Planned>;

/** What the server plans need of the controller. */
export interface ServerPlanContext {
  target: Target;
  timeoutMs: number;
  state: () => MonitorState;
  actionOpts: () => ActionOptions;
  /** Runs an action, records it in the timeline, and words the outcome. */
  record: (work: () => Promise<ActionResult>) => Promise<ActionOutcome>;
}

/** A plan that sends exactly `built`'s lines to the context's target and records the outcome. */
export function builtPlan(
  ctx: Pick<ServerPlanContext, "target" | "actionOpts" | "record">,
  title: string,
  built: BuiltCommand,
  tone: ActionPlan["tone"],
  notes: string[] = [],
): ActionPlan {
  return {
    title,
    notes,
    commands: built.commands,
    tone,
    run: () => ctx.record(() => runBuilt(ctx.target, built, ctx.actionOpts())),
  };
}

/** The plans that change one server (state, weight), here or in every backend with that server name. */
export function serverPlanners(ctx: ServerPlanContext) {
  const { target, timeoutMs, state, actionOpts, record } = ctx;

  /**
   * A server change, here or (with `a`) in every backend with a server of that name. `removes`:
   * the change stops the server taking traffic (maint, drain, weight 0): count what is left.
   */
  const serverPlan = (
    sel: ServerSelection,
    title: string,
    make: (backend: string) => Parameters<typeof buildCommand>[0],
    removes: boolean,
    notes: string[] = [],
  ): ActionPlan => {
    const backends = sel.sameNameBackends.length ? sel.sameNameBackends : [sel.backend];
    const build = (all: boolean): ActionPlan => {
      const targets = all ? backends : [sel.backend];
      const built = buildInBackends(targets, sel.server, make);
      const safety = removes ? removalWarnings(state().snapshot, targets, sel.server) : null;
      const outage = safety?.outage ?? [];
      return {
        title: all ? `${title} in ${targets.length} backends` : title,
        notes: [...notes, ...(safety?.warnings ?? [])],
        commands: built.flatMap((b) => b.commands),
        tone: outage.length ? "bad" : removes ? "warn" : "accent",
        secondConfirm: outage.length
          ? `This leaves ${outage.join(", ")} with NO server able to take traffic (at the last poll). ` +
            `Clients of ${outage.length > 1 ? "these backends" : "this backend"} get errors until a server is back. ` +
            "Confirm again to do it anyway."
          : undefined,
        allBackends:
          backends.length > 1
            ? { enabled: all, count: backends.length, toggle: () => build(!all) }
            : undefined,
        run: () => record(() => runAll(built, sel.server)),
      };
    };
    return build(false);
  };

  const runAll = (built: BuiltCommand[], server: string) => {
    const what = (built[0]?.commands[0] ?? "").replace(/^set (server|weight) \S+ /, "$1 ");
    return runBuiltAll(target, built, actionOpts(), (failed, total) =>
      failed === 0
        ? `${server}: ${what.replace(/^server /, "")} applied in ${plural(total, "backend")}`
        : `${server}: ${what.replace(/^server /, "")} failed in ${failed} of ${total} backends`,
    );
  };

  const currentWeight = async (sel: ServerSelection) => {
    const out = await runCommand(target, `get weight ${serverRef(sel.backend, sel.server)}`, { timeoutMs });
    const w = parseGetWeight(out);
    if (!w) throw new Error(`get weight answered: ${out.trim()}`);
    return w;
  };

  /** The plan for a new absolute weight, showing old → new; 0 is offered as what it is: a drain. */
  const weightTo = (sel: ServerSelection, current: number, next: number | string): ActionPlan => {
    const zero = next === 0 || next === "0" || next === "0%";
    return serverPlan(
      sel,
      `Weight of ${sel.backend}/${sel.server}: ${current} → ${next}`,
      (be) => ({ kind: "set-weight", backend: be, server: sel.server, weight: next }),
      zero,
      zero ? ["weight 0 drains the server: it takes no new sessions (like D)"] : [],
    );
  };

  /** The selected server; a plan on any other row is refused with a message. */
  const needsServer = (sel: Selection): ServerSelection => {
    if (sel.kind !== "server") throw new InvalidNameError("server", "", "select a server first");
    return sel;
  };

  const statePlan =
    (s: ServerState): Planner =>
    async (selected) => {
      const sel = needsServer(selected);
      return serverPlan(
        sel,
        `Set ${sel.backend}/${sel.server} to ${s}`,
        (be) => ({
          kind: "set-server-state",
          backend: be,
          backendId: backendIdOf(state().snapshot, be),
          server: sel.server,
          state: s,
        }),
        s !== "ready",
      );
    };

  const relativeWeight =
    (percent: number): Planner =>
    async (selected) => {
      const sel = needsServer(selected);
      const w = await currentWeight(sel);
      const next = applyRelativeWeight(w.current, percent);
      if (percent < 0 && next < 1) {
        return {
          error: `weight is ${w.current}: lower would be 0, which drains the server; drain it with D (or w, 0)`,
        };
      }
      return weightTo(sel, w.current, next);
    };

  /** How many sessions `K` kills, from the last `show sess` (the sessions view is open) or scur. */
  const killCount = (backend: string, server: string): string => {
    const listed = state().sessions?.filter((s) => s.be === backend && s.srv === server && !s.isCli).length;
    const scur = serverSessions(state().snapshot, backend, server);
    const n = listed ?? scur;
    if (n === null || n === undefined) return "kills every session of this server (count unknown)";
    return `kills ${plural(n, "session")} on ${backend}/${server} (at the last poll; new ones may arrive)`;
  };

  return { statePlan, relativeWeight, weightTo, currentWeight, needsServer, killCount };
}
