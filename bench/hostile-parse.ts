import "./env.js";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { fetchSnapshot } from "../src/store/poll.js";

/**
 * The cost of one `--once` poll (socket read, split, parse, snapshot) on hostile and on large
 * replies, served by a fake Runtime API on a UNIX socket (a real HAProxy cannot send 1.5M rows of
 * garbage) in its own process. Each scenario polls from its own child process, so that its peak
 * RSS and its event-loop delays are its own (not the fake server's).
 * Prints figures, asserts nothing. Run: `node --import tsx bench/hostile-parse.ts [scenario…]`.
 *
 * Scenarios:
 * - hostile: a real 3.2 header + 1,500,000 rows "a" (3 MB), default --max-rows: refused with a message;
 * - hostile-uncapped: the same with the row cap raised to 10M: every row skipped and counted;
 * - real-50k: a 3.2 reply grown to 500 backends × 100 servers (~50k rows, ~19 MB).
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const fixture = (name: string) => readFileSync(join(ROOT, "test/fixtures/haproxy-3.2.0", name), "latin1");
const SCENARIOS = ["hostile", "hostile-uncapped", "real-50k"] as const;
type Scenario = (typeof SCENARIOS)[number];

/** The `show stat` reply of a scenario. */
function statReply(s: Scenario): string {
  const real = fixture("show-stat.txt").replace(/\n+$/, "");
  const [header, ...lines] = real.split("\n");
  if (s !== "real-50k") return `${header}\n${"a\n".repeat(1_500_000)}\n`;
  // 500 backends of 100 servers each, from the real rows of be_app (its servers and BACKEND line).
  const server = lines.find((l) => l.startsWith("be_app,app1,"))!;
  const backend = lines.find((l) => l.startsWith("be_app,BACKEND,"))!;
  const out: string[] = [header!, ...lines.filter((l) => /^fe_/.test(l))];
  for (let b = 0; b < 500; b++) {
    for (let i = 0; i < 100; i++) out.push(server.replace("be_app,app1,", `be_${b},srv_${i},`));
    out.push(backend.replace("be_app,", `be_${b},`));
  }
  return `${out.join("\n")}\n\n`;
}

/** A fake Runtime API answering the batched poll commands with fixed replies. */
async function fakeHaproxy(path: string, stat: string): Promise<Server> {
  const replies: Record<string, string> = {
    "show cli level": "admin\n\n",
    "show info": fixture("show-info.txt"),
    "show servers state": fixture("show-servers-state.txt"),
  };
  const srv = createServer((sock) => {
    sock.on("error", () => {});
    sock.once("data", (d) => {
      const commands = d.toString("latin1").trim().split(";");
      sock.end(commands.map((c) => (c.startsWith("show stat") ? stat : (replies[c] ?? "\n"))).join(""));
    });
  });
  await new Promise<void>((r) => srv.listen(path, r));
  return srv;
}

interface Figures {
  scenario: Scenario;
  replyBytes: number;
  wallMs: number;
  peakRssMiB: number;
  /** Longest stretch the event loop was blocked, ms (perf_hooks histogram, 10 ms resolution). */
  maxLoopDelayMs: number;
  /** Longest gap between two ticks of a 5 ms interval timer, ms. */
  maxTimerGapMs: number;
  outcome: string;
}

/** Starts the fake Runtime API of a scenario in a child process; resolves once it listens. */
function serveInChild(s: Scenario, path: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), `--serve=${s}`, path],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`fake server for ${s} exited (${code})`)));
  });
}

async function runScenario(s: Scenario): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "haptop-hostile-"));
  const server = await serveInChild(s, join(dir, "api.sock"));
  const replyBytes = statReply(s).length;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5);
  delay.enable();
  const t0 = performance.now();
  let outcome: string;
  try {
    const snap = await fetchSnapshot(
      { kind: "unix", path: join(dir, "api.sock") },
      // `maxRows` is ignored by the code before this change (its fetchSnapshot has no such option).
      { timeoutMs: 60_000, ...(s === "hostile-uncapped" ? { maxRows: 10_000_000 } : {}) } as never,
    );
    const servers = snap.backends.reduce((n, b) => n + b.servers.length, 0);
    outcome = `snapshot: ${snap.frontends.length} frontends, ${snap.backends.length} backends, ${servers} servers, ${snap.statRowsSkipped ?? "?"} rows skipped`;
  } catch (e) {
    outcome = `error: ${e instanceof Error ? e.message : String(e)}`;
  }
  const wallMs = performance.now() - t0;
  delay.disable();
  clearInterval(timer);
  if (server.pid) process.kill(server.pid, "SIGTERM");
  rmSync(dir, { recursive: true, force: true });
  return {
    scenario: s,
    replyBytes,
    wallMs,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    maxLoopDelayMs: delay.max / 1e6,
    maxTimerGapMs: maxGap,
    outcome,
  };
}

function inChild(s: Scenario): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const argv = ["--import", "tsx", fileURLToPath(import.meta.url), `--child=${s}`];
    execFile(
      process.execPath,
      argv,
      { cwd: ROOT, maxBuffer: 1 << 20, timeout: 600_000 },
      (err, out, errOut) => {
        if (err) return reject(new Error(`${s}: ${err.message}\n${errOut}`));
        resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as Figures);
      },
    );
  });
}

async function main(): Promise<void> {
  const serve = process.argv.find((a) => a.startsWith("--serve="))?.slice("--serve=".length);
  if (serve) {
    await fakeHaproxy(process.argv[process.argv.length - 1]!, statReply(serve as Scenario));
    process.stdout.write("listening\n");
    return;
  }
  const child = process.argv.find((a) => a.startsWith("--child="))?.slice("--child=".length);
  if (child) {
    process.stdout.write(`${JSON.stringify(await runScenario(child as Scenario))}\n`);
    return;
  }
  const picked = process.argv
    .slice(2)
    .filter((a): a is Scenario => (SCENARIOS as readonly string[]).includes(a));
  for (const s of picked.length ? picked : SCENARIOS) {
    const f = await inChild(s);
    process.stdout.write(
      `${f.scenario}: ${(f.replyBytes / 1e6).toFixed(2)} MB reply, ${f.wallMs.toFixed(0)} ms, ` +
        `peak RSS ${f.peakRssMiB.toFixed(0)} MiB, event loop blocked at most ${f.maxLoopDelayMs.toFixed(0)} ms ` +
        `(timer gap ${f.maxTimerGapMs.toFixed(0)} ms)\n  ${f.outcome}\n`,
    );
  }
}

void main();
