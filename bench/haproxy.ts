import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/helpers/haproxy.js";
import { sleep } from "./stats.js";

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
  readonly dir = mkdtempSync(join(tmpdir(), "haptop-bench-"));
  readonly sock = join(this.dir, "admin.sock");
  readonly cfg = join(this.dir, "haproxy.cfg");
  private child: ChildProcess | null = null;
  private stderr = "";

  constructor(
    readonly backends: number,
    readonly serversPerBackend: number,
  ) {}

  get servers(): number {
    return this.backends * this.serversPerBackend;
  }

  get pid(): number {
    const pid = this.child?.pid;
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
    const [httpPort, closedPort] = [await freePort(), await freePort()];
    writeFileSync(
      this.cfg,
      BenchHaproxy.config(this.sock, httpPort, closedPort, this.backends, this.serversPerBackend),
    );
    running.add(this);
    this.child = spawn("haproxy", ["-db", "-f", this.cfg], { stdio: ["ignore", "ignore", "pipe"] });
    this.child.stderr?.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) =>
      this.child?.once("exit", (code) =>
        reject(new Error(`haproxy exited (${code}) while starting: ${this.stderr.trim()}`)),
      ),
    );
    exited.catch(() => {});
    const end = Date.now() + 30_000;
    while (!existsSync(this.sock)) {
      if (Date.now() > end) throw new Error(`haproxy did not open ${this.sock} within 30 s: ${this.stderr}`);
      await Promise.race([sleep(20), exited]);
    }
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

  kill(): void {
    const pid = this.child?.pid;
    if (pid !== undefined && this.child?.exitCode === null) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    running.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills it and waits until the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    const gone =
      child && child.exitCode === null && child.signalCode === null
        ? new Promise<void>((r) => child.once("exit", () => r()))
        : Promise.resolve();
    this.kill();
    await Promise.race([gone, sleep(2000)]);
  }
}
