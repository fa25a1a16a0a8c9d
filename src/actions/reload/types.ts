import type { Target } from "../../client/target.js";
import type { ReleaseVersion } from "../../parse/proc.js";

/**
 * Soft reload of HAProxy's configuration:
 * - `master-worker`: `reload` on the master CLI (the master re-executes and forks new workers);
 * - `expose-fd`: `haproxy -D … -x <admin socket> -sf <old pids>`: the new process takes the
 *   listening sockets over from the old one, no connection is refused;
 * - `daemon`: the same without `-x`: the new process binds anew, a few connections may be reset;
 * - `command`: a user-given command (e.g. `systemctl reload haproxy`), run without a shell.
 */
export type ReloadMode = "master-worker" | "expose-fd" | "daemon" | "command";
export const RELOAD_MODES: readonly ReloadMode[] = ["master-worker", "expose-fd", "daemon", "command"];

/** Debian's master CLI (`-S /run/haproxy-master.sock` in /etc/default/haproxy). */
export const DEBIAN_MASTER_SOCKET = "/run/haproxy-master.sock";

/** A reload that cannot be planned (or must be refused): the message says why and what to do. */
export class ReloadPlanError extends Error {
  override name = "ReloadPlanError";
  constructor(
    message: string,
    /** The option that would fix it, e.g. "--config"; none when the refusal is about safety. */
    readonly flag?: string,
  ) {
    super(message);
  }
}

/** A refusal: the process haptop would signal is not proved to be the one behind the socket. */
export function refuse(why: string): ReloadPlanError {
  return new ReloadPlanError(`refusing to reload: ${why}; nothing was done`);
}

export type ReloadPhase =
  | "plan"
  | "validate"
  | "reload"
  | "wait-new-pid"
  | "new-pid"
  | "draining"
  | "failed"
  | "done";

export interface ReloadStep {
  phase: ReloadPhase;
  message: string;
  /** ms since reload() started. */
  elapsedMs: number;
  /** The pids the step is about (the new one, the old ones still draining). */
  pids?: number[];
}

export interface ReloadOptions {
  /** The stats socket whose `show info` tells the running pid (and the new one afterwards). */
  target: Target;
  /** Default: detected (command if reloadCmd is given, else master-worker, expose-fd or daemon). */
  mode?: ReloadMode;
  /** Master CLI address (master-worker); default: `-S` of the running master, else Debian's. */
  masterSocket?: string;
  /** Configuration files or directories; default: `-f` of the running process. */
  configFiles?: string[];
  /** Default: `-p` of the running process (else `pidfile` in the configuration). */
  pidfile?: string;
  /** Default: /proc/<pid>/exe of the running process, else its argv[0], else `haproxy`. */
  haproxyBin?: string;
  /** For the `command` mode: a command line, split without a shell. */
  reloadCmd?: string;
  /** haptop's read-only mode: refuse. */
  readOnly?: boolean;
  /** Time allowed from the reload command to the new pid answering (default 20000). */
  timeoutMs?: number;
  /** Per-request timeout for the stats socket and master CLI (default 2000). */
  socketTimeoutMs?: number;
  /** Poll interval while waiting (default 100). */
  pollIntervalMs?: number;
  /** Called at each step (validating, reloading, new pid…). Synchronous. */
  onProgress?: (step: ReloadStep) => void;
  /** Run exactly this plan (as shown in a confirm dialog); refused if HAProxy's pid changed since. */
  plan?: ReloadPlan;
  /** For tests: where /proc is (process command lines, open files, /proc/net sockets). */
  procRoot?: string;
  /** The master CLI tried last (default Debian's /run/haproxy-master.sock). */
  defaultMasterSocket?: string;
}

export interface ReloadPlan {
  mode: ReloadMode;
  /** The pid answering `show info` when planned (proved to own the stats socket, see ownership.ts). */
  oldPid: number;
  /** The master's pid in master-worker mode, when visible. Never signalled by haptop. */
  masterPid: number | null;
  masterSocket: Target | null;
  /**
   * The release whose reply haptop reads: the master's (`show proc`) in master-worker mode, else the
   * running process's (`show info` Version). Decides how the master's `reload` reply is read.
   */
  version: ReleaseVersion | null;
  binary: string;
  /** Working directory of the running HAProxy (relative paths in its config), used for our commands. */
  cwd: string | null;
  configFiles: string[];
  pidfile: string | null;
  /** `haproxy -c -f …` argv. */
  validate: string[];
  /** The reload process's argv (expose-fd, daemon, command); null for master-worker. */
  run: string[] | null;
  /** The processes the reload replaces (the `-sf` pids; the workers under master-worker). */
  oldPids: number[];
  /** What will run, one line each, for a confirm dialog. */
  commandLines: string[];
  warnings: string[];
  /** Facts worth reading before confirming that are not warnings (e.g. who checks the config over SSH). */
  notes?: string[];
  /** Where each fact came from (and how ownership was proved), for the dialog and debugging. */
  discovered: string[];
}

export interface ReloadResult {
  ok: boolean;
  mode: ReloadMode | null;
  /** What ran, one line each (validation included). */
  commands: string[];
  /** Output of the reload (process stderr/stdout, master CLI reply, startup logs). */
  reply: string;
  /** One line: the outcome. */
  message: string;
  durationMs: number;
  oldPid: number | null;
  newPid: number | null;
  /** Every HAProxy [ALERT] line (validation, reload process, master reply or startup logs), whole. */
  alerts: string[];
  warnings: string[];
  /**
   * Old processes still alive when reload() returned (draining their connections). reload() does
   * not wait for them: follow them with watchOldProcesses(result.draining, …).
   */
  draining: number[];
  /** The master CLI to ask about old workers (master-worker mode), for watchOldProcesses. */
  masterSocket: Target | null;
  steps: ReloadStep[];
  plan: ReloadPlan | null;
}
