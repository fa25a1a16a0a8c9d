/**
 * Process handling for the HAProxy labs (demo, tests, bench, scripts): waiting, liveness that does
 * not count zombies, signals by pid, and finding a lab's processes by their command line (a lab's
 * processes all name its temp dir, so a recorded pid that was reused since is never killed).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A value `waitFor` accepts as "done". */
export type Truthy<T> = Exclude<T, null | undefined | false | 0 | "">;

/** Polls `check` until it returns a truthy value (returned) or `timeoutMs` passes (a throwing check counts as not yet). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = "condition",
): Promise<Truthy<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v as Truthy<T>;
    } catch (e) {
      last = e;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** The state letter of /proc/<pid>/stat (R, S, D, Z, X…), or null without /proc or without that process. */
export function procState(pid: number, procRoot = "/proc"): string | null {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold blanks: the state follows the last ")".
    return stat.charAt(stat.lastIndexOf(")") + 2) || null;
  } catch {
    return null;
  }
}

/**
 * A process that runs: it exists and is not a zombie. A killed child stays in the process table
 * (state Z) until its parent reaps it, and kill(pid, 0) still succeeds on it; counting it alive
 * made stop loops spin on processes that were already dead.
 */
export function isAlive(pid: number, procRoot = "/proc"): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = procState(pid, procRoot);
  return state !== "Z" && state !== "X"; // null: no /proc (not Linux), trust kill(0)
}

export function killPid(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/** Pids in a pidfile (HAProxy writes one per line). */
export function readPids(pidfile: string): number[] {
  if (!existsSync(pidfile)) return [];
  return readFileSync(pidfile, "utf8")
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** `haproxy`, or a versioned build such as `haproxy-3.2.0` (the test matrix runs those), as argv[0]. */
const HAPROXY_ARGV0 = /^(\S*\/)?haproxy(-[\w.]+)?(\s|$)/;

/**
 * Pids in `ps -eo pid=,args=` output whose command line mentions `needle`, except `selfPid`;
 * with `haproxyOnly`, only those whose program is haproxy. Pure, for tests.
 */
export function pidsInPsOutput(ps: string, needle: string, haproxyOnly: boolean, selfPid: number): number[] {
  const pids: number[] = [];
  for (const line of ps.split("\n")) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const args = m[2]!;
    if (pid === selfPid || !args.includes(needle)) continue;
    if (haproxyOnly && !HAPROXY_ARGV0.test(args)) continue;
    pids.push(pid);
  }
  return pids;
}

/** Pids of running processes whose command line mentions `needle`; with `haproxyOnly`, only haproxy ones. */
export function pidsMentioning(needle: string, haproxyOnly = false): number[] {
  let out: string;
  try {
    out = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  } catch {
    return [];
  }
  return pidsInPsOutput(out, needle, haproxyOnly, process.pid);
}

export interface StopOptions {
  /** SIGTERM first (HAProxy's hard stop) for a few rounds, then SIGKILL; default: SIGKILL at once. */
  graceful?: boolean;
  /** Pids to end besides those found by command line (e.g. a master that is our child). */
  extraPids?: number[];
}

/**
 * Ends every haproxy process whose command line mentions `needle` (master, workers, old workers
 * after reloads), plus `extraPids`, and waits until none runs. New pids can appear while a reload
 * is in progress, so each round looks again. Returns the pids still running at the end ([] normally).
 */
export async function stopProcesses(needle: string, opts: StopOptions = {}): Promise<number[]> {
  let left: number[] = [];
  for (let round = 0; round < 30; round++) {
    left = [...new Set([...pidsMentioning(needle, true), ...(opts.extraPids ?? [])])].filter((p) =>
      isAlive(p),
    );
    if (left.length === 0) return [];
    const signal = opts.graceful && round < 5 ? "SIGTERM" : "SIGKILL";
    for (const pid of left) killPid(pid, signal);
    await sleep(100);
  }
  return left;
}
