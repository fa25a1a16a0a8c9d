/**
 * Soak: haptop's poller (in this process) and the TUI (under tmux, its own process) watch a real
 * HAProxy with traffic for HAPTOP_SOAK_SECONDS (default 600), while HAProxy is soft-reloaded every
 * HAPTOP_SOAK_RELOAD_SECONDS (default 30) and killed and restarted once, at half time. It reports
 * RSS and heap over time (flat within ±10 % after warm-up?), polls failed and recovered, and events
 * lost: every pid change the soak caused must reach both the timeline and the --log file.
 *
 *   node --expose-gc --import tsx bench/soak.ts            # the 10-minute run of docs/benchmarks.md
 *   HAPTOP_SOAK_SECONDS=60 node --expose-gc --import tsx bench/soak.ts
 *
 * Prints progress on stderr and a Markdown report on stdout. Asserts nothing; exits 1 only when
 * the run itself could not be done (no haproxy, the lab did not start). Loopback only; every
 * process it starts is ended by pid (the lab) or by its private tmux server.
 */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Lab, startLab } from "../demo/lab.js";
import { cli } from "../lab/index.js";
import { parseTarget } from "../src/client/target.js";
import { pollOnce } from "../src/store/poll.js";
import { Poller } from "../src/store/poller.js";
import type { TimelineEvent } from "../src/store/state.js";
import { eventLogger } from "../src/ui/eventLogger.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SECONDS = Number(process.env.HAPTOP_SOAK_SECONDS ?? 600);
const RELOAD_EVERY = Number(process.env.HAPTOP_SOAK_RELOAD_SECONDS ?? 30);
const SAMPLE_EVERY_MS = 10_000;
const log = (s: string) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Sample {
  t: number;
  rssMb: number;
  heapMb: number;
  tuiRssMb: number | null;
}

const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;

