import { formatError } from "../client/errors.js";
import { request, runCommand } from "../client/socket.js";
import { describeTarget, type Target, type WorkerTarget } from "../client/target.js";
import { parseSess } from "../parse/sess.js";
import type { Poller } from "../store/poller.js";
import { type BuiltCommand, buildCommand } from "./commands.js";
import { healthPlanners } from "./controllerHealth.js";
import { mapPlanners } from "./controllerMaps.js";
import { reloadNonBlocking } from "./controllerReload.js";
import { builtPlan, type Planner, serverPlanners } from "./controllerServer.js";
import { tablePlanners } from "./controllerTables.js";
import { InvalidNameError, parseWeight } from "./names.js";
import type {
  ActionController,
  ActionOutcome,
  ActionPlan,
  Planned,
  PlannedActionId,
  ValuePrompt,
} from "./plan.js";
import { ACTION_REQUIREMENTS, mayRun } from "./policy.js";
import { planReload, type ReloadMode, sshReloadUnavailable } from "./reload.js";
import { type ActionOptions, type ActionResult, runBuilt } from "./runtime.js";
import { parseServersState, runtimeChanges, runtimeChangesFromSnapshot } from "./safety.js";

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
export function createController(
  home: Target,
  opts: ControllerSettings,
  poller: Poller,
  current: () => Target = () => home,
): ActionController {
  const readOnly = opts.readOnly === true;
  // Over SSH only the forwarded master CLI reloads: without a usable --master-socket, say what to pass.
  const remoteReload = sshReloadUnavailable(home, {
    masterSocket: opts.masterSocket,
    reloadCmd: opts.reloadCmd,
  });
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

  /**
   * The plans, for the process the UI shows (`current()`): the command line's target, or the worker
   * watched through the master CLI (view 9) — an old worker draining has its own sessions to kill.
   * Taken when the plan is made, so the dialog's confirmation runs where it said. Reload is the
   * master's business: always the command line's target.
   */
  const plannersFor = (target: Target): Record<PlannedActionId, Planner> => {
    const simple = (title: string, built: BuiltCommand, tone: ActionPlan["tone"], notes: string[] = []) =>
      builtPlan({ target, actionOpts, record }, title, built, tone, notes);

    const { statePlan, relativeWeight, weightTo, currentWeight, needsServer, killCount } = serverPlanners({
      target,
      timeoutMs,
      state,
      actionOpts,
      record,
    });

    const maps = mapPlanners({ target, actionOpts, record });

    const health = healthPlanners({ target, timeoutMs, state, actionOpts, record });

    const tables = tablePlanners({ target, timeoutMs, actionOpts, record });

    const planners: Record<PlannedActionId, Planner> = {
      ...health,
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
      weight: async (selected) => {
        const sel = needsServer(selected);
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
        if (sel.kind !== "session") return { error: "select a session first" };
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
        // From a server row, or a session row that has a server.
        const on =
          sel.kind === "server" || sel.kind === "session" || sel.kind === "server-group" ? sel : null;
        if (!on?.backend || !on.server) return { error: "this session has no server to act on" };
        const { backend, server } = on;
        const built = buildCommand({ kind: "shutdown-sessions-server", backend, server });
        return simple(`Kill every session of ${backend}/${server}`, built, "bad", [
          killCount(backend, server),
        ]);
      },
      "map-add": maps["map-add"],
      "map-del": maps["map-del"],
      "map-set": maps["map-set"],
      "table-clear-entry": tables["table-clear-entry"],
      "table-set-entry": tables["table-set-entry"],
    };

    async function sessionStillThere(id: string, src: string | undefined) {
      const out = await runCommand(target, "show sess", { timeoutMs });
      return parseSess(out).some((s) => s.id === id && (src === undefined || s.src === src));
    }
    return planners;
  };

  /** Runtime changes a reload loses: `show servers state` (CLI-forced maint/drain, weights). */
  const lostOnReload = async (): Promise<string[]> => {
    try {
      const [out = ""] = await request(home, ["show servers state"], { timeoutMs });
      const states = parseServersState(out);
      if (states.length > 0 || out.trim().startsWith("1")) return runtimeChanges(states);
    } catch {
      /* fall back to the snapshot */
    }
    return runtimeChangesFromSnapshot(state().snapshot);
  };

  const reloadPlan = async (): Promise<Planned> => {
    const base = {
      target: home,
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
      notes: [...plan.warnings.map((w) => `warning: ${w}`), ...(plan.notes ?? []), ...lostNotes],
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
    reloadUnavailable: readOnly ? "read-only mode" : remoteReload,
  });

  return {
    reloadUnavailable: readOnly ? "read-only mode" : remoteReload,
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
        if (id === "reload") return await reloadPlan();
        const to = current();
        const planned = await plannersFor(to)[id](sel);
        return to.kind === "worker" && !("error" in planned) ? toWorker(planned, to) : planned;
      } catch (e) {
        if (e instanceof InvalidNameError) return { error: e.message };
        return { error: formatError(e) };
      }
    },
  };
}

/** Says, in the dialog, that the commands go to the watched worker through the master CLI. */
function toWorker(planned: ActionPlan | ValuePrompt, to: WorkerTarget): Planned {
  const note = `to worker ${to.pid} (the process shown) through the master CLI ${describeTarget(to.master)}`;
  if (!("submit" in planned)) return withNote(planned, note);
  return {
    ...planned,
    submit: async (value) => {
      const p = await planned.submit(value);
      return "error" in p ? p : withNote(p, note);
    },
  };
}

function withNote(plan: ActionPlan, note: string): ActionPlan {
  const all = plan.allBackends;
  return {
    ...plan,
    notes: [note, ...plan.notes],
    ...(all ? { allBackends: { ...all, toggle: () => withNote(all.toggle(), note) } } : {}),
  };
}
