/**
 * Soft reload of HAProxy (the `r` key and `haptop reload`). Modules, by concern:
 * - types.ts       options, plan, result, steps, modes, ReloadPlanError
 * - probe.ts       what answers: `show info` (pid, release) and the master's `show proc`
 * - discover.ts    the running process from /proc: config files, binary, master, mode
 * - ownership.ts   proof that the process to signal holds the target socket (/proc/net, /proc/<pid>/fd)
 * - plan.ts        planReload: the exact commands per mode (plan-daemon.ts for expose-fd/daemon)
 * - exec.ts        running a process without a shell; ALERT lines
 * - run-master.ts  the master CLI's `reload` (2.7+ synchronous `Success=`, 2.6 polled) and its proof
 * - run-process.ts expose-fd, daemon and command modes
 * - wait.ts        waiting for a new pid on a fresh connection
 * - execute.ts     reload(): validate, run, verify; returns once the new process answers
 * - watch.ts       watchOldProcesses(): follow old processes while they drain, in the background
 * - ssh.ts         over SSH: only through the forwarded master CLI (plan, re-check, refusals)
 * - cli.ts         `haptop reload`
 */

export { type ReloadCliOptions, runReloadCli } from "./cli.js";
export { alertLines } from "./exec.js";
export { reload } from "./execute.js";
export { decodeProcAddress, type Ownership, proveOwner } from "./ownership.js";
export { planReload } from "./plan.js";
export { currentPid, masterShowProc, type RunningProcess, showRunning } from "./probe.js";
export { planOverSsh, sshMasterSocket, sshReloadUnavailable } from "./ssh.js";
export * from "./types.js";
export {
  liveOldProcesses,
  type OldProcessWatch,
  type WatchOptions,
  type WatchResult,
  watchOldProcesses,
} from "./watch.js";