/** RSS of another process, from /proc (kB → MB), or null once it is gone. */
function rssOf(pid: number | null): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(bin, args, { timeout: 15_000 }, (err, out, errOut) =>
      err ? reject(new Error(`${bin} ${args.join(" ")}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
}

/** The pid `show info` answers with, or null. */
async function currentPid(lab: Lab): Promise<number | null> {
  const m = /^Pid: (\d+)$/m.exec(await cli(lab.adminSock, "show info"));
  return m ? Number(m[1]) : null;
}

/** A soft reload as an operator runs it (expose-fd: listening sockets handed over, no drop). */
async function reload(lab: Lab): Promise<void> {
  const old = lab.pids();
  await run(lab.haproxyBin, [
    "-D",
    "-f",
    lab.cfg,
    "-p",
    lab.pidfile,
    "-x",
    lab.adminSock,
    "-sf",
    ...old.map(String),
  ]);
}

/** A crash and a restart: SIGKILL every HAProxy process of the lab, wait, start it again. */
async function killAndRestart(lab: Lab, downMs: number): Promise<void> {
  for (const pid of lab.pids()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  await sleep(downMs);
  await run(lab.haproxyBin, ["-D", "-f", lab.cfg, "-p", lab.pidfile]);
}

/** The TUI in a private tmux server (never the user's), so its RSS is that of a real session. */
class TuiUnderTmux {
  readonly server = `haptop-soak-${process.pid}`;
  pid: number | null = null;
  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.server, ...args], { encoding: "utf8", timeout: 10_000 });
  }
  start(target: string, logFile: string, dir: string): void {
    const argv = [process.execPath, "--import", "tsx", join(ROOT, "src/cli.ts"), "--log", logFile, target];
    // The pane stays after the command exits, so a crash leaves its last screen to read.
    const conf = join(dir, "tmux.conf");
    writeFileSync(conf, "set -g remain-on-exit on\n");
    this.tmux(
      "-f",
      conf,
      "new-session",
      "-d",
      "-s",
      "soak",
      "-x",
      "160",
      "-y",
      "45",
      "-c",
      ROOT,
      "--",
      ...argv,
    );
    this.pid = Number(this.tmux("display-message", "-p", "-t", "soak", "#{pane_pid}").trim()) || null;
  }
  /** "exited N" once the TUI has ended, else null. */
  dead(): string | null {
    try {
      const [dead, status] = this.tmux(
        "display-message",
        "-p",
        "-t",
        "soak",
        "#{pane_dead} #{pane_dead_status}",
      )
        .trim()
        .split(" ");
      return dead === "1" ? `exited ${status ?? "?"}` : null;
    } catch {
      return "tmux gone";
    }
  }
  screen(): string {
    try {
      return this.tmux("capture-pane", "-p", "-t", "soak");
    } catch {
      return "";
    }
  }
  stop(): void {
    try {
      this.tmux("send-keys", "-t", "soak", "q");
    } catch {
      /* already gone */
    }
    try {
      this.tmux("kill-server");
    } catch {
      /* already gone */
    }
  }
}

function logLines(file: string): { kind: string; text: string }[] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; text: string });
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) log("no --expose-gc: heap figures include garbage not yet collected");
  const lab = await startLab({ log, traffic: { baseRate: 60, maxRate: 200 } });
  const pollerLog = join(lab.dir, "poller-events.jsonl");
  const tuiLog = join(lab.dir, "tui-events.jsonl");
  const tui = new TuiUnderTmux();
  const stopAll = async () => {
    tui.stop();
    await lab.stop();
  };
  process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
  process.once("SIGTERM", () => void stopAll().then(() => process.exit(143)));

  const target = parseTarget(lab.adminSock);
  const counts = { ok: 0, failed: 0, recovered: 0, failing: false };
  const events: TimelineEvent[] = [];
  const writeLog = eventLogger(pollerLog, (m) => log(`log error: ${m}`));
  const poller = new Poller({
    target: lab.adminSock,
    intervalMs: 1000,
    fetch: async (demand, withLevel) => {
      try {
        const r = await pollOnce(target, demand, withLevel, { timeoutMs: 2000 });
        counts.ok++;
        if (counts.failing) counts.recovered++;
        counts.failing = false;
        return r;
      } catch (e) {
        counts.failed++;
        counts.failing = true;
        throw e;
      }
    },
    onEvent: (e) => {
      events.push(e);
      writeLog(e);
    },
  });
  // The sessions and errors views open: every parser runs on every poll.
  poller.setDemand({ sessions: true, errors: true });
  poller.start();
  tui.start(lab.adminSock, tuiLog, lab.dir);

  const samples: Sample[] = [];
  const caused: number[] = []; // every new pid the soak caused, in order
  const start = Date.now();
  const sample = () => {
    gc?.();
    const m = process.memoryUsage();
    samples.push({
      t: Math.round((Date.now() - start) / 1000),
      rssMb: mb(m.rss),
      heapMb: mb(m.heapUsed),
      tuiRssMb: rssOf(tui.pid),
    });
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  let reloads = 0;
  let killedAt: number | null = null;
  let failedBeforeKill = 0;
  let failedAfterRestart: number | null = null;
  let tuiDiedAt: number | null = null;
  let tuiDeath = "";
  const watchTui = setInterval(() => {
    if (tuiDiedAt !== null) return;
    const d = tui.dead();
    if (d) {
      tuiDiedAt = Math.round((Date.now() - start) / 1000);
      tuiDeath = `${d}; last screen:\n${tui.screen().trimEnd().split("\n").slice(-8).join("\n")}`;
      log(`the TUI ended at ${tuiDiedAt} s: ${tuiDeath}`);
    }
  }, 2000);
  try {
    let nextReload = start + RELOAD_EVERY * 1000;
    const killAt = start + (SECONDS * 1000) / 2;
    while (Date.now() - start < SECONDS * 1000) {
      await sleep(250);
      const now = Date.now();
      if (killedAt === null && now >= killAt) {
        killedAt = Math.round((now - start) / 1000);
        failedBeforeKill = lab.traffic?.stats().failed ?? 0;
        log("kill -9 every HAProxy process, restart after 5 s");
        await killAndRestart(lab, 5000);
        const pid = await currentPid(lab);
        if (pid) caused.push(pid);
        nextReload = Date.now() + RELOAD_EVERY * 1000;
        // Requests in flight when HAProxy died fail for a few seconds more (client timeouts).
        setTimeout(() => {
          failedAfterRestart = lab.traffic?.stats().failed ?? 0;
        }, 15_000);
      } else if (now >= nextReload) {
        await reload(lab);
        reloads++;
        // The new process answers on the socket once the old one has handed it over.
        for (let i = 0; i < 40; i++) {
          const pid = await currentPid(lab);
          if (pid && pid !== caused.at(-1)) {
            caused.push(pid);
            break;
          }
          await sleep(100);
        }
        nextReload += RELOAD_EVERY * 1000;
        if (reloads % 5 === 0) log(`${reloads} reloads, polls ok ${counts.ok} failed ${counts.failed}`);
      }
    }
    // Let both monitors see the last change.
    await sleep(3000);
  } finally {
    clearInterval(sampler);
    clearInterval(watchTui);
    sample();
    poller.stop();
  }
  const tuiAlive = tui.dead() === null;
  const screen = tui.screen();
  const traffic = lab.traffic?.stats();
  failedAfterRestart ??= traffic?.failed ?? 0;
  const pollerPids = new Set(events.filter((e) => e.kind === "pid").map((e) => /→ (\d+)/.exec(e.text)?.[1]));
  const logged = logLines(pollerLog);
  const tuiLogged = logLines(tuiLog);
  const tuiPids = new Set(tuiLogged.filter((e) => e.kind === "pid").map((e) => /→ (\d+)/.exec(e.text)?.[1]));
  const lostPoller = caused.filter((p) => !pollerPids.has(String(p)));
  const lostTui = caused.filter((p) => !tuiPids.has(String(p)));
  await stopAll();

  // Flatness: the samples after the first minute (imports, JIT, the first full poll) against their mean.
  const steady = samples.filter((s) => s.t >= 60);
  const spread = (xs: number[]) => {
    if (xs.length === 0) return "n/a";
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    return `${lo}–${hi} MB (mean ${mean.toFixed(1)}, ${(((lo - mean) / mean) * 100).toFixed(1)} % / +${(((hi - mean) / mean) * 100).toFixed(1)} %)`;
  };
  const out = [
    `## Soak: ${SECONDS} s, reload every ${RELOAD_EVERY} s, kill -9 and restart at ${killedAt ?? "-"} s`,
    "",
    `- HAProxy: ${lab.haproxyBin}; traffic: ${traffic ? `${traffic.answered} answered, ${traffic.failed} failed requests (${failedBeforeKill} before the kill, ${failedAfterRestart - failedBeforeKill} from the kill to 15 s after the restart, ${traffic.failed - failedAfterRestart} after)` : "none"}`,
    `- reloads: ${reloads}; pid changes caused: ${caused.length}`,
    `- poller: ${counts.ok} polls ok, ${counts.failed} failed, recovered ${counts.recovered} time(s)`,
    `- events: ${events.length} on the timeline, ${logged.length} lines in its --log; pid changes missing: poller ${lostPoller.length}, TUI --log ${lostTui.length}`,
    `- TUI (tmux, own process): ${tuiAlive ? "alive" : `GONE at ${tuiDiedAt} s (${tuiDeath.split("\n")[0]})`} at the end; ${tuiLogged.length} --log lines; screen shows the last pid: ${caused.length > 0 && screen.includes(String(caused.at(-1))) ? "yes" : "no"}`,
    `- poller process RSS after 60 s: ${spread(steady.map((s) => s.rssMb))}`,
    `- poller process heap used after 60 s (after gc): ${spread(steady.map((s) => s.heapMb))}`,
    `- TUI process RSS after 60 s: ${spread(steady.flatMap((s) => (s.tuiRssMb === null ? [] : [s.tuiRssMb])))}`,
    "",
    "| t (s) | poller RSS (MB) | poller heap (MB) | TUI RSS (MB) |",
    "|---:|---:|---:|---:|",
    ...samples
      .filter((s, i) => i === 0 || i === samples.length - 1 || s.t % 60 < SAMPLE_EVERY_MS / 1000)
      .map((s) => `| ${s.t} | ${s.rssMb} | ${s.heapMb} | ${s.tuiRssMb ?? "-"} |`),
    "",
  ];
  process.stdout.write(out.join("\n"));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
