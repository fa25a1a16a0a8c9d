/**
 * A self-contained HAProxy lab on loopback: a config in a temp dir, HAProxy (daemon or
 * master-worker), Node origin servers and a bounded traffic generator. `stop()` ends everything it
 * started, by pid, and removes the directory.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import {
  type Closable,
  type Flapper,
  type HttpProfile,
  startEchoBackend,
  startFlappingBackend,
  startHttpBackend,
} from "./backends.js";
import { startTraffic, type Traffic, type TrafficOptions } from "./traffic.js";

export interface LabOptions {
  /** Master-worker mode (`-W -S <dir>/master.sock`) instead of daemon mode (`-D`). */
  masterWorker?: boolean;
  /** Parent directory of the lab's temp dir (default: the OS temp dir). Keep it short: socket paths are limited to 107 bytes. */
  dir?: string;
  /** Progress messages. */
  log?: (s: string) => void;
  /** The haproxy binary (default: found on PATH, then in /usr/sbin and /usr/local/sbin). */
  haproxyBin?: string;
  /** Traffic generator settings; `false` starts no traffic. */
  traffic?: TrafficOptions | false;
}

export interface Lab {
  dir: string;
  adminSock: string;
  userSock: string;
  /** The master CLI socket, in master-worker mode. */
  masterSock?: string;
  masterWorker: boolean;
  cfg: string;
  pidfile: string;
  haproxyBin: string;
  /** HAProxy's stdout/stderr in master-worker mode (startup messages, reload notices). */
  logfile: string;
  /** Frontend ports on 127.0.0.1. */
  ports: { web: number; api: number; tcp: number };
  /** Origin server ports by HAProxy server name. */
  servers: Record<string, number>;
  traffic?: Traffic;
  /** Ends the traffic, every HAProxy process of the lab (by pid), the origins; removes `dir`. */
  stop(): Promise<void>;
  /** Pids of every HAProxy process of this lab (master, workers, old workers after reloads). */
  pids(): number[];
}

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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1, asked from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
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

/** Pids of processes whose command line mentions `needle`; with `haproxyOnly`, only haproxy ones. */
export function pidsMentioning(needle: string, haproxyOnly = false): number[] {
  let out: string;
  try {
    out = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const line of out.split("\n")) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const args = m[2]!;
    if (pid === process.pid || !args.includes(needle)) continue;
    // `haproxy`, or a versioned build such as `haproxy-3.2.0` (the test matrix runs those).
    if (haproxyOnly && !/(^|\/)haproxy(-[\w.]+)?\s/.test(args)) continue;
    pids.push(pid);
  }
  return pids;
}

/** A process that runs: exists and is not a zombie (a killed process not yet reaped by its parent). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

function kill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone already */
  }
}

/**
 * A watchdog process (plain Node, no tsx; its script is written into the lab dir) that removes the lab if the demo process dies without
 * cleaning up (e.g. SIGKILL): it kills the lab's HAProxy processes and removes the directory.
 * It exits by itself once the directory is gone.
 */
const WATCHDOG = `
const [dir, parent] = process.argv.slice(2);
const { execFileSync } = require("node:child_process");
const { existsSync, rmSync } = require("node:fs");
const { readFileSync } = require("node:fs");
const alive = (p) => {
  try { process.kill(p, 0); } catch { return false; }
  try { const s = readFileSync("/proc/" + p + "/stat", "utf8"); return !/^[ZX]/.test(s.slice(s.lastIndexOf(")") + 2)); } catch { return true; }
};
setInterval(() => {
  if (!existsSync(dir)) process.exit(0);
  if (alive(Number(parent))) return;
  const ps = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  for (const line of ps.split("\\n")) {
    const m = /^\\s*(\\d+)\\s+(.*)$/.exec(line);
    if (m && m[2].includes(dir + "/") && /(^|\\/)haproxy\\s/.test(m[2])) {
      try { process.kill(Number(m[1]), "SIGKILL"); } catch {}
    }
  }
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}, 1000);
`;

