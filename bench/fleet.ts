/**
 * The fleet bench (issue 14): haptop watching many load balancers at once, in a real terminal.
 *
 *   npx tsx bench/fleet.ts [--targets=10,25,50] [--prom=200] [--window=10] [--keys=20]
 *
 * - Socket fleet: N real HAProxy processes on loopback (2 backends × 5 servers each, one thread,
 *   an admin socket), haptop started with the N sockets in tmux (160×45, 1 s interval). Per N:
 *   haptop's CPU per tick (/proc utime+stime over the window), RSS, key → screen (a Down key until
 *   the terminal receives bytes). Then one target is killed: the same figures again (a dead target
 *   must cost only its own timeout).
 * - Prometheus: M HAProxy processes with the exporter, one real Prometheus scraping them every 1 s,
 *   `haptop --prometheus` in tmux: the same figures (ticks are Prometheus refreshes).
 * Everything listens on 127.0.0.1 and is killed by pid at the end (also on Ctrl-C).
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  findHaproxy,
  freePorts,
  type HaproxyProcess,
  killPid,
  makeLabDir,
  pidsMentioning,
  removeLabDir,
  sleep,
  startHaproxy,
} from "../lab/index.js";
import { findPrometheus, type PrometheusLab, startPrometheus } from "../lab/prometheus.js";
import { TmuxTerm } from "../lab/tmux.js";
import { CLK_TCK } from "./haproxy.js";

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const SIZES = arg("targets", "10,25,50").split(",").map(Number);
const PROM = Number(arg("prom", "200"));
const WINDOW_S = Number(arg("window", "10"));
const KEYS = Number(arg("keys", "20"));
const CLI = join(import.meta.dirname, "..", "dist", "cli.js");

/** A small HAProxy for the fleet: its own dir, socket and (optionally) exporter port. */
class SmallHaproxy {
  readonly dir = makeLabDir("haptop-fleet-");
  readonly sock = join(this.dir, "admin.sock");
  exporterPort = 0;
  private proc: HaproxyProcess | null = null;

  async start(withExporter: boolean): Promise<this> {
    const [http, closed, exporter] = await freePorts(3);
    this.exporterPort = exporter!;
    const servers = () =>
      Array.from({ length: 5 }, (_, s) => `    server srv${s + 1} 127.0.0.1:${closed}`).join("\n");
    const cfg = join(this.dir, "haproxy.cfg");
    writeFileSync(
      cfg,
      `global
    nbthread 1
    stats socket ${this.sock} mode 600 level admin
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe_main
    bind 127.0.0.1:${http}
    default_backend be_1
${withExporter ? `frontend prom\n    bind 127.0.0.1:${exporter}\n    http-request use-service prometheus-exporter if { path /metrics }\n` : ""}backend be_1
${servers()}
backend be_2
${servers()}
`,
    );
    this.proc = await startHaproxy({
      bin: findHaproxy() ?? "haproxy",
      cfg,
      mode: "foreground",
      statsSock: this.sock,
      logfile: join(this.dir, "haproxy.log"),
    });
    return this;
  }

  kill(): void {
    const child = this.proc?.child?.pid;
    for (const pid of [...pidsMentioning(`${this.dir}/`, true), ...(child !== undefined ? [child] : [])])
      killPid(pid);
    removeLabDir(this.dir);
  }
}

const started: SmallHaproxy[] = [];
let prom: PrometheusLab | null = null;
const cleanup = () => {
  for (const h of started) h.kill();
  void prom?.stop();
};
process.once("exit", cleanup);
process.once("SIGINT", () => {
  cleanup();
  process.exit(130);
});

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}
const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN) / 1024;

/** The haptop process: the child of the pane's shell running node on dist/cli.js. */
async function haptopPid(term: TmuxTerm): Promise<number> {
  for (let i = 0; i < 400; i++) {
    try {
      const kids = readFileSync(`/proc/${term.pid}/task/${term.pid}/children`, "utf8").trim().split(/\s+/);
      for (const k of kids)
        if (Number(k) > 0 && readFileSync(`/proc/${k}/cmdline`, "utf8").includes("cli.js")) return Number(k);
    } catch {
      /* not yet */
    }
    await sleep(10);
  }
  throw new Error("haptop did not start");
}

