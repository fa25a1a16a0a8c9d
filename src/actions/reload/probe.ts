import { performance } from "node:perf_hooks";
import { SocketError } from "../../client/errors.js";
import { runCommand } from "../../client/socket.js";
import { describeTarget, type Target } from "../../client/target.js";
import { parseInfo } from "../../parse/info.js";
import {
  type ProcReport,
  parseReleaseVersion,
  parseShowProc,
  type ReleaseVersion,
} from "../../parse/proc.js";
import { sendMaster } from "../mcli.js";
import { sleep } from "./exec.js";
import { ReloadPlanError } from "./types.js";

/** What a fresh connection's `show info` says about the process behind the stats socket. */
export interface RunningProcess {
  pid: number;
  /** From the Version field; null when absent or not a version. */
  version: ReleaseVersion | null;
}

/** `show info` on a fresh connection: the pid (and release) answering on the stats socket. */
export async function showRunning(target: Target, timeoutMs = 2000): Promise<RunningProcess> {
  const info = parseInfo(await runCommand(target, "show info", { timeoutMs, expectPrefix: "Name:" }));
  const pid = info.Pid;
  if (typeof pid !== "number") throw new ReloadPlanError(`${describeTarget(target)}: show info has no Pid`);
  return { pid, version: parseReleaseVersion(String(info.Version ?? "")) };
}

/** The pid answering `show info` on a fresh connection. */
export async function currentPid(target: Target, timeoutMs = 2000): Promise<number> {
  return (await showRunning(target, timeoutMs)).pid;
}

/** A SocketError that a master re-executing (or just started) produces for a moment. */
export function isTransient(err: unknown): boolean {
  return err instanceof SocketError && ["connection-refused", "closed-early", "io-error"].includes(err.code);
}

/**
 * `show proc` on the master CLI, retried for up to `retryMs` while the master does not accept
 * connections (it re-executes during a reload, and is briefly unreachable right after starting).
 */
export async function masterShowProc(target: Target, timeoutMs = 2000, retryMs = 2000): Promise<ProcReport> {
  const end = performance.now() + retryMs;
  for (;;) {
    try {
      const reply = await sendMaster(target, ["show proc"], timeoutMs);
      if (/^Permission denied/.test(reply)) {
        // 3.x asks for operator level on the master CLI even for show proc.
        throw new ReloadPlanError(
          `the master CLI ${describeTarget(target)} refused show proc: Permission denied ` +
            '(its -S needs "level operator" or "level admin")',
          "--master-socket",
        );
      }
      return parseShowProc(reply);
    } catch (err) {
      if (!isTransient(err) || performance.now() >= end) throw err;
      await sleep(100);
    }
  }
}

/** Every pid the master lists as its worker, current or old (3.2 lists a still-serving worker as old after a failed reload). */
export function masterChildren(proc: ProcReport): number[] {
  return [...proc.workers, ...proc.oldWorkers].map((w) => w.pid);
}
