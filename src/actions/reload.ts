import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { formatError, SocketError } from "../client/errors.js";
import { runCommand } from "../client/socket.js";
import {
  describeTarget,
  parseTarget,
  resolveTarget,
  type Target,
  TargetSyntaxError,
} from "../client/target.js";
import { parseInfo } from "../parse/info.js";
import { parseShowProc } from "../parse/proc.js";
import { CommandSyntaxError, formatCommand, splitCommand } from "./argv.js";
import { masterCommandWithPrompt, sendMaster } from "./mcli.js";
import {
  expandConfigPaths,
  isRunning,
  looksLikeHaproxy,
  type ProcessInfo,
  parseHaproxyArgs,
  readProcess,
  resolveFrom,
  scanConfig,
} from "./procinfo.js";

/**
 * Soft reload of HAProxy's configuration:
 * - `master-worker`: `reload` on the master CLI (the master re-executes and forks new workers);
 * - `expose-fd`: `haproxy -D … -x <admin socket> -sf <old pids>`: the new process takes the
 *   listening sockets over from the old one, no connection is refused;
 * - `daemon`: the same without `-x`: the new process binds anew, a few connections may be reset;
 * - `command`: a user-given command (e.g. `systemctl reload haproxy`), run without a shell.
 * Always validated first with `haproxy -c`; reported as done only when a fresh connection to the
 * stats socket answers `show info` with a new pid.
 */
export type ReloadMode = "master-worker" | "expose-fd" | "daemon" | "command";
export const RELOAD_MODES: readonly ReloadMode[] = ["master-worker", "expose-fd", "daemon", "command"];

/** Debian's master CLI (`-S /run/haproxy-master.sock` in /etc/default/haproxy). */
export const DEBIAN_MASTER_SOCKET = "/run/haproxy-master.sock";

export class ReloadPlanError extends Error {
  override name = "ReloadPlanError";
  constructor(
    message: string,
    /** The option that would fix it, e.g. "--config". */
    readonly flag?: string,
  ) {
    super(message);
  }
}

export type ReloadPhase =
  | "plan"
  | "validate"
  | "reload"
  | "wait-new-pid"
  | "new-pid"
  | "draining"
  | "old-exited"
  | "failed"
  | "done";

export interface ReloadStep {
  phase: ReloadPhase;
  message: string;
  /** ms since reload() started. */
  elapsedMs: number;
  /** The pids the step is about (old processes still draining, the one that exited, the new one). */
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
  /** How long reload() follows the old processes until they exit; 0 = don't (default 10000). */
  drainTimeoutMs?: number;
  /** Per-request timeout for the stats socket and master CLI (default 2000). */
  socketTimeoutMs?: number;
  /** Poll interval while waiting (default 100). */
  pollIntervalMs?: number;
  /** Called at each step (validating, reloading, new pid, old process draining/exited…). */
  onProgress?: (step: ReloadStep) => void;
  /** Run exactly this plan (as shown in a confirm dialog); refused if HAProxy's pid changed since. */
  plan?: ReloadPlan;
  /** For tests: where /proc is. */
  procRoot?: string;
  /** The master CLI tried last (default Debian's /run/haproxy-master.sock). */
  defaultMasterSocket?: string;
}

export interface ReloadPlan {
  mode: ReloadMode;
  /** The pid answering `show info` when planned. */
  oldPid: number;
  /** The master's pid in master-worker mode, when visible. Never signalled by haptop. */
  masterPid: number | null;
  masterSocket: Target | null;
  binary: string;
  /** Working directory of the running HAProxy (relative paths in its config), used for our commands. */
  cwd: string | null;
  configFiles: string[];
  pidfile: string | null;
  /** `haproxy -c -f …` argv. */
  validate: string[];
  /** The reload process's argv (expose-fd, daemon, command); null for master-worker. */
  run: string[] | null;
  /** Daemon modes: the `-sf` pids. */
  oldPids: number[];
  /** What will run, one line each, for a confirm dialog. */
  commandLines: string[];
  warnings: string[];
  /** Where each fact came from, for the dialog and debugging. */
  discovered: string[];
}

