import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  findHaproxy,
  freePorts,
  type HaproxyProcess,
  isAlive,
  killPid,
  makeLabDir,
  pidsMentioning,
  removeLabDir,
  startHaproxy,
  waitFor,
} from "../lab/index.js";

/** Every HAProxy the bench started, so an exit or a signal can still kill them (by pid). */
const running = new Set<BenchHaproxy>();

function killAll(): void {
  for (const h of running) h.kill();
}
process.once("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    killAll();
    process.exit(130);
  });
}

/** Clock ticks per second, for /proc/<pid>/stat times. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * A real HAProxy for the bench: `backends` × `serversPerBackend` servers pointing at a closed port
 * on 127.0.0.1, without health checks (so there is no check traffic), one thread, one frontend,
 * an admin UNIX stats socket. Temp dir and ports are unique; it runs in the foreground (`-db`) as
 * our child, and is killed by pid.
 */
export class BenchHaproxy {
  readonly dir = makeLabDir("haptop-bench-");
  readonly sock = join(this.dir, "admin.sock");
  readonly cfg = join(this.dir, "haproxy.cfg");
  readonly logfile = join(this.dir, "haproxy.log");
  private haproxy: HaproxyProcess | null = null;

  constructor(
    readonly backends: number,
    readonly serversPerBackend: number,
    /** The haproxy binary (default: the packaged one, found on PATH or in /usr/sbin). */
    readonly bin: string = findHaproxy() ?? "haproxy",
  ) {}

  get servers(): number {
    return this.backends * this.serversPerBackend;
  }

  get pid(): number {
    const pid = this.haproxy?.child?.pid;
    if (pid === undefined) throw new Error("haproxy not started");
    return pid;
  }

  static config(
    sock: string,
    httpPort: number,
    closedPort: number,
    backends: number,
    perBackend: number,
  ): string {
    const out: string[] = [
      "global",
      "    nbthread 1",
      `    stats socket ${sock} mode 600 level admin`,
      "    stats timeout 30s",
      "defaults",
      "    mode http",
      "    timeout connect 1s",
      "    timeout client 10s",
      "    timeout server 10s",
      "frontend fe_main",
      `    bind 127.0.0.1:${httpPort}`,
      "    default_backend be_1",
    ];
    for (let b = 1; b <= backends; b++) {
      out.push(`backend be_${b}`);
      for (let s = 1; s <= perBackend; s++) out.push(`    server srv${s} 127.0.0.1:${closedPort}`);
    }
    return `${out.join("\n")}\n`;
  }

  async start(): Promise<this> {
    const [httpPort, closedPort] = await freePorts(2);
    writeFileSync(
      this.cfg,
      BenchHaproxy.config(this.sock, httpPort!, closedPort!, this.backends, this.serversPerBackend),
    );
    running.add(this);
    // Big configs take long to parse: up to 30 s until the socket answers.
    this.haproxy = await startHaproxy({
      bin: this.bin,
      cfg: this.cfg,
      mode: "foreground",
      statsSock: this.sock,
      logfile: this.logfile,
      timeoutMs: 30_000,
    });
    return this;
  }

  /** utime + stime of the HAProxy process, in ms. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold blanks: split after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 (utime, stime) are at 11 and 12 once pid and comm are cut off.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  }

  /** Resident memory of the HAProxy process, in bytes. */
  rssBytes(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  }

  /** Kills it by pid (synchronous, for exit handlers) and removes its dir. */
  kill(): void {
    const child = this.haproxy?.child?.pid;
    for (const pid of [...pidsMentioning(`${this.dir}/`, true), ...(child !== undefined ? [child] : [])]) {
      killPid(pid);
    }
    running.delete(this);
    removeLabDir(this.dir);
  }

  /** Kills it and waits until the process is gone (a zombie counts as gone). */
  async stop(): Promise<void> {
    const child = this.haproxy?.child?.pid;
    this.kill();
    if (child !== undefined) await waitFor(() => !isAlive(child), 2000, "haproxy to exit").catch(() => {});
  }
}
