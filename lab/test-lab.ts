/**
 * The test lab: a HAProxy config for the integration and e2e suites (and scripts/capture-fixtures.ts)
 * on top of the lab toolkit (ports, start by binary and mode, readiness, stop by pid, zombie-aware
 * liveness). test/helpers/haproxy.ts re-exports it with the toolkit's helpers.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { join } from "node:path";
import {
  freePorts,
  type HaproxyProcess,
  killPid,
  makeLabDir,
  pidsMentioning as pidsMentioningAny,
  readPids,
  removeLabDir,
  runDaemon,
  startHaproxy,
  stopProcesses,
} from "./index.js";
import { defaultRelease, type Release } from "./releases.js";

/**
 * Every lab started in this worker, so a file's last-resort teardown can kill what they left. Labs of
 * several releases run at the same time in one worker (the version matrix), so `killAllStarted()`
 * must not kill a lab that another suite is still using: see there. Processes are found by their
 * command line (it names the lab's dir), never by a recorded pid that may have been reused since.
 */
const started = new Set<HaproxyLab>();

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
  readonly dir = makeLabDir("haptop-lab-");
  readonly adminSock = join(this.dir, "admin.sock");
  readonly operatorSock = join(this.dir, "operator.sock");
  readonly userSock = join(this.dir, "user.sock");
  readonly masterSock = join(this.dir, "master.sock");
  readonly cfg = join(this.dir, "haproxy.cfg");
  readonly pidfile = join(this.dir, "haproxy.pid");
  ports = { http: 0, tcp: 0, origin: 0, closed: 0, stats: 0 };
  /** What HAProxy printed on stderr while starting (warnings, alerts); see `startupLog`. */
  readonly stderrFile = join(this.dir, "haproxy.stderr");
  private haproxy: HaproxyProcess | null = null;
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

  /**
   * Writes the config and starts HAProxy; resolves once the admin socket answers. Ports are free
   * when chosen, but labs of four releases start at once: when another process took one in
   * between (HAProxy's "Address already in use"), it starts again on new ports, three times at most.
   */
  async start(): Promise<this> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce();
      } catch (e) {
        if (attempt >= 3 || !/Address already in use/.test(String(e))) throw e;
        await new Promise<void>((r) => (this.origin ? this.origin.close(() => r()) : r()));
        this.origin = null;
      }
    }
  }

  private async startOnce(): Promise<this> {
    const [http, tcp, origin, closed, stats] = await freePorts(5);
    this.ports = { http: http!, tcp: tcp!, origin: origin!, closed: closed!, stats: stats! };
    this.origin = createHttpServer((_req, res) => res.end("ok\n"));
    await new Promise<void>((r) => this.origin!.listen(this.ports.origin, "127.0.0.1", r));
    writeFileSync(this.cfg, this.config());
    started.add(this);
    this.haproxy = await startHaproxy({
      bin: this.bin,
      cfg: this.cfg,
      mode: this.opts.masterWorker ? "master-worker" : "daemon",
      statsSock: this.adminSock,
      logfile: this.stderrFile,
      pidfile: this.opts.masterWorker ? undefined : this.pidfile,
      masterSock: this.opts.masterWorker ? this.masterSock : undefined,
      needle: `${this.dir}/`,
      ready: () => readPids(this.pidfile).length > 0,
    });
    return this;
  }

  /**
   * Starts a daemon HAProxy (`-D`) on this lab's config and pidfile, as an init script would; also
   * used to bring HAProxy back after a test killed it. Throws with HAProxy's stderr when it fails.
   */
  async startDaemon(): Promise<void> {
    await runDaemon(this.bin, this.cfg, this.pidfile, this.stderrFile);
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
    return pidsMentioning(`${this.dir}/`);
  }

  /** Kills every process of this lab, by pid, and removes its directory. */
  async stop(): Promise<void> {
    this.stopped = true;
    const master = this.haproxy?.child?.pid;
    await stopProcesses(`${this.dir}/`, { extraPids: master !== undefined ? [master] : [] });
    this.origin?.closeAllConnections();
    await new Promise<void>((r) => (this.origin ? this.origin.close(() => r()) : r()));
    this.origin = null;
    removeLabDir(this.dir);
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
