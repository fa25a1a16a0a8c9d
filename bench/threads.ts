/**
 * Where haptop's CPU goes by thread: the bundled haptop (`dist/cli.js`) in tmux (160 × 45, 1 s
 * interval) on bench/haproxy.ts's HAProxy, then utime+stime of each of its threads from
 * /proc/<pid>/task over a window. The main thread runs JavaScript; V8's worker threads compile
 * (TurboFan, concurrently) and collect garbage (concurrent marking, sweeping). Prints ms of CPU per
 * second for each thread and the total.
 *
 *   npm run build
 *   node --import tsx bench/threads.ts --servers=1000 --warm=5 --window=20
 *   node --import tsx bench/threads.ts --servers=1000 --warm=60 --window=20 --view=2
 *   node --import tsx bench/threads.ts --node-args=--single-threaded     # every V8 job on the main thread
 *
 * Loopback only; HAProxy and the tmux server are stopped by pid/socket at the end.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, TmuxTerm } from "../lab/tmux.js";
import { BenchHaproxy, CLK_TCK } from "./haproxy.js";
import { sleep } from "./stats.js";

const arg = (name: string, def: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;

const SERVERS = Number(arg("servers", "1000"));
const WARM_S = Number(arg("warm", "5"));
const WINDOW_S = Number(arg("window", "20"));
const VIEW = arg("view", "1");
const NODE_ARGS = arg("node-args", "").split(",").filter(Boolean);
const CLI = join(ROOT, "dist", "cli.js");

/** CPU ticks of each thread of `pid`, by "tid name". */
function threadTicks(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    out.set(`${tid} ${name}`, Number(fields[11]) + Number(fields[12]));
  }
  return out;
}

/** The node process running our CLI on this socket (not the pane's wrapper shell). */
function monitorPid(sock: string): number {
  const pids = execFileSync("pgrep", ["-f", `${CLI} -i 1 ${sock}`])
    .toString()
    .trim()
    .split("\n")
    .map(Number);
  const pid = pids.find((p) => readFileSync(`/proc/${p}/cmdline`, "utf8").startsWith(process.execPath));
  if (!pid) throw new Error("haptop's process not found");
  return pid;
}

const h = await new BenchHaproxy(Math.max(1, Math.round(SERVERS / 100)), 100).start();
const term = await TmuxTerm.start([process.execPath, ...NODE_ARGS, CLI, "-i", "1", h.sock], {
  cols: 160,
  rows: 45,
});
try {
  await term.waitFor(/fe_main/, 60_000, "first data");
  const pid = monitorPid(h.sock);
  if (VIEW === "2") {
    await term.sendKeys("2");
    await term.waitFor(/be_1\b/, 30_000, "the backends view");
  }
  await sleep(WARM_S * 1000);
  const before = threadTicks(pid);
  await sleep(WINDOW_S * 1000);
  const after = threadTicks(pid);
  const perSec = (ticks: number) => ((ticks * 1000) / CLK_TCK / WINDOW_S).toFixed(1).padStart(7);
  let total = 0;
  const rows = [...after]
    .map(([k, v]) => [k, v - (before.get(k) ?? v)] as const)
    .filter(([, d]) => d > 0)
    .sort((a, b) => b[1] - a[1]);
  console.log(
    `${SERVERS} servers, view ${VIEW}, after ${WARM_S} s, ${WINDOW_S} s window ${NODE_ARGS.join(" ")}`,
  );
  for (const [k, d] of rows) {
    total += d;
    console.log(`${perSec(d)} ms/s  ${k}${k.startsWith(`${pid} `) ? " (main thread)" : ""}`);
  }
  console.log(`${perSec(total)} ms/s  total`);
} finally {
  term.close();
  await h.stop();
}