export interface ReloadResult {
  ok: boolean;
  mode: ReloadMode | null;
  /** What ran, one line each (validation included). */
  commands: string[];
  /** Output of the reload (process stderr/stdout, master CLI reply). */
  reply: string;
  message: string;
  durationMs: number;
  oldPid: number | null;
  newPid: number | null;
  /** HAProxy's [ALERT] lines (validation or reload). */
  alerts: string[];
  warnings: string[];
  /** True when every old process had exited when reload() returned. */
  oldExited: boolean;
  /** Old processes still draining when reload() returned. */
  stillRunning: number[];
  steps: ReloadStep[];
  plan: ReloadPlan | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The pid answering `show info` on a fresh connection. */
export async function currentPid(target: Target, timeoutMs = 2000): Promise<number> {
  const out = await runCommand(target, "show info", { timeoutMs, expectPrefix: "Name:" });
  const pid = parseInfo(out).Pid;
  if (typeof pid !== "number") throw new ReloadPlanError(`${describeTarget(target)}: show info has no Pid`);
  return pid;
}

/**
 * `show proc` on the master CLI, retried for up to `retryMs` while the master does not accept
 * connections (it re-executes during a reload, and is briefly unreachable right after starting).
 */
export async function masterShowProc(
  target: Target,
  timeoutMs = 2000,
  retryMs = 2000,
): Promise<ReturnType<typeof parseShowProc>> {
  const end = performance.now() + retryMs;
  for (;;) {
    try {
      return parseShowProc(await sendMaster(target, ["show proc"], timeoutMs));
    } catch (err) {
      const transient =
        err instanceof SocketError && ["connection-refused", "closed-early", "io-error"].includes(err.code);
      if (!transient || performance.now() >= end) throw err;
      await sleep(100);
    }
  }
}

/** HAProxy's `[ALERT]` lines in some output. */
export function alertLines(output: string): string[] {
  return output
    .split(/\r?\n/)
    .filter((l) => l.includes("[ALERT]"))
    .map((l) => l.trim());
}

interface ExecOutcome {
  code: number | null;
  output: string;
  error: string | null;
}

/** Runs argv without a shell; never rejects. */
function run(argv: readonly string[], cwd: string | null, timeoutMs: number): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { cwd: cwd ?? undefined, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        const output = `${stderr}${stdout}`;
        if (!err) return resolve({ code: 0, output, error: null });
        const e = err as NodeJS.ErrnoException & {
          code?: number | string;
          killed?: boolean;
          signal?: string;
        };
        if (typeof e.code === "number") return resolve({ code: e.code, output, error: null });
        if (e.killed || e.signal) {
          return resolve({ code: null, output, error: `${argv[0]} did not finish within ${timeoutMs} ms` });
        }
        resolve({ code: null, output, error: `cannot run ${argv[0]}: ${e.code ?? ""} ${e.message}`.trim() });
      },
    );
  });
}

