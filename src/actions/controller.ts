import { formatError } from "../client/errors.js";
import { request, runCommand } from "../client/socket.js";
import type { Target } from "../client/target.js";
import { backendIdOf } from "../model/snapshot.js";
import { parseSess } from "../parse/sess.js";
import type { Poller } from "../store/poller.js";
import { type BuiltCommand, buildCommand, buildInBackends, type ServerState } from "./commands.js";
import { reloadNonBlocking } from "./controllerReload.js";
import { applyRelativeWeight, InvalidNameError, parseGetWeight, parseWeight, serverRef } from "./names.js";
import type {
  ActionController,
  ActionOutcome,
  ActionPlan,
  Planned,
  PlannedActionId,
  Selection,
} from "./plan.js";
import { ACTION_REQUIREMENTS, mayRun } from "./policy.js";
import { planReload, type ReloadMode } from "./reload.js";
import { type ActionOptions, type ActionResult, runBuilt, runBuiltAll } from "./runtime.js";
import {
  parseServersState,
  removalWarnings,
  runtimeChanges,
  runtimeChangesFromSnapshot,
  serverSessions,
} from "./safety.js";

type Planner = (sel: Selection) => Promise<Planned>;

/** What the controller needs of the CLI's options (the CLI's own type stays in main.ts). */
export interface ControllerSettings {
  /** Socket timeout, seconds. */
  timeout: number;
  readOnly?: boolean;
  masterSocket?: string;
  config?: string[];
  pidfile?: string;
  haproxy?: string;
  reloadCmd?: string;
}

/**
 * Turns the TUI's action keys into confirmed plans. Every plan is built from one BuiltCommand
 * (commands.ts): the dialog shows its `commands`, `run` sends exactly them. Actions that would
 * leave a backend with no server taking traffic ask twice. Outcomes go to the timeline.
 */
