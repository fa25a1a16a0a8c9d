import { performance } from "node:perf_hooks";
import { formatError } from "../../client/errors.js";
import type { Target } from "../../client/target.js";
import { isRunning } from "../procinfo.js";
import { sleep } from "./exec.js";
import { currentPid } from "./probe.js";

/**
 * Polls `show info` on fresh connections until the pid differs from oldPid (and is `expected` when
 * given); null at the deadline. A fresh connection each time: an old one would reach the old process.
 */
export async function waitNewPid(
  target: Target,
  oldPid: number,
  deadline: number,
  interval: number,
  socketTimeout: number,
  expected: number | null,
): Promise<number | null> {
  while (performance.now() < deadline) {
    try {
      const pid = await currentPid(target, socketTimeout);
      if (pid !== oldPid && (expected === null || pid === expected)) return pid;
    } catch {
      /* the socket is being handed over */
    }
    await sleep(interval);
  }
  return null;
}

/**
 * Who answers on the stats socket now, in words, for a failed reload's message. Without expose-fd a
 * new process that fails after binding the stats socket leaves its file pointing nowhere, while the
 * old process still runs and serves: say both.
 */
export async function stillServing(
  target: Target,
  oldPid: number,
  socketTimeout: number,
  procRoot = "/proc",
): Promise<string> {
  try {
    const pid = await currentPid(target, socketTimeout);
    return pid === oldPid
      ? `old process ${pid} still serving`
      : `the stats socket now answers with pid ${pid}`;
  } catch (err) {
    // Over SSH the pid is on another machine: this /proc says nothing about it.
    const local = target.kind !== "ssh";
    const alive = local && isRunning(oldPid, procRoot) ? `; old process ${oldPid} still running` : "";
    return `the stats socket does not answer: ${formatError(err)}${alive}`;
  }
}