function readPidfile(path: string): number[] {
  try {
    return readFileSync(path, "utf8")
      .split(/\s+/)
      .filter((s) => /^\d+$/.test(s))
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Works out how to reload the HAProxy behind `opts.target`: its pid from `show info`, its command line
 * from /proc/<pid>/cmdline (config files, pidfile, master socket, binary), the mode, and the exact
 * commands. Throws ReloadPlanError (with the flag to pass) when something cannot be found, and
 * SocketError when the stats socket or master CLI does not answer.
 */
export async function planReload(opts: ReloadOptions): Promise<ReloadPlan> {
  const procRoot = opts.procRoot ?? "/proc";
  const socketTimeout = opts.socketTimeoutMs ?? 2000;
  const oldPid = await currentPid(opts.target, socketTimeout);
  const discovered: string[] = [`running pid ${oldPid} (show info on ${describeTarget(opts.target)})`];
  const warnings: string[] = [];

  const seen = readProcess(oldPid, procRoot);
  const proc: ProcessInfo | null = seen && looksLikeHaproxy(seen) ? seen : null;
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
  discovered.push(`binary: ${binary}${opts.haproxyBin ? " (--haproxy-bin)" : proc ? "" : " (default)"}`);

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
  const base = {
    mode,
    oldPid,
    masterPid: master?.pid ?? null,
    binary,
    cwd,
    configFiles,
    validate,
    warnings,
    discovered,
  };

  if (mode === "command") {
    if (!opts.reloadCmd)
      throw new ReloadPlanError("the command mode needs --reload-cmd <command>", "--reload-cmd");
    let argv: string[];
    try {
      argv = splitCommand(opts.reloadCmd);
    } catch (err) {
      if (err instanceof CommandSyntaxError) throw new ReloadPlanError(err.message, "--reload-cmd");
      throw err;
    }
    return {
      ...base,
      masterSocket: null,
      pidfile: opts.pidfile ?? null,
      run: argv,
      oldPids: [oldPid],
      commandLines: [formatCommand(validate), formatCommand(argv)],
    };
  }

  if (mode === "master-worker") {
    let masterSocket: Target;
    const sockArg = masterArgs?.masterSockets[0] ?? args?.masterSockets[0];
    try {
      if (opts.masterSocket) {
        masterSocket = parseTarget(opts.masterSocket);
        discovered.push(`master CLI: ${describeTarget(masterSocket)} (--master-socket)`);
      } else if (sockArg) {
        masterSocket = parseTarget(sockArg);
        if (masterSocket.kind === "unix") {
          masterSocket = { kind: "unix", path: resolveFrom(master?.cwd ?? cwd, masterSocket.path) };
        }
        discovered.push(`master CLI: ${describeTarget(masterSocket)} (-S of pid ${master?.pid ?? oldPid})`);
      } else if (existsSync(opts.defaultMasterSocket ?? DEBIAN_MASTER_SOCKET)) {
        const path = opts.defaultMasterSocket ?? DEBIAN_MASTER_SOCKET;
        masterSocket = { kind: "unix", path };
        discovered.push(`master CLI: ${path} (default)`);
      } else {
        throw new ReloadPlanError(
          `${masterWorker ? "HAProxy runs in master-worker mode but no master CLI was found" : `${notVisible}, so the master CLI cannot be found`}: ` +
            "pass --master-socket <path> (HAProxy must run with -S <path>), or --reload-cmd",
          "--master-socket",
        );
      }
    } catch (err) {
      if (err instanceof TargetSyntaxError) throw new ReloadPlanError(err.message, "--master-socket");
      throw err;
    }
    // Reachable, and really a master CLI?
    const proc0 = await masterShowProc(masterSocket, socketTimeout);
    if (!proc0.master) {
      throw new ReloadPlanError(
        `${describeTarget(masterSocket)} does not answer show proc like a master CLI: pass --master-socket`,
        "--master-socket",
      );
    }
    return {
      ...base,
      masterPid: base.masterPid ?? proc0.master.pid,
      masterSocket,
      pidfile: null,
      run: null,
      oldPids: proc0.workers.map((w) => w.pid),
      commandLines: [formatCommand(validate), `reload   (on the master CLI ${describeTarget(masterSocket)})`],
    };
  }

  // expose-fd / daemon: a new daemon told to take over from the old pids.
  if (masterWorker) {
    throw new ReloadPlanError(
      `HAProxy runs in master-worker mode (master pid ${master?.pid ?? "?"}): a ${mode} reload would start a second HAProxy ` +
        "outside the master, so use --mode master-worker (with --master-socket), or --reload-cmd",
      "--mode",
    );
  }
  if (!proc) {
    // -sf would signal whatever process has that pid here.
    throw new ReloadPlanError(
      `${notVisible}: a ${mode} reload would signal pid ${oldPid} blindly (-sf); use --reload-cmd, ` +
        "or --mode master-worker with --master-socket",
      "--reload-cmd",
    );
  }
  let pidfile: string | null = null;
  let passPidfile = false;
  if (opts.pidfile) {
    pidfile = resolveFrom(process.cwd(), opts.pidfile);
    passPidfile = true;
    discovered.push(`pidfile: ${pidfile} (--pidfile)`);
  } else if (args?.pidfile) {
    pidfile = resolveFrom(cwd, args.pidfile);
    passPidfile = true;
    discovered.push(`pidfile: ${pidfile} (-p of pid ${oldPid})`);
  } else if (facts.pidfile) {
    pidfile = resolveFrom(cwd, facts.pidfile);
    discovered.push(`pidfile: ${pidfile} (pidfile in the configuration)`);
  }
  // -sf: the running pid, and the pidfile's pids that are live, non-master HAProxy processes.
  const oldPids = [oldPid];
  for (const pid of pidfile ? readPidfile(pidfile) : []) {
    if (oldPids.includes(pid)) continue;
    const p = readProcess(pid, procRoot);
    if (p && looksLikeHaproxy(p) && p.state !== "Z" && !parseHaproxyArgs(p.argv).masterWorker)
      oldPids.push(pid);
  }
  const runArgv = [
    binary,
    "-D",
    ...(args?.passthrough ?? []),
    ...configFiles.flatMap((f) => ["-f", f]),
    ...(passPidfile && pidfile ? ["-p", pidfile] : []),
  ];
  if (mode === "expose-fd") {
    const sockets = facts.exposeFdSockets.map((s) => resolveFrom(cwd, s));
    const preferred =
      opts.target.kind === "unix"
        ? sockets.find((s) => s === resolveFrom(cwd, (opts.target as { path: string }).path))
        : undefined;
    const sock = preferred ?? sockets[0];
    if (!sock) {
      throw new ReloadPlanError(
        `no "stats socket … expose-fd listeners" in ${configFiles.join(", ")}: add it to the admin socket line, or use --mode daemon`,
        "--mode",
      );
    }
    discovered.push(`expose-fd socket: ${sock} (stats socket … expose-fd listeners)`);
    runArgv.push("-x", sock);
  } else {
    warnings.push(
      "daemon reload without expose-fd: a few connections arriving during the reload may be reset. " +
        'To avoid it, add "expose-fd listeners" to the admin "stats socket" line (e.g. "stats socket ' +
        '/run/haproxy/admin.sock mode 660 level admin expose-fd listeners") so haptop passes -x, ' +
        "or run HAProxy in master-worker mode (-W -S <master socket>).",
    );
  }
  runArgv.push("-sf", ...oldPids.map(String));
  if (args && !args.daemon) {
    warnings.push(
      `pid ${oldPid} was not started with -D (it runs in the foreground, probably under a supervisor such as systemd): ` +
        "the new process will be a daemon outside that supervisor; prefer --reload-cmd (e.g. 'systemctl reload haproxy').",
    );
  }
  if (!pidfile) warnings.push("no pidfile (-p or pidfile): the old pid comes from show info only.");
  return {
    ...base,
    masterSocket: null,
    pidfile,
    run: runArgv,
    oldPids,
    commandLines: [formatCommand(validate), formatCommand(runArgv)],
  };
}

let reloadRunning = false;

/**
 * Validates the configuration, reloads, and verifies that a fresh connection to the stats socket
 * answers with a new pid; then follows the old processes until they exit (up to drainTimeoutMs).
 * Never throws for a failed reload (ok:false with HAProxy's ALERT lines); throws SocketError when the
 * stats socket (or the master CLI) does not answer while planning (nothing is run then).
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
    oldExited: false,
    stillRunning: [],
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

async function reloadLocked(
  opts: ReloadOptions,
  result: ReloadResult,
  emit: (phase: ReloadPhase, message: string, pids?: number[]) => void,
  fail: (message: string) => ReloadResult,
  ms: () => number,
): Promise<ReloadResult> {
  const socketTimeout = opts.socketTimeoutMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const interval = opts.pollIntervalMs ?? 100;
  const drainTimeout = opts.drainTimeoutMs ?? 10_000;

  let plan: ReloadPlan;
  if (opts.plan) {
    plan = opts.plan;
    const pid = await currentPid(opts.target, socketTimeout);
    if (pid !== plan.oldPid) {
      result.plan = plan;
      return fail(`HAProxy's pid changed since the plan was made (${plan.oldPid} → ${pid}): plan again`);
    }
  } else {
    emit("plan", "finding how HAProxy runs");
    try {
      plan = await planReload(opts);
    } catch (err) {
      if (err instanceof ReloadPlanError) return fail(err.message);
      throw err;
    }
  }
  result.plan = plan;
  result.mode = plan.mode;
  result.oldPid = plan.oldPid;
  result.warnings = [...plan.warnings];
  emit("plan", `mode ${plan.mode}, running pid ${plan.oldPid}`);

  // 1. Validate.
  result.commands.push(formatCommand(plan.validate));
  emit("validate", `checking the configuration: ${formatCommand(plan.validate)}`);
  const check = await run(plan.validate, plan.cwd, 30_000);
  if (check.code !== 0) {
    result.alerts = alertLines(check.output);
    result.reply = check.output;
    const why =
      check.error ??
      result.alerts[0] ??
      (check.output.trim().split("\n").at(-1) || `exit code ${check.code}`);
    return fail(`configuration check failed, nothing reloaded: ${why}`);
  }

  // 2. Reload, 3. wait for a new pid on a fresh connection.
  let newPid: number | null = null;
  let watch: number[] = [];
  const deadline = performance.now() + timeoutMs;
  const stillServing = async (): Promise<string> => {
    try {
      const pid = await currentPid(opts.target, socketTimeout);
      return pid === plan.oldPid
        ? `old process ${pid} still serving`
        : `the stats socket now answers with pid ${pid}`;
    } catch (err) {
      return `the stats socket does not answer: ${formatError(err)}`;
    }
  };

  if (plan.mode === "master-worker") {
    const ms0 = plan.masterSocket!;
    let before: ReturnType<typeof parseShowProc>;
    try {
      before = await masterShowProc(ms0, socketTimeout);
    } catch (err) {
      return fail(`master CLI ${describeTarget(ms0)}: ${formatError(err)}`);
    }
    if (!before.master) return fail(`master CLI ${describeTarget(ms0)}: no master in show proc`);
    const reloads0 = before.master.reloads;
    const workers0 = new Set(before.workers.map((w) => w.pid));
    watch = [...workers0];
    result.commands.push(`reload   (master CLI ${describeTarget(ms0)})`);
    emit("reload", `reload on the master CLI ${describeTarget(ms0)} (master pid ${before.master.pid})`);
    let reply: string;
    try {
      reply = await sendMaster(ms0, ["reload"], Math.max(socketTimeout, 5000));
    } catch (err) {
      return fail(`master CLI ${describeTarget(ms0)}: ${formatError(err)}`);
    }
    result.reply = reply;
    if (reply.trim() !== "") return fail(`the master refused the reload: ${reply.trim().split("\n")[0]}`);
    emit("wait-new-pid", "waiting for the master to fork a new worker");
    let newWorker: number | null = null;
    let reloadFailed = false;
    let lastError = "";
    while (performance.now() < deadline) {
      try {
        const r = await masterCommandWithPrompt(ms0, "show proc", Math.min(socketTimeout, 1500));
        const proc = parseShowProc(r.output);
        // A ReloadFailed prompt left by an earlier failed reload counts only once ours is counted.
        if (proc.master && proc.master.reloads > reloads0) {
          if (r.reloadFailed) {
            reloadFailed = true;
            break;
          }
          const fresh = proc.workers.find((w) => !workers0.has(w.pid));
          if (fresh) {
            newWorker = fresh.pid;
            break;
          }
        }
      } catch (err) {
        lastError = formatError(err); // the master re-executes: its CLI is briefly unreachable
      }
      await sleep(interval);
    }
    if (reloadFailed || newWorker === null) {
      const serving = await stillServing();
      const why = reloadFailed
        ? "the master reports ReloadFailed (its ALERT lines are in HAProxy's log or journal)"
        : `no new worker within ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ""}`;
      return fail(`reload failed: ${why}; ${serving}`);
    }
    emit("new-pid", `new worker ${newWorker} forked, checking the stats socket`, [newWorker]);
    newPid = await waitNewPid(opts.target, plan.oldPid, deadline, interval, socketTimeout, newWorker);
    if (newPid === null) return fail(`new worker ${newWorker} forked, but ${await stillServing()}`);
  } else {
    const argv = plan.run!;
    result.commands.push(formatCommand(argv));
    emit("reload", `running ${formatCommand(argv)}`);
    const out = await run(argv, plan.cwd, timeoutMs);
    result.reply = out.output;
    result.alerts = alertLines(out.output);
    if (out.code !== 0) {
      const why =
        out.error ??
        result.alerts[0] ??
        (out.output.trim().split("\n").at(-1) || `${argv[0]} exited with code ${out.code}`);
      return fail(`reload failed: ${why}; ${await stillServing()}`);
    }
    watch = [...plan.oldPids];
    emit("wait-new-pid", "waiting for a new pid on the stats socket");
    newPid = await waitNewPid(opts.target, plan.oldPid, deadline, interval, socketTimeout, null);
    if (newPid === null) {
      return fail(
        `${argv[0]} exited 0 but no new pid answered within ${timeoutMs} ms: ${await stillServing()}`,
      );
    }
  }
  result.newPid = newPid;
  emit("new-pid", `pid ${newPid} answers on a fresh connection (was ${plan.oldPid})`, [newPid]);

  // 4. Old processes drain, then exit.
  let alive = await oldStillRunning(plan, watch, socketTimeout);
  if (alive.length > 0)
    emit("draining", `old process${alive.length > 1 ? "es" : ""} ${alive.join(", ")} draining`, alive);
  const drainEnd = performance.now() + drainTimeout;
  while (alive.length > 0 && performance.now() < drainEnd) {
    await sleep(Math.max(interval, 100));
    const now = await oldStillRunning(plan, watch, socketTimeout);
    const gone = alive.filter((p) => !now.includes(p));
    if (gone.length)
      emit("old-exited", `old process${gone.length > 1 ? "es" : ""} ${gone.join(", ")} exited`, gone);
    alive = now;
  }
  result.stillRunning = alive;
  result.oldExited = alive.length === 0;
  result.ok = true;
  result.message =
    `reloaded (${plan.mode}): pid ${plan.oldPid} → ${newPid}` +
    (alive.length ? `; old process${alive.length > 1 ? "es" : ""} ${alive.join(", ")} still draining` : "");
  result.durationMs = ms();
  emit("done", result.message);
  return result;
}

/** Polls `show info` on fresh connections until the pid differs from oldPid (and is `expected` when given). */
async function waitNewPid(
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

/** Old processes still alive: old workers per `show proc` in master-worker mode, else /proc. */
async function oldStillRunning(plan: ReloadPlan, pids: number[], socketTimeout: number): Promise<number[]> {
  if (plan.mode === "master-worker" && plan.masterSocket) {
    try {
      const proc = parseShowProc(await sendMaster(plan.masterSocket, ["show proc"], socketTimeout));
      const old = new Set(proc.oldWorkers.map((w) => w.pid));
      return pids.filter((p) => old.has(p));
    } catch {
      /* master CLI busy: fall back to /proc */
    }
  }
  return pids.filter((p) => isRunning(p));
}

/** Options of the future `haptop reload` subcommand. */
export interface ReloadCliOptions extends Omit<ReloadOptions, "target" | "onProgress" | "plan"> {
  /** Stats socket (HAProxy address syntax); default $HAPTOP_SOCKET, else Debian's admin socket. */
  socket?: string;
  /** Print the plan and stop. */
  dryRun?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

/**
 * `haptop reload`: prints the plan and progress to stderr and the outcome to stdout. Exit code: 0 only
 * when a new pid was verified (or --dry-run printed the plan), 1 when the reload failed or could not
 * be planned, 3 when the stats socket or master CLI is unreachable.
 */
export async function runReloadCli(opts: ReloadCliOptions): Promise<number> {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  let target: Target;
  try {
    target = resolveTarget(opts.socket, opts.env ?? process.env);
  } catch (e) {
    err.write(`haptop reload: ${formatError(e)}\n`);
    return 1;
  }
  const base: ReloadOptions = { ...opts, target };
  let plan: ReloadPlan;
  try {
    plan = await planReload(base);
  } catch (e) {
    err.write(`haptop reload: ${formatError(e)}\n`);
    return e instanceof SocketError ? 3 : 1;
  }
  err.write(`haptop reload: mode ${plan.mode}, running pid ${plan.oldPid}\n`);
  for (const line of plan.commandLines) err.write(`  $ ${line}\n`);
  for (const w of plan.warnings) err.write(`  warning: ${w}\n`);
  if (opts.dryRun) return 0;
  let res: ReloadResult;
  try {
    res = await reload({
      ...base,
      plan,
      onProgress: (s) =>
        err.write(`[${(s.elapsedMs / 1000).toFixed(1).padStart(5)}s] ${s.phase}: ${s.message}\n`),
    });
  } catch (e) {
    err.write(`haptop reload: ${formatError(e)}\n`);
    return e instanceof SocketError ? 3 : 1;
  }
  for (const a of res.alerts) err.write(`  ${a}\n`);
  if (res.ok) {
    out.write(`${res.message}\n`);
    return 0;
  }
  out.write(`${res.message}\n`);
  return 1;
}