export function createController(target: Target, opts: ControllerSettings, poller: Poller): ActionController {
  const readOnly = opts.readOnly === true;
  /** Old processes being followed after a reload: stopped when the TUI quits. */
  const watches = new Set<{ stop(): void }>();
  const timeoutMs = opts.timeout * 1000;
  const state = () => poller.store.getSnapshot();
  const actionOpts = (): ActionOptions => ({ level: state().level, readOnly, timeoutMs });

  /** Runs an action, records it in the timeline, and words the outcome. */
  const record = async (work: () => Promise<ActionResult>): Promise<ActionOutcome> => {
    const r = await work();
    poller.addEvent({
      at: Date.now(),
      kind: "action",
      text: r.message,
      command: r.commands.join("; "),
      reply: r.reply.trim(),
      ok: r.ok,
      durationMs: r.durationMs,
    });
    return { ok: r.ok, message: r.message };
  };

  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

  /**
   * A server change, here or (with `a`) in every backend with a server of that name. `removes`:
   * the change stops the server taking traffic (maint, drain, weight 0): count what is left.
   */
  const serverPlan = (
    sel: Selection,
    title: string,
    make: (backend: string) => Parameters<typeof buildCommand>[0],
    removes: boolean,
    notes: string[] = [],
  ): ActionPlan => {
    const backends = sel.sameNameBackends?.length ? sel.sameNameBackends : [sel.backend!];
    const build = (all: boolean): ActionPlan => {
      const targets = all ? backends : [sel.backend!];
      const built = buildInBackends(targets, sel.server!, make);
      const safety = removes ? removalWarnings(state().snapshot, targets, sel.server!) : null;
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
        run: () => record(() => runAll(built, sel.server!)),
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

  const currentWeight = async (sel: Selection) => {
    const out = await runCommand(target, `get weight ${serverRef(sel.backend, sel.server)}`, { timeoutMs });
    const w = parseGetWeight(out);
    if (!w) throw new Error(`get weight answered: ${out.trim()}`);
    return w;
  };

  /** The plan for a new absolute weight, showing old → new; 0 is offered as what it is: a drain. */
  const weightTo = (sel: Selection, current: number, next: number | string): ActionPlan => {
    const zero = next === 0 || next === "0" || next === "0%";
    return serverPlan(
      sel,
      `Weight of ${sel.backend}/${sel.server}: ${current} → ${next}`,
      (be) => ({ kind: "set-weight", backend: be, server: sel.server!, weight: next }),
      zero,
      zero ? ["weight 0 drains the server: it takes no new sessions (like D)"] : [],
    );
  };

  const needsServer = (sel: Selection) => {
    if (!sel.backend || !sel.server) throw new InvalidNameError("server", "", "select a server first");
  };

  const statePlan =
    (s: ServerState): Planner =>
    async (sel) => {
      needsServer(sel);
      return serverPlan(
        sel,
        `Set ${sel.backend}/${sel.server} to ${s}`,
        (be) => ({
          kind: "set-server-state",
          backend: be,
          backendId: backendIdOf(state().snapshot, be),
          server: sel.server!,
          state: s,
        }),
        s !== "ready",
      );
    };

  const relativeWeight =
    (percent: number): Planner =>
    async (sel) => {
      needsServer(sel);
      const w = await currentWeight(sel);
      const next = applyRelativeWeight(w.current, percent);
      if (percent < 0 && next < 1) {
        return {
          error: `weight is ${w.current}: lower would be 0, which drains the server; drain it with D (or w, 0)`,
        };
      }
      return weightTo(sel, w.current, next);
    };

  const simple = (title: string, built: BuiltCommand, tone: ActionPlan["tone"], notes: string[] = []) => ({
    title,
    notes,
    commands: built.commands,
    tone,
    run: () => record(() => runBuilt(target, built, actionOpts())),
  });

  const planners: Record<PlannedActionId, Planner> = {
    "clear-max": async () =>
      simple("Clear max counters", buildCommand({ kind: "clear-counters", all: false }), "accent", [
        "resets max values (smax, qmax…); totals are kept",
      ]),
    "clear-all": async () => ({
      ...simple("Clear ALL counters", buildCommand({ kind: "clear-counters", all: true }), "bad"),
      secondConfirm:
        "This resets every total (sessions, bytes, HTTP codes, errors): rates in other monitoring tools will jump.",
    }),
    reload: () => reloadPlan(),
    maint: statePlan("maint"),
    drain: statePlan("drain"),
    ready: statePlan("ready"),
    weight: async (sel) => {
      needsServer(sel);
      const w = await currentWeight(sel);
      return {
        title: `Weight of ${sel.backend}/${sel.server}`,
        label: "new weight (0-256, or N% of the initial weight)",
        current: `${w.current} (initial ${w.initial})`,
        submit: async (value) => {
          const v = value.trim();
          if (v === "") return { error: "type a weight, or Esc to cancel" };
          try {
            const spec = parseWeight(v);
            if (spec.kind === "relative") return { error: "give 0-256 or N% of the initial weight" };
            return weightTo(sel, w.current, spec.kind === "absolute" ? spec.value : v);
          } catch (e) {
            return { error: formatError(e) };
          }
        },
      };
    },
    "weight-up": relativeWeight(10),
    "weight-down": relativeWeight(-10),
    "kill-session": async (sel) => {
      if (!sel.sessionId) return { error: "select a session first" };
      const built = buildCommand({ kind: "shutdown-session", id: sel.sessionId });
      const sid = built.commands[0]!.split(" ").at(-1)!;
      return {
        ...simple(`Kill session from ${sel.sessionSrc ?? "?"}`, built, "warn", ["kills 1 session"]),
        run: async () => {
          // HAProxy reuses a freed stream's address: only kill the id if it is still that session.
          if (!(await sessionStillThere(sid, sel.sessionSrc)))
            return {
              ok: false,
              message: `session ${sid} from ${sel.sessionSrc ?? "?"} has ended; nothing sent`,
            };
          return record(() => runBuilt(target, built, actionOpts()));
        },
      };
    },
    "kill-server-sessions": async (sel) => {
      if (!sel.backend || !sel.server) return { error: "this session has no server to act on" };
      const built = buildCommand({
        kind: "shutdown-sessions-server",
        backend: sel.backend,
        server: sel.server,
      });
      return simple(`Kill every session of ${sel.backend}/${sel.server}`, built, "bad", [
        killCount(sel.backend, sel.server),
      ]);
    },
  };

  /** How many sessions `K` kills, from the last `show sess` (the sessions view is open) or scur. */
  const killCount = (backend: string, server: string): string => {
    const listed = state().sessions?.filter((s) => s.be === backend && s.srv === server && !s.isCli).length;
    const scur = serverSessions(state().snapshot, backend, server);
    const n = listed ?? scur;
    if (n === null || n === undefined) return "kills every session of this server (count unknown)";
    return `kills ${plural(n, "session")} on ${backend}/${server} (at the last poll; new ones may arrive)`;
  };

  const sessionStillThere = async (id: string, src: string | undefined) => {
    const out = await runCommand(target, "show sess", { timeoutMs });
    return parseSess(out).some((s) => s.id === id && (src === undefined || s.src === src));
  };

  /** Runtime changes a reload loses: `show servers state` (CLI-forced maint/drain, weights). */
  const lostOnReload = async (): Promise<string[]> => {
    try {
      const [out = ""] = await request(target, ["show servers state"], { timeoutMs });
      const states = parseServersState(out);
      if (states.length > 0 || out.trim().startsWith("1")) return runtimeChanges(states);
    } catch {
      /* fall back to the snapshot */
    }
    return runtimeChangesFromSnapshot(state().snapshot);
  };

  const reloadPlan = async (): Promise<Planned> => {
    const base = {
      target,
      masterSocket: opts.masterSocket,
      configFiles: opts.config,
      pidfile: opts.pidfile,
      haproxyBin: opts.haproxy,
      reloadCmd: opts.reloadCmd,
      mode: (opts.reloadCmd ? "command" : undefined) as ReloadMode | undefined,
      readOnly,
      socketTimeoutMs: timeoutMs,
    };
    const [plan, lost] = await Promise.all([planReload(base), lostOnReload()]);
    const lostNotes = lost.length
      ? [
          `runtime changes LOST by the reload (${lost.length}; the configuration's values come back):`,
          ...lost.slice(0, 12).map((l) => `  ${l}`),
          ...(lost.length > 12 ? [`  … and ${lost.length - 12} more`] : []),
        ]
      : [];
    return {
      title: `Reload HAProxy (${plan.mode})`,
      notes: [...plan.warnings.map((w) => `warning: ${w}`), ...lostNotes],
      commands: plan.commandLines,
      tone: plan.warnings.length || lost.length ? "warn" : "accent",
      run: (progress) =>
        reloadNonBlocking(
          { ...base, plan },
          progress,
          (e) => {
            poller.addEvent(e);
            poller.refreshNow();
          },
          watches,
        ),
    };
  };

  const policyCtx = () => ({
    level: state().level,
    readOnly,
    reloadUnavailable: readOnly ? "read-only mode" : null,
  });

  return {
    reloadUnavailable: readOnly ? "read-only mode" : null,
    dispose: () => {
      for (const w of watches) w.stop();
    },
    plan: async (id, sel) => {
      // The same policy as the keymap: nothing is planned (or asked of HAProxy) when refused.
      // (The socket level is checked by the runtime before sending, with the same policy.)
      const req = id === "reload" ? ACTION_REQUIREMENTS.reload : { mutating: true };
      const denied = mayRun(req, policyCtx());
      if (denied) return { error: denied.message };
      try {
        return await planners[id](sel);
      } catch (e) {
        if (e instanceof InvalidNameError) return { error: e.message };
        return { error: formatError(e) };
      }
    },
  };
}
