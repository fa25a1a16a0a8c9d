import { SSH_RELOAD_UNAVAILABLE } from "../../client/ssh.js";
import { describeSshTarget, type SshTarget, sshHostKey } from "../../client/sshTarget.js";
import { describeTarget, parseTarget, type Target, TargetSyntaxError } from "../../client/target.js";
import { parseReleaseVersion } from "../../parse/proc.js";
import { masterChildren, masterShowProc, showRunning } from "./probe.js";
import { type ReloadOptions, type ReloadPlan, ReloadPlanError, refuse } from "./types.js";

/**
 * Reload of a HAProxy reached over SSH (issue 14): only through its master CLI, forwarded by the
 * same SSH master connection as the stats socket. haptop sees no remote process: it runs nothing
 * on that host and signals nothing; the master reloads itself (`reload`, run-master.ts), and the
 * outcome is read from the master (`Success=`, `show proc`) and the stats socket (`show info` Pid).
 * Every other mode needs this machine to see HAProxy's process (its /proc, its binary, `haproxy -c`
 * on its files), so it is refused over SSH with what to pass instead.
 */

/** The example spelling in messages: the stats target's host, Debian's master CLI path. */
function example(t: SshTarget): string {
  return describeSshTarget({ ...t, path: "/run/haproxy-master.sock" });
}

/**
 * The master CLI to reload an SSH target through, or why there is none usable (a ReloadPlanError
 * naming --master-socket). Nothing is connected to: this only reads the options.
 */
export function sshMasterSocket(
  target: SshTarget,
  opts: Pick<ReloadOptions, "masterSocket" | "mode" | "reloadCmd">,
): SshTarget {
  const where = describeSshTarget(target);
  if (opts.reloadCmd !== undefined || (opts.mode !== undefined && opts.mode !== "master-worker")) {
    const what = opts.reloadCmd !== undefined ? "--reload-cmd" : `--mode ${opts.mode}`;
    throw new ReloadPlanError(
      `${what} cannot reload ${where}: it would run on this machine, not on ${target.host}; over SSH ` +
        "only the master CLI can reload: pass --master-socket <ssh target of the master CLI>, or run haptop reload on that host",
      "--master-socket",
    );
  }
  if (opts.masterSocket === undefined) throw new ReloadPlanError(SSH_RELOAD_UNAVAILABLE, "--master-socket");
  let ms: Target;
  try {
    ms = parseTarget(opts.masterSocket);
  } catch (err) {
    if (err instanceof TargetSyntaxError)
      throw new ReloadPlanError(`--master-socket: ${err.message}`, "--master-socket");
    throw err;
  }
  if (ms.kind !== "ssh") {
    throw new ReloadPlanError(
      `--master-socket ${describeTarget(ms)} is not an SSH target, but HAProxy runs on ${target.host} ` +
        `(${where}): pass --master-socket <ssh target of the master CLI>, e.g. ${example(target)}`,
      "--master-socket",
    );
  }
  if (sshHostKey(ms) !== sshHostKey(target)) {
    throw new ReloadPlanError(
      `--master-socket ${describeSshTarget(ms)} is not on the same SSH host as ${where}: the master CLI ` +
        `of that HAProxy is reached the same way, e.g. ${example(target)}`,
      "--master-socket",
    );
  }
  return ms;
}

/** Why `r` / `haptop reload` cannot work on this target with these options; null when it may be tried. */
export function sshReloadUnavailable(
  target: Target,
  opts: Pick<ReloadOptions, "masterSocket" | "mode" | "reloadCmd">,
): string | null {
  if (target.kind !== "ssh") return null;
  try {
    sshMasterSocket(target, opts);
    return null;
  } catch (err) {
    if (err instanceof ReloadPlanError) return err.message;
    throw err;
  }
}

/** Options that only mean something on the machine running HAProxy: ignored over SSH, said so. */
function ignoredOptions(opts: ReloadOptions): string[] {
  const given: string[] = [];
  if (opts.configFiles?.length) given.push("--config");
  if (opts.pidfile !== undefined) given.push("--pidfile");
  if (opts.haproxyBin !== undefined) given.push("--haproxy");
  return given.length
    ? [`${given.join(", ")} ignored over SSH: the master reloads with its own binary and configuration`]
    : [];
}

/**
 * The plan for an SSH target: `reload` on the forwarded master CLI. Proof that it is the right
 * master: the pid answering `show info` on the stats socket is among the workers its own
 * `show proc` lists (nothing is signalled, so no remote /proc is needed). Throws ReloadPlanError
 * (refusals, a missing or wrong --master-socket) and SocketError (a target that does not answer).
 */
export async function planOverSsh(opts: ReloadOptions): Promise<ReloadPlan> {
  if (opts.target.kind !== "ssh") throw new Error("planOverSsh: not an SSH target");
  const masterSocket = sshMasterSocket(opts.target, opts);
  const timeout = opts.socketTimeoutMs ?? 2000;
  const running = await showRunning(opts.target, timeout);
  const proc = await masterShowProc(masterSocket, timeout);
  const ms = describeTarget(masterSocket);
  if (!proc.master) {
    throw new ReloadPlanError(
      `${ms} does not answer show proc like a master CLI: pass --master-socket <ssh target of the master CLI>, ` +
        'HAProxy run with -W -S <path> (at "level operator" or "level admin")',
      "--master-socket",
    );
  }
  const workers = masterChildren(proc);
  if (!workers.includes(running.pid)) {
    throw refuse(
      `the master CLI ${ms} (master pid ${proc.master.pid}) does not list pid ${running.pid}, ` +
        `which answers on ${describeTarget(opts.target)}, among its workers`,
    );
  }
  return {
    mode: "master-worker",
    oldPid: running.pid,
    masterPid: proc.master.pid,
    masterSocket,
    version: parseReleaseVersion(proc.master.version) ?? running.version,
    binary: "",
    cwd: null,
    configFiles: [],
    pidfile: null,
    // No local `haproxy -c`: the files are on the other host. The master checks them as it reloads.
    validate: [],
    run: null,
    oldPids: workers,
    commandLines: [`reload   (on the master CLI ${ms})`],
    warnings: ignoredOptions(opts),
    notes: [
      "over SSH the configuration check is HAProxy's own: a reload that fails keeps the old worker " +
        "serving (2.7+ answers Success=0 with its ALERT lines; 2.6 marks it ReloadFailed)",
    ],
    discovered: [
      `pid ${running.pid} answers show info on ${describeTarget(opts.target)}`,
      `master CLI: ${ms} (--master-socket), master pid ${proc.master.pid} lists pid ${running.pid} among its workers`,
    ],
  };
}

/**
 * Just before acting on a confirmed plan: the master behind the CLI is still the planned one and
 * still lists the planned worker (the socket may have changed hands since the dialog opened).
 * Returns why not, or null.
 */
export async function sshPlanStillHolds(plan: ReloadPlan, timeoutMs: number): Promise<string | null> {
  if (!plan.masterSocket) return "no master CLI in the plan";
  const ms = describeTarget(plan.masterSocket);
  const proc = await masterShowProc(plan.masterSocket, timeoutMs);
  if (!proc.master) return `${ms} no longer answers show proc like a master CLI`;
  if (proc.master.pid !== plan.masterPid)
    return `the master behind ${ms} changed since the plan was made (pid ${plan.masterPid} → ${proc.master.pid}): plan again`;
  if (!masterChildren(proc).includes(plan.oldPid))
    return `refusing to reload: the master CLI ${ms} no longer lists pid ${plan.oldPid} among its workers; nothing was done`;
  return null;
}
