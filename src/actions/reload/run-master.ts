import { performance } from "node:perf_hooks";
import { formatError, SocketError } from "../../client/errors.js";
import { describeTarget, type Target } from "../../client/target.js";
import { hasSyncMasterReload, parseMasterReload, parseShowProc } from "../../parse/proc.js";
import { masterCommandWithPrompt, sendMaster } from "../mcli.js";
import { isRunning } from "../procinfo.js";
import { sleep } from "./exec.js";
import { masterChildren, masterShowProc } from "./probe.js";
import type { ReloadPlan } from "./types.js";
import { stillServing, waitNewPid } from "./wait.js";

/** What running a reload produced: the new pid answering, or why not (with HAProxy's own lines). */
export type RunOutcome =
  | { ok: true; newPid: number; reply?: string }
  | { ok: false; message: string; alerts?: string[]; reply?: string };

export interface RunContext {
  plan: ReloadPlan;
  target: Target;
  deadline: number;
  timeoutMs: number;
  interval: number;
  socketTimeout: number;
  procRoot: string;
  /** Records a command that ran, for the result. */
  ran: (line: string) => void;
  emit: (phase: "reload" | "wait-new-pid" | "new-pid", message: string, pids?: number[]) => void;
}

/** The last reload's startup logs (2.7+ master CLI); [] when unavailable. */
async function startupLogs(ms: Target, timeoutMs: number): Promise<string[]> {
  try {
    return parseMasterReload(await sendMaster(ms, ["show startup-logs"], timeoutMs)).logs;
  } catch {
    return [];
  }
}

/**
 * `reload` on the master CLI, then proof of a new worker: from 2.7 the master answers synchronously
 * (`Success=1`/`Success=0`, `--`, the startup logs); 2.6 answers nothing, so its `show proc` is
 * polled in prompt mode, where `master[ReloadFailed]>` marks a failed reload. Either way success is
 * only reported once `show proc` lists a new worker and the stats socket answers with its pid.
 */
export async function reloadThroughMaster(ctx: RunContext): Promise<RunOutcome> {
  const { plan, socketTimeout } = ctx;
  const ms = plan.masterSocket!;
  const where = `master CLI ${describeTarget(ms)}`;
  const sync = hasSyncMasterReload(plan.version);
  const serving = () => stillServing(ctx.target, plan.oldPid, socketTimeout, ctx.procRoot);
  let before: ReturnType<typeof parseShowProc>;
  try {
    before = await masterShowProc(ms, socketTimeout);
  } catch (err) {
    return { ok: false, message: `${where}: ${formatError(err)}` };
  }
  if (!before.master) return { ok: false, message: `${where}: no master in show proc` };
  const reloads0 = before.master.reloads;
  const known = new Set(masterChildren(before));
  ctx.ran(`reload   (${where})`);
  ctx.emit(
    "reload",
    `reload on the ${where} (master pid ${before.master.pid}, HAProxy ${plan.version?.text ?? "?"})`,
  );
  let reply: string;
  try {
    // 2.7+ answers once the new configuration is loaded and the worker forked: allow the whole timeout.
    reply = await sendMaster(ms, ["reload"], sync ? ctx.timeoutMs : Math.max(socketTimeout, 5000));
  } catch (err) {
    const why =
      err instanceof SocketError && err.code === "timeout"
        ? `no answer to reload within the timeout`
        : formatError(err);
    return { ok: false, message: `${where}: ${why}; ${await serving()}` };
  }
  const answer = parseMasterReload(reply);
  if (answer.status === "failure") {
    const alerts = answer.alerts.length
      ? answer.alerts
      : (await startupLogs(ms, socketTimeout)).filter((l) => l.includes("[ALERT]"));
    const why = alerts[0] ?? answer.logs.at(-1) ?? "no reason given";
    return {
      ok: false,
      message: `reload failed: the master answered Success=0: ${why}; ${await serving()}`,
      alerts,
      reply,
    };
  }
  // Anything but a status (2.7+) or silence (2.6, or a master that died) is a refusal, e.g. a
  // master CLI below operator level answering "Permission denied".
  if (answer.status === "none" && reply.trim() !== "") {
    return { ok: false, message: `the master refused the reload: ${reply.trim().split("\n")[0]}`, reply };
  }
  ctx.emit(
    "wait-new-pid",
    answer.status === "success"
      ? "the master answered Success=1; checking show proc"
      : "waiting for the master to fork a new worker",
  );
  let newWorker: number | null = null;
  let reloadFailed = false;
  let masterGone = false;
  let lastError = "";
  while (performance.now() < ctx.deadline) {
    try {
      const r = await masterCommandWithPrompt(ms, "show proc", Math.min(socketTimeout, 1500));
      const proc = parseShowProc(r.output);
      // A ReloadFailed prompt left by an earlier failed reload counts only once ours is counted.
      if (proc.master && proc.master.reloads > reloads0) {
        const fresh = proc.workers.find((w) => !known.has(w.pid));
        if (fresh) {
          newWorker = fresh.pid;
          break;
        }
        if (r.reloadFailed && answer.status !== "success") {
          reloadFailed = true;
          break;
        }
      }
    } catch (err) {
      lastError = formatError(err); // the master re-executes: its CLI is briefly unreachable
      // A master over SSH is not on this machine: its pid means nothing to this /proc.
      const local = ctx.target.kind !== "ssh";
      if (local && plan.masterPid !== null && !isRunning(plan.masterPid, ctx.procRoot)) {
        masterGone = true;
        break;
      }
    }
    await sleep(ctx.interval);
  }
  if (newWorker === null) {
    // 2.7+ keeps the failed reload's messages: show them rather than pointing at the journal.
    const logs = sync && !masterGone ? await startupLogs(ms, socketTimeout) : [];
    const alerts = logs.filter((l) => l.includes("[ALERT]"));
    const why = masterGone
      ? `the master (pid ${plan.masterPid}) exited during the reload (see HAProxy's log or journal)`
      : reloadFailed
        ? alerts.length
          ? `the master reports ReloadFailed: ${alerts[0]}`
          : "the master reports ReloadFailed (its ALERT lines are in HAProxy's log or journal)"
        : `no new worker within ${ctx.timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ""}`;
    return {
      ok: false,
      message: `reload failed: ${why}; ${await serving()}`,
      alerts,
      reply: [reply, ...logs].join("\n"),
    };
  }
  ctx.emit("new-pid", `new worker ${newWorker} forked, checking the stats socket`, [newWorker]);
  const newPid = await waitNewPid(
    ctx.target,
    plan.oldPid,
    ctx.deadline,
    ctx.interval,
    socketTimeout,
    newWorker,
  );
  if (newPid === null)
    return { ok: false, message: `new worker ${newWorker} forked, but ${await serving()}`, reply };
  return { ok: true, newPid, reply };
}