interface Ports {
  web: number;
  api: number;
  tcp: number;
}

function config(dir: string, ports: Ports, srv: Record<string, number>, masterWorker: boolean): string {
  const s = (name: string) => `127.0.0.1:${srv[name]}`;
  // The pidfile: in daemon mode from `-p` (as a reload passes it too; both would be an alert).
  return `# haptop demo lab: generated by demo/lab.ts, removed when the demo stops.
global
    stats socket ${dir}/admin.sock mode 600 level admin expose-fd listeners
    stats socket ${dir}/user.sock mode 600 level user
${masterWorker ? `    pidfile ${dir}/haproxy.pid\n` : ""}    hard-stop-after 30s
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout queue 4s
    timeout http-request 10s
    timeout http-keep-alive 2s
    timeout check 2s
    retries 2
    option redispatch
    default-server inter 1s fall 2 rise 2

frontend fe_web
    bind 127.0.0.1:${ports.web}
    maxconn 200
    use_backend be_slow if { path_beg /slow }
    default_backend be_web

frontend fe_api
    bind 127.0.0.1:${ports.api}
    maxconn 20
    default_backend be_api

frontend fe_tcp
    mode tcp
    bind 127.0.0.1:${ports.tcp}
    maxconn 100
    timeout client 2m
    default_backend be_tcp

backend be_web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health ver HTTP/1.1 hdr host demo.local
    http-check expect status 200
    server web1 ${s("web1")} check
    server web2 ${s("web2")} check
    server web3 ${s("web3")} check
    server web4 ${s("web4")} check backup

backend be_api
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health ver HTTP/1.1 hdr host demo.local
    http-check expect status 200
    server api1 ${s("api1")} check maxconn 3
    server api2 ${s("api2")} check maxconn 12

backend be_slow
    timeout server 20s
    option httpchk
    http-check send meth GET uri /health ver HTTP/1.1 hdr host demo.local
    http-check expect status 200
    server slow1 ${s("slow1")} check
    server slow2 ${s("slow2")} check

backend be_tcp
    mode tcp
    timeout server 2m
    balance leastconn
    server echo1 ${s("echo1")} check
    server echo2 ${s("echo2")} check
`;
}

