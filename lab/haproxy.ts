/**
 * Starting and stopping a HAProxy of any release (the binary is a parameter) on a config the caller
 * wrote, independent of what the config holds: daemon (`-D`), master-worker (`-W -S`) or foreground
 * (`-db`, our child). Always argument arrays, never a shell. Readiness is "the stats socket answers".
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pidsMentioning, sleep, stopProcesses } from "./process.js";

const SBIN_FALLBACKS = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

/** Absolute path of an executable found in $PATH, else in the sbin dirs (not on a user's PATH on Debian). */
export function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  extraDirs = SBIN_FALLBACKS,
): string | null {
  const dirs = [...(env.PATH ?? "").split(delimiter).filter(Boolean), ...extraDirs];
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

export function findHaproxy(env: NodeJS.ProcessEnv = process.env): string | null {
  return findExecutable("haproxy", env);
}

/** A fresh temp dir for one lab. Keep `parent` short: UNIX socket paths are limited to 107 bytes. */
export function makeLabDir(prefix: string, parent = tmpdir()): string {
  return mkdtempSync(join(parent, prefix));
}

export function removeLabDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Sends one command to a CLI socket and returns the whole reply ("" on any failure). */
export function cli(sock: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect({ path: sock });
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve(Buffer.concat(chunks).toString("latin1"));
    };
    const timer = setTimeout(done, timeoutMs);
    // Half-close after the command: the master CLI (2.6) closes only then.
    s.on("connect", () => s.end(`${command}\n`));
    s.on("data", (d: Buffer) => chunks.push(d));
    s.on("close", done);
    s.on("error", done);
  });
}

/** True once a stats socket answers `show info` with HAProxy's pid. */
export async function socketAnswers(sock: string): Promise<boolean> {
  return (await cli(sock, "show info", 1000)).includes("Pid:");
}

/**
 * Runs `bin -D -f cfg -p pidfile` and waits for the launcher to exit (the daemon stays). Async, not
 * spawnSync: origin servers living in this process must keep answering health checks meanwhile.
 * Appends what HAProxy printed to `logfile`; throws with it when HAProxy failed.
 */
export async function runDaemon(bin: string, cfg: string, pidfile: string, logfile: string): Promise<void> {
  const args = ["-D", "-f", cfg, "-p", pidfile];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c, output: out }));
  });
  if (output) appendLog(logfile, output);
  if (code !== 0) throw new Error(`${bin} ${args.join(" ")} failed (exit ${code}): ${output.trim()}`);
}

function appendLog(logfile: string, text: string): void {
  writeFileSync(logfile, text, { flag: "a" });
}

export type HaproxyMode = "daemon" | "master-worker" | "foreground";

export interface StartHaproxyOptions {
  /** The haproxy binary: any release (the tests pass `release.bin`). */
  bin: string;
  cfg: string;
  mode: HaproxyMode;
  /** The stats socket that must answer `show info` before `startHaproxy` resolves. */
  statsSock: string;
  /** HAProxy's stdout and stderr go here (startup warnings, alerts, reload notices). */
  logfile: string;
  /** Daemon mode: passed as `-p` (a reload passes it too; a `pidfile` line as well would be an alert). */
  pidfile?: string;
  /** Master-worker mode: the master CLI (`-S <sock>,mode,600`); it must answer `show proc` too. */
  masterSock?: string;
  /** What the lab's processes have in their command line (default: the cfg's dir and a slash). */
  needle?: string;
  /** A further readiness condition (e.g. the pidfile is written). */
  ready?: () => boolean | Promise<boolean>;
  timeoutMs?: number;
}

export interface HaproxyProcess {
  /** The master (master-worker) or the only process (foreground), our child; none in daemon mode. */
  child?: ChildProcess;
  /** What identifies the lab's processes in `ps` (see `pids`). */
  needle: string;
  /** Every haproxy process of the lab: master, workers, old workers after reloads. */
  pids(): number[];
  /** Ends them all by pid (graceful: SIGTERM rounds first) and waits until none runs. */
  stop(graceful?: boolean): Promise<void>;
}

/** Starts HAProxy and resolves once its stats socket answers; on failure kills what started and throws with its log. */
export async function startHaproxy(o: StartHaproxyOptions): Promise<HaproxyProcess> {
  const needle = o.needle ?? `${o.cfg.slice(0, o.cfg.lastIndexOf("/"))}/`;
  let child: ChildProcess | undefined;
  const proc: HaproxyProcess = {
    needle,
    pids: () => pidsMentioning(needle, true),
    stop: async (graceful = false) => {
      const extraPids = child?.pid !== undefined ? [child.pid] : [];
      await stopProcesses(needle, { graceful, extraPids });
    },
  };
  let exited: string | undefined;
  if (o.mode === "daemon") {
    if (!o.pidfile) throw new Error("daemon mode needs a pidfile");
    await runDaemon(o.bin, o.cfg, o.pidfile, o.logfile);
  } else {
    const args =
      o.mode === "master-worker"
        ? ["-W", ...(o.masterSock ? ["-S", `${o.masterSock},mode,600`] : []), "-f", o.cfg]
        : ["-db", "-f", o.cfg];
    const fd = openSync(o.logfile, "a");
    // Master-worker is detached (its own process group, as a service would run); foreground stays ours.
    child = spawn(o.bin, args, { stdio: ["ignore", fd, fd], detached: o.mode === "master-worker" });
    closeSync(fd);
    child.once("exit", (code, sig) => {
      exited = `${o.bin} ${args.join(" ")} exited (${sig ?? code}) while starting`;
    });
    child.once("error", (e) => {
      exited = `${o.bin} did not start: ${e.message}`;
    });
    proc.child = child;
  }
  const end = Date.now() + (o.timeoutMs ?? 10_000);
  for (;;) {
    if (exited) break;
    const up =
      (await socketAnswers(o.statsSock)) &&
      (!o.masterSock ||
        o.mode !== "master-worker" ||
        (await cli(o.masterSock, "show proc")).includes("worker")) &&
      (!o.ready || (await o.ready()));
    if (up) return proc;
    if (Date.now() > end) break;
    await sleep(50);
  }
  await proc.stop();
  const log = readLog(o.logfile);
  throw new Error(`${exited ?? `haproxy did not answer on ${o.statsSock} in time`}:\n${log}`);
}

function readLog(logfile: string): string {
  try {
    return readFileSync(logfile, "utf8").slice(-4000);
  } catch {
    return "";
  }
}
