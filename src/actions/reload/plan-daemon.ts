import { formatCommand } from "../argv.js";
import { looksLikeHaproxy, parseHaproxyArgs, readProcess, resolveFrom } from "../procinfo.js";
import { basePlan, type Discovery } from "./discover.js";
import { readPidfile } from "./exec.js";
import { proveOwner } from "./ownership.js";
import { type ReloadOptions, type ReloadPlan, ReloadPlanError, refuse } from "./types.js";

/** expose-fd / daemon: a new daemon told to take over from the old pids (`-sf`). */
export async function planDaemon(opts: ReloadOptions, d: Discovery): Promise<ReloadPlan> {
  const mode = d.mode;
  if (d.masterWorker) {
    throw new ReloadPlanError(
      `HAProxy runs in master-worker mode (master pid ${d.master?.pid ?? "?"}): a ${mode} reload would start a second HAProxy ` +
        "outside the master, so use --mode master-worker (with --master-socket), or --reload-cmd",
      "--mode",
    );
  }
  if (!d.proc) {
    // -sf would signal whatever process has that pid here.
    throw new ReloadPlanError(
      `${d.notVisible}: a ${mode} reload would signal pid ${d.oldPid} blindly (-sf); use --reload-cmd, ` +
        "or --mode master-worker with --master-socket",
      "--reload-cmd",
    );
  }
  const proof = await proveOwner(d.oldPid, opts.target, d.procRoot);
  if (!proof.ok) throw refuse(proof.message);
  d.discovered.push(proof.how);

  let pidfile: string | null = null;
  let passPidfile = false;
  if (opts.pidfile) {
    pidfile = resolveFrom(process.cwd(), opts.pidfile);
    passPidfile = true;
    d.discovered.push(`pidfile: ${pidfile} (--pidfile)`);
  } else if (d.args?.pidfile) {
    pidfile = resolveFrom(d.cwd, d.args.pidfile);
    passPidfile = true;
    d.discovered.push(`pidfile: ${pidfile} (-p of pid ${d.oldPid})`);
  } else if (d.facts.pidfile) {
    pidfile = resolveFrom(d.cwd, d.facts.pidfile);
    d.discovered.push(`pidfile: ${pidfile} (pidfile in the configuration)`);
  }
  // -sf: the running pid, and the pidfile's pids that are live, non-master HAProxy processes.
  const oldPids = [d.oldPid];
  for (const pid of pidfile ? readPidfile(pidfile) : []) {
    if (oldPids.includes(pid)) continue;
    const p = readProcess(pid, d.procRoot);
    if (p && looksLikeHaproxy(p) && p.state !== "Z" && !parseHaproxyArgs(p.argv).masterWorker)
      oldPids.push(pid);
  }
  const runArgv = [
    d.binary,
    "-D",
    ...(d.args?.passthrough ?? []),
    ...d.configFiles.flatMap((f) => ["-f", f]),
    ...(passPidfile && pidfile ? ["-p", pidfile] : []),
  ];
  if (mode === "expose-fd") {
    const sockets = d.facts.exposeFdSockets.map((s) => resolveFrom(d.cwd, s));
    const target = opts.target;
    const preferred =
      target.kind === "unix" ? sockets.find((s) => s === resolveFrom(d.cwd, target.path)) : undefined;
    const sock = preferred ?? sockets[0];
    if (!sock) {
      throw new ReloadPlanError(
        `no "stats socket … expose-fd listeners" in ${d.configFiles.join(", ")}: add it to the admin socket line, or use --mode daemon`,
        "--mode",
      );
    }
    d.discovered.push(`expose-fd socket: ${sock} (stats socket … expose-fd listeners)`);
    runArgv.push("-x", sock);
  } else {
    d.warnings.push(
      "daemon reload without expose-fd: a few connections arriving during the reload may be reset. " +
        'To avoid it, add "expose-fd listeners" to the admin "stats socket" line (e.g. "stats socket ' +
        '/run/haproxy/admin.sock mode 660 level admin expose-fd listeners") so haptop passes -x, ' +
        "or run HAProxy in master-worker mode (-W -S <master socket>).",
    );
  }
  runArgv.push("-sf", ...oldPids.map(String));
  if (d.args && !d.args.daemon) {
    d.warnings.push(
      `pid ${d.oldPid} was not started with -D (it runs in the foreground, probably under a supervisor such as systemd): ` +
        "the new process will be a daemon outside that supervisor; prefer --reload-cmd (e.g. 'systemctl reload haproxy').",
    );
  }
  if (!pidfile) d.warnings.push("no pidfile (-p or pidfile): the old pid comes from show info only.");
  return {
    ...basePlan(d),
    masterSocket: null,
    pidfile,
    run: runArgv,
    oldPids,
    commandLines: [formatCommand(d.validate), formatCommand(runArgv)],
  };
}
