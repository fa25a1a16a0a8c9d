/**
 * haptop and hatop side by side (issue 12.6), in one run, on the same HAProxy, in a real terminal
 * (tmux, 160×45), 1 s interval, steady data (no traffic, no checks):
 *
 *   node --import tsx bench/sidebyside.ts [--scales=1000,10000,50000] [--window=10] [--keys=20]
 *        [--settle=4] [--tools=haptop,hatop,haptop-ink] [--no-build] [--md]
 *        [--cli=/tmp/other-build.js] [--node-args=--cpu-prof,--cpu-prof-dir=/tmp/prof] [--haproxy-age=0]
 *
 * For each size it starts HAProxy (bench/haproxy.ts), then each monitor in its own tmux server
 * (test/e2e/tmux.ts), and measures over a window of steady ticks:
 * - terminal bytes per tick: every byte the monitor writes, recorded by tmux pipe-pane;
 * - monitor CPU per tick and HAProxy CPU per tick: utime+stime from /proc/<pid>/stat;
 * - RSS (/proc/<pid>/status) at the end of its run;
 * - launch → first data: from the process's start (/proc starttime) to a screen showing fe_main;
 * - key → screen: `Down` sent with tmux send-keys, until the terminal receives new bytes.
 * haptop runs from the bundled build (dist/cli.js, as `npm pack` ships it), in its frontends view
 * and then its backends view. `haptop-ink` is the same build with HAPTOP_RENDERER=ink (Ink's own
 * writer), the "before" of the cell-diffing writer. hatop is Debian's package (/usr/bin/hatop).
 * --cli runs another build of haptop instead of dist/cli.js (e.g. a "before" build, or the unminified
 * `scripts/build.ts --profile=<file>` one) and skips the build; --node-args (comma-separated) go to
 * node before it, e.g. --cpu-prof to profile the very run that is measured.
 * Loopback only; every process is killed by pid (tmux servers by their own socket, HAProxy by pid).
 * It prints a table, then for each target of issue 12 and each haptop build of the run: MET with the
 * figure, or MISS with the figure, the gap and the one-line explanation from the profiles (WHY); it asserts nothing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, TmuxTerm } from "../lab/tmux.js";
import { BenchHaproxy, CLK_TCK } from "./haproxy.js";
import { sleep, summarize } from "./stats.js";
import { printTargets } from "./targets.js";

const arg = (name: string, def: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const flag = (name: string) => process.argv.includes(`--${name}`);

const SCALES = arg("scales", "1000,10000,50000").split(",").map(Number);
const WINDOW_S = Number(arg("window", "10"));
const KEYS = Number(arg("keys", "20"));
// Seconds between first data and the first window: haptop's sparklines fill (and scroll) for their
// width's worth of ticks before its screen is as steady as the data.
const SETTLE_S = Number(arg("settle", "4"));
const TOOLS = arg("tools", "haptop,hatop").split(",");
// Seconds HAProxy has been up before the first monitor starts: past a minute, haptop's LASTCHG column
// shows whole minutes (as on a HAProxy that has been running a while) instead of ticking seconds.
const HAPROXY_AGE_S = Number(arg("haproxy-age", "0"));
const CLI = arg("cli", "");
const NODE_ARGS = arg("node-args", "").split(",").filter(Boolean);
const COLS = 160;
const ROWS = 45;
const log = (msg: string) => process.stderr.write(`[sidebyside] ${msg}\n`);

interface ProcStat {
  cpuMs: number;
  startMs: number;
}

/** utime+stime and the start time (ms since boot) of a process, from /proc/<pid>/stat. */
function procStat(pid: number): ProcStat {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return {
    cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK,
    startMs: (Number(f[19]) * 1000) / CLK_TCK,
  };
}

const uptimeMs = () => Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1000;
const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN) / 1024;

/**
 * The monitor: the child of the pane's wrapper shell (test/e2e/tmux.ts starts it that way) whose
 * command line names the stats socket. (Matching the command line, not "the first child", skips
 * the wrapper's `sleep` and a child caught between fork and exec.)
 */