function rawBytes(term: TmuxTerm): number {
  try {
    return statSync((term as unknown as { rawFile: string }).rawFile).size;
  } catch {
    return 0;
  }
}

async function keyLatencies(term: TmuxTerm): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    await sleep(150 + ((i * 137) % 400));
    const before = rawBytes(term);
    const t0 = performance.now();
    await term.sendKeys(i % 2 ? "Up" : "Down");
    while (rawBytes(term) === before && performance.now() - t0 < 5000) await sleep(2);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

interface Figures {
  label: string;
  cpuPerTick: number;
  rss: number;
  keyP50: number;
  keyP99: number;
}

async function measure(term: TmuxTerm, pid: number, label: string, tickMs: number): Promise<Figures> {
  const c0 = cpuMs(pid);
  await sleep(WINDOW_S * 1000);
  const cpuPerTick = (cpuMs(pid) - c0) / ((WINDOW_S * 1000) / tickMs);
  const keys = await keyLatencies(term);
  return { label, cpuPerTick, rss: rssMiB(pid), keyP50: pct(keys, 0.5), keyP99: pct(keys, 0.99) };
}

async function socketFleet(n: number): Promise<Figures[]> {
  while (started.length < n) started.push(await new SmallHaproxy().start(false));
  const socks = started.slice(0, n).map((h) => h.sock);
  const term = await TmuxTerm.start([process.execPath, CLI, "-i", "1", ...socks], {
    cols: 160,
    rows: 45,
    raw: true,
  });
  try {
    await term.waitFor(new RegExp(`${n} load balancers`), 30_000);
    await term.waitFor((s) => !/\bconnecting\b/.test(s) && /updated \d+s ago/.test(s), 30_000);
    const pid = await haptopPid(term);
    const healthy = await measure(term, pid, `${n} targets`, 1000);
    // One target dies: its row turns DOWN; the others must not slow down.
    const victim = started[n - 1]!;
    victim.kill();
    started.splice(n - 1, 1);
    await term.waitFor(/1 unreachable/, 15_000);
    const oneDead = await measure(term, pid, `${n} targets, 1 dead`, 1000);
    return [healthy, oneDead];
  } finally {
    term.close();
  }
}

async function promFleet(m: number): Promise<Figures> {
  const hs: SmallHaproxy[] = [];
  for (let i = 0; i < m; i++) hs.push(await new SmallHaproxy().start(true));
  started.push(...hs);
  prom = await startPrometheus(
    hs.map((h) => `127.0.0.1:${h.exporterPort}`),
    { scrapeSec: 1 },
  );
  const term = await TmuxTerm.start([process.execPath, CLI, "--prometheus", prom.url], {
    cols: 160,
    rows: 45,
    raw: true,
  });
  try {
    await term.waitFor(new RegExp(`${m} load balancers`), 60_000);
    const pid = await haptopPid(term);
    return await measure(term, pid, `prometheus, ${m} instances`, 1000);
  } finally {
    term.close();
  }
}

async function main(): Promise<void> {
  const results: Figures[] = [];
  for (const n of SIZES) results.push(...(await socketFleet(n)));
  for (const h of started.splice(0)) h.kill();
  if (PROM > 0 && findPrometheus()) results.push(await promFleet(PROM));
  console.log("\n| run | haptop CPU per tick | per target | RSS | key→screen p50 | p99 |");
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    const n = Number(/^(\d+)/.exec(r.label)?.[1] ?? Number.NaN);
    const per = Number.isFinite(n) ? `${(r.cpuPerTick / n).toFixed(2)} ms` : "-";
    console.log(
      `| ${r.label} | ${r.cpuPerTick.toFixed(1)} ms | ${per} | ${r.rss.toFixed(0)} MiB | ${r.keyP50.toFixed(0)} ms | ${r.keyP99.toFixed(0)} ms |`,
    );
  }
  const worst = Math.max(...results.map((r) => r.keyP99));
  console.log(
    `\nkey → screen p99 ≤ 100 ms: ${worst <= 100 ? "met" : `NOT met (worst ${worst.toFixed(0)} ms)`}`,
  );
}

main().then(
  () => {
    cleanup();
    process.exit(0);
  },
  (e) => {
    console.error(e);
    cleanup();
    process.exit(1);
  },
);
