import { performance } from "node:perf_hooks";
import { formatCommand } from "../argv.js";
import { alertLines, lastLine, runProcess } from "./exec.js";
import { proveOwner } from "./ownership.js";
import { planReload } from "./plan.js";
import { currentPid } from "./probe.js";
import { type RunContext, reloadThroughMaster } from "./run-master.js";
import { reloadWithProcess } from "./run-process.js";
import { sshPlanStillHolds } from "./ssh.js";
import {
  type ReloadOptions,
  type ReloadPhase,
  type ReloadPlan,
  ReloadPlanError,
  type ReloadResult,
  type ReloadStep,
} from "./types.js";
import { liveOldProcesses } from "./watch.js";

let reloadRunning = false;

/**
 * Validates the configuration (`haproxy -c`), reloads, and verifies that a fresh connection to the
 * stats socket answers with a new pid. Returns as soon as the new process answers: the old ones
 * still draining are in `result.draining`, to follow with watchOldProcesses (watch.ts).
 * Never throws for a failed or refused reload (ok:false, with HAProxy's ALERT lines); throws
 * SocketError when the stats socket (or the master CLI) does not answer while planning.
 * One reload at a time per haptop process.
 */
export async function reload(opts: ReloadOptions): Promise<ReloadResult> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const steps: ReloadStep[] = [];
  const emit = (phase: ReloadPhase, message: string, pids?: number[]) => {
    const step: ReloadStep = { phase, message, elapsedMs: ms(), ...(pids ? { pids } : {}) };
    steps.push(step);
    opts.onProgress?.(step);
  };
  const result: ReloadResult = {
    ok: false,
    mode: opts.plan?.mode ?? opts.mode ?? null,
    commands: [],
    reply: "",
    message: "",
    durationMs: 0,
    oldPid: null,
    newPid: null,
    alerts: [],
    warnings: [],
    draining: [],
    masterSocket: null,
    steps,
    plan: null,
  };
  const fail = (message: string): ReloadResult => {
    emit("failed", message);
    return { ...result, ok: false, message, durationMs: ms() };
  };
  if (opts.readOnly) return fail("read-only mode");
  if (reloadRunning) return fail("a reload is already running");
  reloadRunning = true;
  try {
    return await reloadLocked(opts, result, emit, fail, ms);
  } finally {
    reloadRunning = false;
  }
}

/** The plan to run: the confirmed one if still valid (same pid, still owning the socket), else a new one. */
async function currentPlan(
  opts: ReloadOptions,
  emit: (p: ReloadPhase, m: string) => void,
): Promise<ReloadPlan | string> {
  if (!opts.plan) {
    emit("plan", "finding how HAProxy runs");
    try {
      return await planReload(opts);
    } catch (err) {
      if (err instanceof ReloadPlanError) return err.message;
      throw err;
    }
  }
  const plan = opts.plan;
  const pid = await currentPid(opts.target, opts.socketTimeoutMs ?? 2000);
  if (pid !== plan.oldPid)
    return `HAProxy's pid changed since the plan was made (${plan.oldPid} → ${pid}): plan again`;
  if (opts.target.kind === "ssh") {
    // No remote /proc: the master's own show proc must still list the planned worker (ssh.ts).
    const why = await sshPlanStillHolds(plan, opts.socketTimeoutMs ?? 2000);
    if (why) return why;
  } else if (plan.mode !== "command") {
    // The socket may have changed hands since the dialog opened: prove it again, just before acting.
    const proof = await proveOwner(plan.oldPid, opts.target, opts.procRoot ?? "/proc");
    if (!proof.ok) return `refusing to reload: ${proof.message}; nothing was done`;
  }
  return plan;
}

async function reloadLocked(
  opts: ReloadOptions,
  result: ReloadResult,
  emit: (phase: ReloadPhase, message: string, pids?: number[]) => void,
  fail: (message: string) => ReloadResult,
  ms: () => number,
): Promise<ReloadResult> {
  const socketTimeout = opts.socketTimeoutMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const planned = await currentPlan(opts, emit);
  if (typeof planned === "string") {
    result.plan = opts.plan ?? null;
    return fail(planned);
  }
  const plan = planned;
  Object.assign(result, {
    plan,
    mode: plan.mode,
    oldPid: plan.oldPid,
    warnings: [...plan.warnings],
    masterSocket: plan.masterSocket,
  });
  emit("plan", `mode ${plan.mode}, running pid ${plan.oldPid}`);

  // Validate first: a broken configuration never reaches HAProxy. Over SSH there is nothing to run
  // here (plan.validate is empty): the master checks its configuration as it reloads.
  const local = plan.validate.length > 0;
  if (local) {
    result.commands.push(formatCommand(plan.validate));
    emit("validate", `checking the configuration: ${formatCommand(plan.validate)}`);
  } else emit("validate", "no local configuration check: HAProxy's master checks it as it reloads");
  const check = local
    ? await runProcess(plan.validate, plan.cwd, 30_000)
    : { code: 0, output: "", error: null };
  if (check.code !== 0) {
    result.alerts = alertLines(check.output);
    result.reply = check.output;
    const why = check.error ?? result.alerts[0] ?? (lastLine(check.output) || `exit code ${check.code}`);
    return fail(`configuration check failed, nothing reloaded: ${why}`);
  }

  const ctx: RunContext = {
    plan,
    target: opts.target,
    deadline: performance.now() + timeoutMs,
    timeoutMs,
    interval: opts.pollIntervalMs ?? 100,
    socketTimeout,
    procRoot: opts.procRoot ?? "/proc",
    ran: (line) => result.commands.push(line),
    emit,
  };
  const outcome =
    plan.mode === "master-worker" ? await reloadThroughMaster(ctx) : await reloadWithProcess(ctx);
  result.reply = outcome.reply ?? "";
  if (!outcome.ok) {
    result.alerts = outcome.alerts ?? [];
    return fail(outcome.message);
  }
  result.alerts = alertLines(result.reply);
  result.newPid = outcome.newPid;
  emit("new-pid", `pid ${outcome.newPid} answers on a fresh connection (was ${plan.oldPid})`, [
    outcome.newPid,
  ]);

  const old = plan.oldPids.filter((p) => p !== outcome.newPid);
  result.draining = await liveOldProcesses(old, {
    masterSocket: plan.masterSocket,
    procRoot: opts.procRoot,
    socketTimeoutMs: socketTimeout,
  });
  if (result.draining.length > 0) {
    const n = result.draining.length;
    emit(
      "draining",
      `old process${n > 1 ? "es" : ""} ${result.draining.join(", ")} draining`,
      result.draining,
    );
  }
  result.ok = true;
  result.message = `reloaded (${plan.mode}): pid ${plan.oldPid} → ${outcome.newPid}`;
  result.durationMs = ms();
  emit("done", result.message);
  return result;
}