async function monitorPid(term: TmuxTerm, sock: string): Promise<number> {
  const shell = term.pid;
  if (!shell) throw new Error("no pane pid");
  for (let i = 0; i < 400; i++) {
    try {
      const kids = readFileSync(`/proc/${shell}/task/${shell}/children`, "utf8").trim().split(/\s+/);
      for (const kid of kids) {
        const pid = Number(kid);
        if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(sock)) return pid;
      }
    } catch {
      /* not yet */
    }
    await sleep(5);
  }
  throw new Error("the monitor did not start");
}

/** Bytes recorded so far by pipe-pane (the file's size: reading it whole on every poll would cost). */
function rawBytes(term: TmuxTerm): number {
  // TmuxTerm keeps the path private; the bench only stats the file.
  const file = (term as unknown as { rawFile: string }).rawFile;
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export interface Window {
  bytesPerTick: number;
  cpuPerTick: number;
  haproxyCpuPerTick: number;
}

async function measureWindow(term: TmuxTerm, pid: number, h: BenchHaproxy): Promise<Window> {
  const b0 = rawBytes(term);
  const c0 = procStat(pid).cpuMs;
  const h0 = h.cpuMs();
  await sleep(WINDOW_S * 1000);
  const ticks = WINDOW_S;
  return {
    bytesPerTick: (rawBytes(term) - b0) / ticks,
    cpuPerTick: (procStat(pid).cpuMs - c0) / ticks,
    haproxyCpuPerTick: (h.cpuMs() - h0) / ticks,
  };
}

/** Sends `Down` KEYS times at irregular phases of the tick; ms until the terminal gets new bytes. */
async function keyLatencies(term: TmuxTerm): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    await sleep(150 + ((i * 137) % 400));
    const before = rawBytes(term);
    const t0 = performance.now();
    await term.sendKeys("Down");
    const end = t0 + 5000;
    while (rawBytes(term) === before && performance.now() < end) await sleep(2);
    out.push(performance.now() - t0);
  }
  return out;
}

export interface Result {
  tool: string;
  servers: number;
  firstFrameMs: number;
  firstDataMs: number;
  frontends: Window;
  backends: Window | null;
  keys: number[];
  rss: number;
}

function command(tool: string, sock: string): { args: string[]; env: Record<string, string> } {
  if (tool === "hatop") return { args: ["/usr/bin/hatop", "-s", sock, "-i", "1"], env: {} };
  const env: Record<string, string> = tool === "haptop-ink" ? { HAPTOP_RENDERER: "ink" } : {};
  // `label=<file>`: haptop from another build, e.g. --tools=before=/tmp/a/dist/cli.js,after=dist/cli.js
  // (one after the other on the same HAProxy, so the machine's load drifts less between them).
  const at = tool.indexOf("=");
  const cli = at > 0 ? tool.slice(at + 1) : CLI || join(ROOT, "dist", "cli.js");
  return { args: [process.execPath, ...NODE_ARGS, cli, "-i", "1", sock], env };
}

async function runTool(tool: string, h: BenchHaproxy): Promise<Result> {
  const { args, env } = command(tool, h.sock);
  const term = await TmuxTerm.start(args, { cols: COLS, rows: ROWS, env, raw: true });
  let pid = 0;
  try {
    pid = await monitorPid(term, h.sock);
    const started = procStat(pid).startMs;
    // Launch → first frame (anything on screen) and → first data: polled every 20 ms (each capture
    // is a tmux client: keep it sparse).
    let firstFrameMs = Number.NaN;
    let firstDataMs = Number.NaN;
    for (const end = Date.now() + 60_000; Date.now() < end; await sleep(20)) {
      const screen = await term.screen();
      if (Number.isNaN(firstFrameMs) && screen.trim() !== "") firstFrameMs = uptimeMs() - started;
      if (/fe_main/.test(screen)) {
        firstDataMs = uptimeMs() - started;
        break;
      }
    }
    if (Number.isNaN(firstDataMs)) throw new Error(`${tool}: no data on screen within 60 s`);
    // Steady state: past the first polls (and haptop's first full poll at large sizes).
    await sleep(SETTLE_S * 1000);
    const frontends = await measureWindow(term, pid, h);
    let backends: Window | null = null;
    if (tool !== "hatop") {
      await term.sendKeys("2");
      await term.waitFor(/be_1\b/, 30_000, "the backends view");
      await sleep(3000);
      backends = await measureWindow(term, pid, h);
    }
    const keys = await keyLatencies(term);
    return {
      tool,
      servers: h.servers,
      firstFrameMs,
      firstDataMs,
      frontends,
      backends,
      keys,
      rss: rssMiB(pid),
    };
  } finally {
    // With --node-args (--cpu-prof), let the monitor exit by itself (SIGTERM: haptop exits cleanly) so
    // node writes its profile: closing the terminal kills it with SIGKILL right after the hang-up.
    if (pid > 0 && NODE_ARGS.length > 0 && tool !== "hatop") await stopGently(pid);
    term.close();
  }
}

