import { formatError } from "../client/errors.js";
import { runCommand } from "../client/socket.js";
import type { Target } from "../client/target.js";
import type { GlobalOptions } from "../main.js";
import { parseSess } from "../parse/sess.js";
import type { Poller } from "../store/poller.js";
import type { ActionController, ActionOutcome, ActionPlan, Selection, ValuePrompt } from "../ui/plan.js";
import { checkAllowed } from "./level.js";
import {
  applyRelativeWeight,
  checkSessionId,
  InvalidNameError,
  parseGetWeight,
  parseWeight,
  serverRef,
  weightArg,
} from "./names.js";
import { planReload, type ReloadMode, reload } from "./reload.js";
import {
  type ActionOptions,
  type ActionResult,
  applyServerOpEverywhere,
  clearCounters,
  type ServerOp,
  shutdownSession,
  shutdownSessionsServer,
} from "./runtime.js";

type Planned = ActionPlan | ValuePrompt | { error: string };

/**
 * Turns the TUI's action keys into confirmed plans over the actions in this folder. Every plan
 * shows the exact command first; every outcome goes to the status line and the event timeline.
 */
export function createController(target: Target, opts: GlobalOptions, poller: Poller): ActionController {
  const readOnly = opts.readOnly === true;
  const actionOpts = (): ActionOptions => ({
    level: poller.store.getSnapshot().level,
    readOnly,
    timeoutMs: opts.timeout * 1000,
  });

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

  const serverPlan = (
    sel: Selection,
    title: string,
    command: (ref: string) => string,
    op: ServerOp,
  ): Planned => {
    const backends = sel.sameNameBackends ?? [];
    const make = (all: boolean): ActionPlan => {
      const targets = all ? backends : [sel.backend!];
      return {
        title: all ? `${title} in ${targets.length} backends` : title,
        lines: targets.map((be) => command(serverRef(be, sel.server))),
        tone: op.kind === "state" && op.state !== "ready" ? "warn" : "accent",
        allBackends:
          backends.length > 1
            ? { enabled: all, count: backends.length, toggle: () => make(!all) }
            : undefined,
        run: () => record(() => applyServerOpEverywhere(target, targets, sel.server!, op, actionOpts())),
      };
    };
    return make(false);
  };

  const weightPlan = (sel: Selection, value: string): ActionPlan | { error: string } => {
    let spec: ReturnType<typeof parseWeight>;
    try {
      spec = parseWeight(value.trim());
    } catch (e) {
      return { error: formatError(e) };
    }
    if (spec.kind === "relative")
      return { error: "give an absolute weight (0-256) or N% of the initial weight" };
    const arg = weightArg(spec);
    const planned = serverPlan(sel, "Set weight", (ref) => `set weight ${ref} ${arg}`, {
      kind: "weight",
      weight: arg,
    });
    return planned as ActionPlan;
  };

  const currentWeight = async (sel: Selection) => {
    const out = await runCommand(target, `get weight ${serverRef(sel.backend, sel.server)}`, {
      timeoutMs: opts.timeout * 1000,
    });
    const w = parseGetWeight(out);
    if (!w) throw new Error(`get weight answered: ${out.trim()}`);
    return w;
  };

  const sessionStillThere = async (id: string, src: string | undefined) => {
    const out = await runCommand(target, "show sess", { timeoutMs: opts.timeout * 1000 });
    return parseSess(out).some((s) => s.id === id && (src === undefined || s.src === src));
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
      socketTimeoutMs: opts.timeout * 1000,
    };
    const plan = await planReload(base);
    return {
      title: `Reload HAProxy (${plan.mode})`,
      lines: [...plan.commandLines, ...plan.warnings.map((w) => `warning: ${w}`)],
      tone: plan.warnings.length ? "warn" : "accent",
      run: async (progress) => {
        const r = await reload({ ...base, plan, onProgress: (s) => progress(s.message) });
        poller.addEvent({
          at: Date.now(),
          kind: "reload",
          text: r.message,
          command: r.commands.join("; "),
          reply: [...r.alerts, r.reply.trim()].filter(Boolean).join(" | ").slice(0, 500),
          ok: r.ok,
          durationMs: r.durationMs,
        });
        return { ok: r.ok, message: r.message };
      },
    };
  };

  const plan = async (id: string, sel: Selection): Promise<Planned> => {
    const needsServer = () => (sel.backend && sel.server ? null : { error: "select a server first" });
    switch (id) {
      case "clear-max":
        return {
          title: "Clear max counters",
          lines: ["clear counters"],
          tone: "accent",
          run: () => record(() => clearCounters(target, actionOpts())),
        };
      case "clear-all":
        return {
          title: "Clear ALL counters",
          lines: ["clear counters all"],
          tone: "bad",
          secondConfirm:
            "This resets every total (sessions, bytes, HTTP codes, errors): rates in other monitoring tools will jump.",
          run: () => record(() => clearCounters(target, { ...actionOpts(), all: true })),
        };
      case "reload":
        return reloadPlan();
      case "maint":
      case "ready":
      case "drain":
        return (
          needsServer() ??
          serverPlan(sel, `Set ${sel.server} to ${id}`, (ref) => `set server ${ref} state ${id}`, {
            kind: "state",
            state: id,
          })
        );
      case "weight": {
        const missing = needsServer();
        if (missing) return missing;
        const w = await currentWeight(sel);
        return {
          title: `Weight of ${sel.backend}/${sel.server}`,
          label: `new weight (0-256 or N% of initial ${w.initial}; now ${w.current})`,
          initial: String(w.current),
          submit: async (value) => weightPlan(sel, value),
        };
      }
      case "weight-up":
      case "weight-down": {
        const missing = needsServer();
        if (missing) return missing;
        const w = await currentWeight(sel);
        const next = applyRelativeWeight(w.current, id === "weight-up" ? 10 : -10);
        const p = weightPlan(sel, String(next));
        if ("error" in p) return p;
        return { ...p, title: `Weight ${w.current} → ${next} (${id === "weight-up" ? "+" : "-"}10 %)` };
      }
      case "kill-session": {
        if (!sel.sessionId) return { error: "select a session first" };
        const sid = checkSessionId(sel.sessionId);
        return {
          title: `Kill session from ${sel.sessionSrc ?? "?"}`,
          lines: [`shutdown session ${sid}`],
          tone: "warn",
          run: async () => {
            // HAProxy reuses a freed stream's address: only kill the id if it is still that session.
            if (!(await sessionStillThere(sid, sel.sessionSrc))) {
              return {
                ok: false,
                message: `session ${sid} from ${sel.sessionSrc ?? "?"} has ended; nothing sent`,
              };
            }
            return record(() => shutdownSession(target, sid, actionOpts()));
          },
        };
      }
      case "kill-server-sessions": {
        if (!sel.backend || !sel.server) return { error: "this session has no server to act on" };
        return {
          title: `Kill every session of ${sel.backend}/${sel.server}`,
          lines: [`shutdown sessions server ${serverRef(sel.backend, sel.server)}`],
          tone: "bad",
          run: () => record(() => shutdownSessionsServer(target, sel.backend!, sel.server!, actionOpts())),
        };
      }
      default:
        return { error: `no action "${id}"` };
    }
  };

  return {
    reloadUnavailable: readOnly ? "read-only mode" : null,
    plan: async (id, sel) => {
      // Refuse locally first: nothing is planned or sent in read-only mode.
      const denied = readOnly ? checkAllowed("reload", null, true) : null;
      if (denied) return { error: denied.message };
      try {
        return await plan(id, sel);
      } catch (e) {
        if (e instanceof InvalidNameError) return { error: e.message };
        return { error: formatError(e) };
      }
    },
  };
}
