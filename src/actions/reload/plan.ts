import { existsSync } from "node:fs";
import { describeTarget, parseTarget, type Target, TargetSyntaxError } from "../../client/target.js";
import { parseReleaseVersion } from "../../parse/proc.js";
import { CommandSyntaxError, formatCommand, splitCommand } from "../argv.js";
import { resolveFrom } from "../procinfo.js";
import { basePlan, type Discovery, discover } from "./discover.js";
import { proveOwner } from "./ownership.js";
import { planDaemon } from "./plan-daemon.js";
import { masterChildren, masterShowProc } from "./probe.js";
import { planOverSsh } from "./ssh.js";
import {
  DEBIAN_MASTER_SOCKET,
  type ReloadOptions,
  type ReloadPlan,
  ReloadPlanError,
  refuse,
} from "./types.js";

/**
 * Works out how to reload the HAProxy behind `opts.target` (see discover.ts), the exact commands,
 * and proves that what would be signalled owns the target (ownership.ts). Throws ReloadPlanError
 * (with the flag to pass, if one helps) when something cannot be found or proved, and SocketError
 * when the stats socket or master CLI does not answer.
 */
export async function planReload(opts: ReloadOptions): Promise<ReloadPlan> {
  // Over SSH no remote process can be seen: only the forwarded master CLI reloads (ssh.ts).
  if (opts.target.kind === "ssh") return planOverSsh(opts);
  const d = await discover(opts);
  if (d.mode === "command") return planCommand(opts, d);
  if (d.mode === "master-worker") return planMasterWorker(opts, d);
  return planDaemon(opts, d);
}

async function planCommand(opts: ReloadOptions, d: Discovery): Promise<ReloadPlan> {
  if (!opts.reloadCmd)
    throw new ReloadPlanError("the command mode needs --reload-cmd <command>", "--reload-cmd");
  let argv: string[];
  try {
    argv = splitCommand(opts.reloadCmd);
  } catch (err) {
    if (err instanceof CommandSyntaxError) throw new ReloadPlanError(err.message, "--reload-cmd");
    throw err;
  }
  // The user's command decides what is reloaded; but a visible pid that does not hold the socket
  // means the socket lies about who answers, and the pid check after the reload would mean nothing.
  const proof = await proveOwner(d.oldPid, opts.target, d.procRoot);
  if (!proof.ok && proof.kind === "not-owner") throw refuse(proof.message);
  d.discovered.push(proof.ok ? proof.how : `ownership not checked: ${proof.message}`);
  return {
    ...basePlan(d),
    masterSocket: null,
    pidfile: opts.pidfile ?? null,
    run: argv,
    oldPids: [d.oldPid],
    commandLines: [formatCommand(d.validate), formatCommand(argv)],
  };
}

/** The master CLI: --master-socket, else the master's -S, else Debian's default path. */
function findMasterSocket(opts: ReloadOptions, d: Discovery): Target {
  const sockArg = d.masterArgs?.masterSockets[0] ?? d.args?.masterSockets[0];
  try {
    if (opts.masterSocket) {
      const t = parseTarget(opts.masterSocket);
      d.discovered.push(`master CLI: ${describeTarget(t)} (--master-socket)`);
      return t;
    }
    if (sockArg) {
      let t = parseTarget(sockArg);
      if (t.kind === "unix") t = { kind: "unix", path: resolveFrom(d.master?.cwd ?? d.cwd, t.path) };
      d.discovered.push(`master CLI: ${describeTarget(t)} (-S of pid ${d.master?.pid ?? d.oldPid})`);
      return t;
    }
  } catch (err) {
    if (err instanceof TargetSyntaxError) throw new ReloadPlanError(err.message, "--master-socket");
    throw err;
  }
  const path = opts.defaultMasterSocket ?? DEBIAN_MASTER_SOCKET;
  if (existsSync(path)) {
    d.discovered.push(`master CLI: ${path} (default)`);
    return { kind: "unix", path };
  }
  throw new ReloadPlanError(
    `${d.masterWorker ? "HAProxy runs in master-worker mode but no master CLI was found" : `${d.notVisible}, so the master CLI cannot be found`}: ` +
      "pass --master-socket <path> (HAProxy must run with -S <path>), or --reload-cmd",
    "--master-socket",
  );
}

async function planMasterWorker(opts: ReloadOptions, d: Discovery): Promise<ReloadPlan> {
  const masterSocket = findMasterSocket(opts, d);
  // Reachable, and really a master CLI?
  const proc = await masterShowProc(masterSocket, opts.socketTimeoutMs ?? 2000);
  if (!proc.master) {
    throw new ReloadPlanError(
      `${describeTarget(masterSocket)} does not answer show proc like a master CLI (some releases answer ` +
        'nothing below "level operator"): pass --master-socket, at level operator or admin',
      "--master-socket",
    );
  }
  const masterPid = proc.master.pid;
  // Ownership: the worker behind the stats socket is a child of the master behind this CLI.
  if (!masterChildren(proc).includes(d.oldPid)) {
    throw refuse(
      `the master CLI ${describeTarget(masterSocket)} (master pid ${masterPid}) does not list pid ${d.oldPid}, ` +
        `which answers on ${describeTarget(opts.target)}, among its workers`,
    );
  }
  if (d.proc && d.proc.ppid !== masterPid) {
    throw refuse(
      `pid ${d.oldPid} is not a child of the master pid ${masterPid} (its parent is ${d.proc.ppid})`,
    );
  }
  for (const [pid, t] of [
    [d.oldPid, opts.target],
    [masterPid, masterSocket],
  ] as const) {
    const proof = await proveOwner(pid, t, d.procRoot);
    if (!proof.ok) throw refuse(proof.message);
    d.discovered.push(proof.how);
  }
  const version = parseReleaseVersion(proc.master.version) ?? d.version;
  return {
    ...basePlan(d),
    masterPid,
    version,
    masterSocket,
    pidfile: null,
    run: null,
    oldPids: masterChildren(proc),
    commandLines: [formatCommand(d.validate), `reload   (on the master CLI ${describeTarget(masterSocket)})`],
  };
}
