import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pidsMentioning as pidsMentioningAny } from "../../demo/lab.js";
import { defaultRelease, type Release } from "./releases.js";

/** A free TCP port on 127.0.0.1 (asked from the kernel, so unique per test run). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = "condition",
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/**
 * Every lab started in this worker, so a file's last-resort teardown can kill what they left. Labs of
 * several releases run at the same time in one worker (the version matrix), so `killAllStarted()`
 * must not kill a lab that another suite is still using: see there. Processes are found by their
 * command line (it names the lab's dir), never by a recorded pid that may have been reused since.
 */
const started = new Set<HaproxyLab>();

export function killPid(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
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

/** Every haproxy process whose command line mentions `needle` (e.g. the lab's directory). */
export function pidsMentioning(needle: string): number[] {
  return pidsMentioningAny(needle, true);
}

export interface LabOptions {
  /** Start under master-worker (`-W -S <dir>/master.sock`). */
  masterWorker?: boolean;
  /** Extra lines appended to the config (after the generated sections). */
  extra?: string;
  /** `expose-fd listeners` on the admin socket (default true). */
  exposeFd?: boolean;
  /** The HAProxy release to run (default: the packaged one, see releases.ts). */
  release?: Release;
}

/**
 * A real HAProxy on loopback for tests: two frontends, two backends, one server that answers
 * (a small Node HTTP origin in the test process) and one pointing at a closed port
 * (DOWN), admin/operator/user UNIX sockets and a TCP admin socket. Unique dir and ports per lab.
 */
export class HaproxyLab {
  readonly dir = mkdtempSync(join(tmpdir(), "haptop-lab-"));
  readonly adminSock = join(this.dir, "admin.sock");
  readonly operatorSock = join(this.dir, "operator.sock");
  readonly userSock = join(this.dir, "user.sock");
  readonly masterSock = join(this.dir, "master.sock");
  readonly cfg = join(this.dir, "haproxy.cfg");
  readonly pidfile = join(this.dir, "haproxy.pid");
  ports = { http: 0, tcp: 0, origin: 0, closed: 0, stats: 0 };
  /** What HAProxy printed on stderr while starting (warnings, alerts); see `startupLog`. */
  readonly stderrFile = join(this.dir, "haproxy.stderr");
  private master: ChildProcess | null = null;
  private origin: Server | null = null;
  private stopped = false;

  readonly release: Release;

  constructor(readonly opts: LabOptions = {}) {
    this.release = opts.release ?? defaultRelease();
  }

  /** The haproxy binary this lab runs. */
  get bin(): string {
    return this.release.bin;
  }

  get tcpStats(): string {
    return `127.0.0.1:${this.ports.stats}`;
  }

  config(): string {
    const p = this.ports;
    const expose = this.opts.exposeFd === false ? "" : " expose-fd listeners";
    return `global
    stats socket ${this.adminSock} mode 600 level admin${expose}
    stats socket ${this.operatorSock} mode 600 level operator
    stats socket ${this.userSock} mode 600 level user
    stats socket ipv4@127.0.0.1:${p.stats} level admin
${
  this.opts.masterWorker
    ? `    pidfile ${this.pidfile}
`
    : ""
}    hard-stop-after 10s
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    # Health checks of the origin (a server in the test process) read for up to 3 s: a test process
    # busy for a moment (several labs, a loaded machine) must not turn app1 DOWN.
    timeout check 3s
frontend fe_main
    bind 127.0.0.1:${p.http}
    maxconn 500
    default_backend be_app
frontend fe_tcp
    mode tcp
    bind 127.0.0.1:${p.tcp}
    default_backend be_tcp
backend be_app
    option httpchk GET /
    server app1 127.0.0.1:${p.origin} check inter 500ms
    server app_down 127.0.0.1:${p.closed} check inter 500ms fall 1
backend be_tcp
    mode tcp
    server tcp1 127.0.0.1:${p.origin}
${this.opts.extra ?? ""}
`;
  }

  /** Writes the config and starts HAProxy; resolves once the admin socket answers. */
  async start(): Promise<this> {
    const [http, tcp, origin, closed, stats] = await freePorts(5);
    this.ports = { http: http!, tcp: tcp!, origin: origin!, closed: closed!, stats: stats! };
    this.origin = createHttpServer((_req, res) => res.end("ok\n"));
    await new Promise<void>((r) => this.origin!.listen(this.ports.origin, "127.0.0.1", r));
    writeFileSync(this.cfg, this.config());
    started.add(this);
    if (this.opts.masterWorker) {
      const stderr = openSync(this.stderrFile, "a");
      this.master = spawn(this.bin, ["-W", "-S", `${this.masterSock},mode,600`, "-f", this.cfg], {
        stdio: ["ignore", "ignore", stderr],
        detached: true,
      });
      closeSync(stderr);
    } else {
      await this.startDaemon();
    }
    await waitFor(
      () => existsSync(this.adminSock) && readPids(this.pidfile).length > 0,
      5000,
      "haproxy start",
    );
    return this;
  }

  /**
   * Starts a daemon HAProxy (`-D`) on this lab's config and pidfile, as an init script would; also
   * used to bring HAProxy back after a test killed it. Throws with HAProxy's stderr when it fails.
   */
  async startDaemon(): Promise<void> {
    // Not spawnSync: the origin server lives in this process, and the labs of other releases
    // health-check it meanwhile; a blocked event loop would fail their checks.
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(this.bin, ["-D", "-f", this.cfg, "-p", this.pidfile], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stderr: err }));
    });
    writeFileSync(this.stderrFile, stderr, { flag: "a" });
    if (code !== 0) throw new Error(`${this.bin} -D -f ${this.cfg} failed (exit ${code}): ${stderr}`);
  }

  /**
   * What HAProxy wrote on stderr when it started (daemon mode: the whole startup; master-worker:
   * everything the master wrote so far). A clean lab config gives no `[WARNING]` nor `[ALERT]` line.
   */
  startupLog(): string {
    return existsSync(this.stderrFile) ? readFileSync(this.stderrFile, "utf8") : "";
  }

  /** True once `stop()` was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Pids of every haproxy process of this lab (master, workers, old workers). */
  pids(): number[] {
    return pidsMentioning(this.dir);
  }

  /** Kills every process of this lab, by pid, and removes its directory. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (let i = 0; i < 3; i++) {
      const pids = [...new Set([...this.pids(), ...(this.master?.pid ? [this.master.pid] : [])])].filter(
        isAlive,
      );
      if (pids.length === 0) break;
      for (const pid of pids) killPid(pid);
      await sleep(100);
    }
    this.origin?.closeAllConnections();
    await new Promise<void>((r) => (this.origin ? this.origin.close(() => r()) : r()));
    this.origin = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Sends `n` HTTP GETs, one connection each, and returns how many answered 200. */
export async function httpGets(port: number, n: number, path = "/"): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { connection: "close" } });
    await res.text();
    if (res.status === 200) ok++;
  }
  return ok;
}

/**
 * Last-resort cleanup for a test file: kills whatever a stopped lab left running. Labs still running
 * are left alone: suites of other releases run at the same time in this worker and use theirs.
 * Whatever is left when the worker exits is killed then (below).
 */
export function killAllStarted(): void {
  for (const lab of started) {
    if (!lab.isStopped) continue;
    for (const pid of lab.pids()) killPid(pid);
    started.delete(lab);
  }
}

process.once("exit", () => {
  for (const lab of started) for (const pid of lab.pids()) killPid(pid);
});
