/**
 * haptop's memory while it runs in a real terminal (issue 12.4): RSS over time and what makes it up.
 *
 *   node --import tsx bench/memory-tui.ts [--servers=1000] [--duration=60] [--every=10]
 *        [--node-flags="--max-semi-space-size=1"] [--snapshot=/tmp/x.heapsnapshot] [--no-build]
 *
 * Starts HAProxy (bench/haproxy.ts) with that many servers and the bundled haptop (dist/cli.js) in
 * tmux (160×45, 1 s interval), switches to the backends view once data shows, and every `every`
 * seconds prints RSS (/proc/<pid>/status) and the process's own process.memoryUsage() (V8 heap
 * used/total, the young generation, external + array buffers), sent by bench/memory-probe.mjs,
 * which is preloaded with --import. --snapshot writes a heap snapshot at the end (SIGUSR2).
 * Loopback only; HAProxy and tmux are killed by pid / socket. It asserts nothing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, TmuxTerm } from "../lab/tmux.js";
import { BenchHaproxy, CLK_TCK } from "./haproxy.js";
import { sleep } from "./stats.js";

const arg = (name: string, def: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const SERVERS = Number(arg("servers", "1000"));
const DURATION_S = Number(arg("duration", "60"));
const EVERY_S = Number(arg("every", "10"));
const NODE_FLAGS = arg("node-flags", "").split(/\s+/).filter(Boolean);
const SNAPSHOT = arg("snapshot", "");
// --cli=<file>: another build of haptop (e.g. `scripts/build.ts --profile=<file>`) instead of dist/cli.js.
const CLI = arg("cli", "");
const MiB = 1024 * 1024;
const log = (msg: string) => process.stderr.write(`[memory-tui] ${msg}\n`);

const status = (pid: number, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

async function monitorPid(term: TmuxTerm, sock: string): Promise<number> {
  const shell = term.pid;
  if (!shell) throw new Error("no pane pid");
  for (let i = 0; i < 400; i++) {
    try {
      for (const kid of readFileSync(`/proc/${shell}/task/${shell}/children`, "utf8").trim().split(/\s+/)) {
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

interface Probe {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, { size: number; used: number }>;
}

function lastProbe(file: string): Probe | null {
  try {
    const lines = readFileSync(file, "utf8").trim().split("\n");
    return JSON.parse(lines[lines.length - 1] ?? "null") as Probe | null;
  } catch {
    return null;
  }
}

/** utime + stime of a process, ms. */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

/** Resident MiB per kind of mapping (/proc/<pid>/smaps): the node binary, other files, anonymous. */
function smapsSummary(pid: number): string {
  const sums = new Map<string, number>();
  let name = "";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1]?.trim() || "[anonymous]";
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) {
      const key = name.startsWith("/") ? (name === process.execPath ? "node binary" : "other files") : name;
      sums.set(key, (sums.get(key) ?? 0) + Number(rss[1]) / 1024);
    }
  }
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ");
}

const f = (n: number | undefined) => (n === undefined ? "—" : (n / MiB).toFixed(1));

async function main(): Promise<void> {
  if (!CLI && (process.argv.includes("--no-build") === false || !existsSync(join(ROOT, "dist", "cli.js")))) {
    log("building dist/cli.js");
    execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "build.ts")], {
      stdio: "inherit",
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "haptop-mem-"));
  const probe = join(dir, "probe.jsonl");
  const h = await new BenchHaproxy(Math.max(1, Math.round(SERVERS / 100)), 100).start();
  let term: TmuxTerm | null = null;
  try {
    const args = [process.execPath, ...NODE_FLAGS, "--import", join(ROOT, "bench", "memory-probe.mjs")];
    if (SNAPSHOT) args.push("--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${dir}`);
    args.push(CLI || join(ROOT, "dist", "cli.js"), "-i", "1", h.sock);
    term = await TmuxTerm.start(args, { cols: 160, rows: 45, env: { HAPTOP_MEMPROBE: probe } });
    const pid = await monitorPid(term, h.sock);
    await term.waitFor(/fe_main/, 60_000, "first data");
    await term.sendKeys("2");
    await term.waitFor(/be_1\b/, 30_000, "the backends view");
    const t0 = Date.now();
    let cpu0 = cpuMs(pid);
    process.stdout.write(
      `${SERVERS} servers, node flags: ${NODE_FLAGS.join(" ") || "(none)"}\n` +
        "s\tCPU ms/s\tRSS\tVmHWM\theapUsed\theapTotal\tnew space\told space\tcode\tlarge obj\texternal\tarrayBuffers (MiB)\n",
    );
    for (let s = 0; s <= DURATION_S; s += EVERY_S) {
      await sleep(Math.max(0, t0 + s * 1000 - Date.now()));
      const p = lastProbe(probe);
      const cpu = cpuMs(pid);
      const cpuPerS = s === 0 ? Number.NaN : (cpu - cpu0) / EVERY_S;
      cpu0 = cpu;
      const sp = p?.spaces ?? {};
      process.stdout.write(
        `${[
          s,
          Number.isNaN(cpuPerS) ? "—" : cpuPerS.toFixed(0),
          status(pid, "VmRSS").toFixed(1),
          status(pid, "VmHWM").toFixed(1),
          f(p?.heapUsed),
          f(p?.heapTotal),
          f(sp.new_space?.size),
          f(sp.old_space?.size),
          f(sp.code_space?.size),
          f(sp.large_object_space?.size),
          f(p?.external),
          f(p?.arrayBuffers),
        ].join("\t")}\n`,
      );
    }
    process.stdout.write(`RSS by mapping (MiB): ${smapsSummary(pid)}\n`);
    if (SNAPSHOT) {
      process.kill(pid, "SIGUSR2");
      for (let i = 0; i < 600; i++) {
        const snap = readdirSync(dir).find((n) => n.endsWith(".heapsnapshot"));
        if (snap) {
          // Written in pieces: done when its size stops changing.
          let size = -1;
          while (size <= 0 || statSync(join(dir, snap)).size !== size) {
            size = statSync(join(dir, snap)).size;
            await sleep(3000);
          }
          renameSync(join(dir, snap), SNAPSHOT);
          log(`heap snapshot: ${SNAPSHOT}`);
          break;
        }
        await sleep(200);
      }
    }
  } finally {
    term?.close();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