const PROFILES: HttpProfile[] = [
  { name: "web1", latencyMs: [2, 30], tailShare: 0.02, share500: 0.005, share503: 0.003 },
  { name: "web2", latencyMs: [5, 60], tailShare: 0.04, share500: 0.03, share503: 0.01 },
  { name: "web4", latencyMs: [10, 80], tailShare: 0.02, share500: 0.005 },
  { name: "api1", latencyMs: [50, 300], tailShare: 0.03, share500: 0.02, share503: 0.01 },
  { name: "api2", latencyMs: [50, 250], tailShare: 0.03, share500: 0.01, share503: 0.005 },
  { name: "slow1", latencyMs: [1000, 2000], share500: 0.01 },
  { name: "slow2", latencyMs: [1000, 2000], share503: 0.03 },
];
const FLAPPER: HttpProfile = { name: "web3", latencyMs: [2, 40], tailShare: 0.02, share500: 0.005 };

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const log = opts.log ?? (() => {});
  const haproxyBin = opts.haproxyBin ?? findHaproxy();
  if (!haproxyBin) throw new Error("haproxy not found on PATH (install it: sudo apt-get install haproxy)");
  const masterWorker = opts.masterWorker === true;
  const dir = mkdtempSync(join(opts.dir ?? tmpdir(), "haptop-demo-"));
  const adminSock = join(dir, "admin.sock");
  const userSock = join(dir, "user.sock");
  const masterSock = join(dir, "master.sock");
  const cfg = join(dir, "haproxy.cfg");
  const pidfile = join(dir, "haproxy.pid");
  const logfile = join(dir, "haproxy.log");

  const origins: Closable[] = [];
  let traffic: Traffic | undefined;
  let master: number | undefined;
  let watchdog: number | undefined;

  const pids = () => pidsMentioning(`${dir}/`, true);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      traffic?.stop();
      // SIGTERM (HAProxy's hard stop), then SIGKILL whatever is left; new pids can appear while a
      // reload is in progress, so look again each round.
      for (let round = 0; round < 20; round++) {
        const left = [...new Set([...pids(), ...(master ? [master] : [])])].filter(isRunning);
        if (left.length === 0) break;
        for (const pid of left) kill(pid, round < 5 ? "SIGTERM" : "SIGKILL");
        await sleep(100);
      }
      await Promise.all(origins.map((o) => o.close()));
      if (watchdog) kill(watchdog, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      log(`lab stopped, ${dir} removed`);
    })();
    return stopping;
  };

  try {
    // Origins first: their ports go into the config.
    for (const p of PROFILES) origins.push(await startHttpBackend(p));
    const flapper: Flapper = await startFlappingBackend(FLAPPER, {
      upMs: [12_000, 20_000],
      downMs: [8_000, 14_000],
    });
    origins.push(flapper);
    origins.push(await startEchoBackend("echo1"), await startEchoBackend("echo2"));
    const servers = Object.fromEntries(origins.map((o) => [o.name, o.port]));

    const taken = new Set(Object.values(servers));
    const pick = async () => {
      for (;;) {
        const p = await freePort();
        if (!taken.has(p)) {
          taken.add(p);
          return p;
        }
      }
    };
    const ports: Ports = { web: await pick(), api: await pick(), tcp: await pick() };
    writeFileSync(cfg, config(dir, ports, servers, masterWorker));

    writeFileSync(join(dir, "watchdog.cjs"), WATCHDOG);
    const wd = spawn(process.execPath, [join(dir, "watchdog.cjs"), dir, String(process.pid)], {
      detached: true,
      stdio: "ignore",
    });
    wd.unref();
    watchdog = wd.pid;

    if (masterWorker) {
      log(`starting ${haproxyBin} -W -S ${masterSock},mode,600 -f ${cfg}`);
      const fd = openSync(logfile, "a");
      const child = spawn(haproxyBin, ["-W", "-S", `${masterSock},mode,600`, "-f", cfg], {
        detached: true,
        stdio: ["ignore", fd, fd],
      });
      closeSync(fd);
      child.unref();
      master = child.pid;
      let exited: string | undefined;
      child.once("exit", (code, sig) => {
        exited = `haproxy exited (${sig ?? code}) during startup`;
      });
      await waitUntil(
        async () => {
          if (exited) throw new Error(`${exited}:\n${readFileSync(logfile, "utf8")}`);
          return (
            (await cli(masterSock, "show proc")).includes("worker") &&
            (await cli(adminSock, "show info")).includes("Pid:")
          );
        },
        8000,
        "haproxy (master-worker) to answer on its sockets",
      );
    } else {
      log(`starting ${haproxyBin} -D -f ${cfg} -p ${pidfile}`);
      await new Promise<void>((resolve, reject) => {
        execFile(haproxyBin, ["-D", "-f", cfg, "-p", pidfile], (err, stdout, stderr) => {
          if (stdout || stderr) writeFileSync(logfile, stdout + stderr);
          if (err) reject(new Error(`haproxy failed to start: ${(stderr || stdout || err.message).trim()}`));
          else resolve();
        });
      });
      await waitUntil(
        async () => existsSync(pidfile) && (await cli(adminSock, "show info")).includes("Pid:"),
        8000,
        "haproxy to answer on its admin socket",
      );
    }
    log(`haproxy is up (pids ${pids().join(" ")})`);

    if (opts.traffic !== false) traffic = startTraffic(ports, opts.traffic ?? {});

    return {
      dir,
      adminSock,
      userSock,
      masterSock: masterWorker ? masterSock : undefined,
      masterWorker,
      cfg,
      pidfile,
      haproxyBin,
      logfile,
      ports,
      servers,
      traffic,
      stop,
      pids,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
