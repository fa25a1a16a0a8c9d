import { existsSync, readFileSync } from "node:fs";
import { describeTarget } from "../../client/target.js";
import type { ReleaseVersion } from "../../parse/proc.js";
import { formatCommand } from "../argv.js";
import {
  type ConfigFacts,
  expandConfigPaths,
  type HaproxyArgs,
  looksLikeHaproxy,
  type ProcessInfo,
  parseHaproxyArgs,
  readProcess,
  resolveFrom,
  scanConfig,
} from "../procinfo.js";
import { showRunning } from "./probe.js";
import { type ReloadMode, type ReloadOptions, ReloadPlanError } from "./types.js";

/** What haptop learns about the running HAProxy before choosing how to reload it. */
export interface Discovery {
  oldPid: number;
  /** Release of the process answering on the stats socket (`show info` Version). */
  version: ReleaseVersion | null;
  /** The process (null when not visible in procRoot), its parsed argv, its cwd. */
  proc: ProcessInfo | null;
  args: HaproxyArgs | null;
  cwd: string | null;
  /** The HAProxy parent of the worker (master-worker), when visible. */
  master: ProcessInfo | null;
  masterArgs: HaproxyArgs | null;
  configFiles: string[];
  binary: string;
  facts: ConfigFacts;
  masterWorker: boolean;
  mode: ReloadMode;
  /** `haproxy -c -f …`. */
  validate: string[];
  /** Why the process cannot be read here, for messages. */
  notVisible: string;
  procRoot: string;
  discovered: string[];
  warnings: string[];
}

/**
 * Finds the running HAProxy behind `opts.target`: its pid and release from `show info`, its command
 * line from <procRoot>/<pid>/cmdline (config files, binary), its master (parent), the facts of its
 * configuration, and the mode. Throws ReloadPlanError with the flag to pass when something is missing.
 */
export async function discover(opts: ReloadOptions): Promise<Discovery> {
  const procRoot = opts.procRoot ?? "/proc";
  const running = await showRunning(opts.target, opts.socketTimeoutMs ?? 2000);
  const oldPid = running.pid;
  const discovered: string[] = [
    `running pid ${oldPid}${running.version ? `, HAProxy ${running.version.text}` : ""} (show info on ${describeTarget(opts.target)})`,
  ];
  const warnings: string[] = [];

  const seen = readProcess(oldPid, procRoot);
  const proc = seen && looksLikeHaproxy(seen) ? seen : null;
  const args = proc ? parseHaproxyArgs(proc.argv) : null;
  const cwd = proc?.cwd ?? null;
  const notVisible = `HAProxy's process (pid ${oldPid}) is not visible in ${procRoot} here (remote socket, another pid namespace, or no permission)`;
  if (proc) discovered.push(`command line: ${formatCommand(proc.argv)} (${procRoot}/${oldPid}/cmdline)`);

  // A worker's parent being HAProxy means master-worker.
  let master: ProcessInfo | null = null;
  if (proc?.ppid && proc.ppid > 1) {
    const parent = readProcess(proc.ppid, procRoot);
    if (parent && looksLikeHaproxy(parent)) master = parent;
  }
  const masterArgs = master ? parseHaproxyArgs(master.argv) : null;
  if (master) discovered.push(`master pid ${master.pid} (parent of ${oldPid})`);

  let configFiles: string[];
  if (opts.configFiles?.length) {
    configFiles = opts.configFiles.map((f) => resolveFrom(process.cwd(), f));
    discovered.push(`config: ${configFiles.join(", ")} (--config)`);
  } else if (args?.configFiles.length) {
    configFiles = args.configFiles.map((f) => resolveFrom(cwd, f));
    discovered.push(`config: ${configFiles.join(", ")} (-f of pid ${oldPid})`);
  } else {
    throw new ReloadPlanError(
      `${proc ? `pid ${oldPid} was started without -f` : notVisible}: pass --config <file> (repeatable)`,
      "--config",
    );
  }

  let binary: string;
  if (opts.haproxyBin) binary = opts.haproxyBin;
  else if (proc?.exe && existsSync(proc.exe)) binary = proc.exe;
  else if (proc?.argv[0]) binary = resolveFrom(proc.argv[0].includes("/") ? cwd : null, proc.argv[0]);
  else binary = "haproxy";
  discovered.push(`binary: ${binary}${opts.haproxyBin ? " (--haproxy)" : proc ? "" : " (default)"}`);

  const texts: string[] = [];
  for (const file of expandConfigPaths(configFiles)) {
    try {
      texts.push(readFileSync(file, "utf8"));
    } catch (err) {
      warnings.push(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  const facts = scanConfig(texts);
  const masterWorker = Boolean(args?.masterWorker || master || facts.masterWorker);
  const mode: ReloadMode =
    opts.mode ??
    (opts.reloadCmd
      ? "command"
      : masterWorker
        ? "master-worker"
        : facts.exposeFdSockets.length > 0
          ? "expose-fd"
          : "daemon");
  if (!opts.mode) discovered.push(`mode: ${mode} (detected)`);
  const validate = [binary, "-c", ...(args?.passthrough ?? []), ...configFiles.flatMap((f) => ["-f", f])];
  return {
    oldPid,
    version: running.version,
    proc,
    args,
    cwd,
    master,
    masterArgs,
    configFiles,
    binary,
    facts,
    masterWorker,
    mode,
    validate,
    notVisible,
    procRoot,
    discovered,
    warnings,
  };
}

/** The fields every plan shares. */
export function basePlan(d: Discovery) {
  return {
    mode: d.mode,
    oldPid: d.oldPid,
    masterPid: d.master?.pid ?? null,
    version: d.version,
    binary: d.binary,
    cwd: d.cwd,
    configFiles: d.configFiles,
    validate: d.validate,
    warnings: d.warnings,
    discovered: d.discovered,
  };
}