async function stopGently(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let i = 0; i < 500 && existsSync(`/proc/${pid}/stat`); i++) {
    // A zombie (exited, not yet reaped by the pane's shell) is done too.
    if (/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) return;
    await sleep(20);
  }
}

export const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "—");

function printTable(results: Result[]): void {
  const rows: string[][] = [];
  const head = ["servers", "tool", "bytes/tick fe", "bytes/tick be", "CPU ms/tick fe", "CPU ms/tick be"];
  head.push("HAProxy CPU ms/tick", "RSS MiB", "launch→frame ms", "launch→data ms");
  head.push("key→screen p50/p90/p99/max ms");
  for (const r of results) {
    const k = summarize(r.keys);
    const q = (p: number) =>
      [...r.keys].sort((a, b) => a - b)[Math.min(r.keys.length - 1, Math.ceil(p * r.keys.length) - 1)] ??
      Number.NaN;
    rows.push([
      String(r.servers),
      r.tool.split("=")[0]!,
      fmt(r.frontends.bytesPerTick, 0),
      r.backends ? fmt(r.backends.bytesPerTick, 0) : "",
      fmt(r.frontends.cpuPerTick),
      r.backends ? fmt(r.backends.cpuPerTick) : "",
      fmt(r.backends?.haproxyCpuPerTick ?? r.frontends.haproxyCpuPerTick),
      fmt(r.rss),
      fmt(r.firstFrameMs, 0),
      fmt(r.firstDataMs, 0),
      `${fmt(k.median, 0)} / ${fmt(q(0.9), 0)} / ${fmt(q(0.99), 0)} / ${fmt(k.max, 0)}`,
    ]);
  }
  const md = flag("md");
  const line = (cells: string[]) => (md ? `| ${cells.join(" | ")} |` : cells.join("\t"));
  process.stdout.write(`${line(head)}\n`);
  if (md) process.stdout.write(`${line(head.map(() => "---"))}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}

async function main(): Promise<void> {
  if (!CLI && (!flag("no-build") || !existsSync(join(ROOT, "dist", "cli.js")))) {
    log("building dist/cli.js");
    execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "build.ts")], {
      stdio: "inherit",
    });
  }
  const tools = TOOLS.filter((t) => t !== "hatop" || existsSync("/usr/bin/hatop"));
  if (tools.length < TOOLS.length)
    log("hatop is not installed (apt-get install hatop): measuring haptop alone");
  log(
    `${CLI || "dist/cli.js"}: ${(statSync(CLI || join(ROOT, "dist", "cli.js")).size / 1024).toFixed(0)} KiB; ${WINDOW_S} s windows, ${KEYS} keys`,
  );
  const results: Result[] = [];
  for (const servers of SCALES) {
    const h = await new BenchHaproxy(Math.max(1, Math.round(servers / 100)), 100).start();
    const startedAt = Date.now();
    try {
      if (HAPROXY_AGE_S > 0) await sleep(Math.max(0, HAPROXY_AGE_S * 1000 - (Date.now() - startedAt)));
      for (const tool of tools) {
        log(`${servers} servers: ${tool}`);
        results.push(await runTool(tool, h));
      }
    } finally {
      await h.stop();
    }
  }
  printTable(results);
  printTargets(results);
}

await main();
