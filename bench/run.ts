import "./env.js";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Target } from "../src/client/target.js";
import { idsOf } from "../src/store/adaptive.js";
import { pollOnce } from "../src/store/poll.js";
import { BenchHaproxy } from "./haproxy.js";
import { HAVE_GC, measureMemory } from "./memory.js";
import { measurePipeline } from "./pipeline.js";
import { measurePolls, pollBreakdown } from "./poll.js";
import type { RenderFigures } from "./render.js";
import { medP95, mib, ms, Results, size } from "./stats.js";

/**
 * haptop's benchmarks: a real HAProxy at 10k and 50k servers, the pure pipeline, the Ink App and
 * memory. Prints figures, asserts nothing. Run: `node --expose-gc --import tsx bench/run.ts`
 * (or `npm run bench`, without --expose-gc: heap figures are then noisier).
 * Options: --scales=100x100,500x100 (backends x servers per backend), --md (also print Markdown).
 */

const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const scales = (arg("scales") ?? "100x100,500x100").split(",").map((s) => {
  const [b, p] = s.split("x").map(Number);
  if (!b || !p) throw new Error(`--scales: "${s}" is not <backends>x<servers per backend>`);
  return { backends: b, perBackend: p };
});
/** Polls per series: ~20, fewer at 50k where a full poll takes seconds (the whole bench stays ~3 min). */
const pollsFor = (servers: number) => Number(arg("polls") ?? (servers > 20_000 ? 12 : 20));
/** Smaller series at 50k, for the same reason. */
const big = (servers: number) => servers > 20_000;

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** The ids of some backends, as the poller maps the names on screen to ids. */
async function backendIds(target: Target, names: string[]): Promise<number[]> {
  const r = await pollOnce(target, { sessions: false, errors: false, scope: { serversOf: [] } }, false);
  return idsOf(r.snapshot, names) ?? [];
}

function sh(cmd: string, argv: string[]): string {
  try {
    return execFileSync(cmd, argv, { encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
}

function machine(): string[] {
  const model =
    /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "?";
  const mem = sh("free", ["-h"]).split("\n")[1]?.split(/\s+/)[1] ?? "?";
  return [
    `CPU: ${model}, nproc ${sh("nproc", [])}, memory ${mem}`,
    `Node ${process.version}, ${sh("haproxy", ["-v"]).split("\n")[0]}`,
    `gc exposed: ${HAVE_GC ? "yes (--expose-gc)" : "no (heap figures include garbage)"}`,
  ];
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "haptop-bench-data-"));
process.once("exit", () => rmSync(scratch, { recursive: true, force: true }));

/** The render bench in a child process, React in its development or production build. */
function renderIn(
  mode: "development" | "production",
  infoFile: string,
  statFile: string,
  polls: number,
): Promise<RenderFigures> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "1" };
  if (mode === "production") env.NODE_ENV = "production";
  else delete env.NODE_ENV;
  const argv = [
    "--import",
    "tsx",
    join(ROOT, "bench/render-main.ts"),
    infoFile,
    statFile,
    "50",
    String(polls),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, argv, { cwd: ROOT, env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`render bench (${mode}) failed: ${err.message}\n${stderr}`));
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(last) as RenderFigures);
      } catch {
        reject(new Error(`render bench (${mode}): no figures in its output: ${stdout}${stderr}`));
      }
    });
  });
}

const label = (servers: number) => (servers % 1000 === 0 ? `${servers / 1000}k` : String(servers));

async function main(): Promise<void> {
  const results = new Results();
  const started = performance.now();
  for (const { backends, perBackend } of scales) {
    const h = new BenchHaproxy(backends, perBackend);
    const scale = label(h.servers);
    const add = (section: string, metric: string, unit: string, value: string) =>
      results.add(section, metric, unit, scale, value);

    log(`${scale}: starting HAProxy (${backends} backends x ${perBackend} servers)`);
    const t0 = performance.now();
    await h.start();
    const startMs = performance.now() - t0;
    const POLLS = pollsFor(h.servers);
    let capture: Awaited<ReturnType<typeof pollBreakdown>>["capture"];
    try {
      const target: Target = { kind: "unix", path: h.sock };
      log(`${scale}: ${POLLS} full polls`);
      const full = await measurePolls(h, target, { sessions: false, errors: false }, POLLS);
      log(`${scale}: ${POLLS} scoped polls`);
      const scoped = await measurePolls(
        h,
        target,
        // Scoped polls name backends by id (src/store/poll.ts): be_1's id, from a frontends+backends poll.
        { sessions: false, errors: false, scope: { serversOf: await backendIds(target, ["be_1"]) } },
        POLLS,
      );
      log(`${scale}: poll breakdown`);
      const { breakdown, capture: c } = await pollBreakdown(target, big(h.servers) ? 2 : 5);
      capture = c;
      add("haproxy", "start (config parse, socket up)", "ms", ms(startMs));
      add("haproxy", "RSS", "MiB", mib(h.rssBytes()));
      add("poll full", "polls timed (each series)", "polls", String(POLLS));
      add("poll full", "show stat reply", "size", size(full.statBytes));
      add("poll full", "pollOnce wall (median / p95)", "ms", medP95(full.wall));
      add("poll full", "HAProxy CPU per poll", "ms", ms(full.haproxyCpuPerPoll));
      add("poll full", "rows", "rows", String(full.rows));
      add("poll full", "- socket request (show info;show stat)", "ms", medP95(breakdown.request));
      add("poll full", "- parseStat", "ms", medP95(breakdown.parseStat));
      add("poll full", "- buildSnapshot", "ms", medP95(breakdown.buildSnapshot));
      add("poll scoped be_1", "show stat replies", "size", size(scoped.statBytes));
      add("poll scoped be_1", "pollOnce wall (median / p95)", "ms", medP95(scoped.wall));
      add("poll scoped be_1", "HAProxy CPU per poll", "ms", ms(scoped.haproxyCpuPerPoll));
      add("poll scoped be_1", "rows", "rows", String(scoped.rows));
    } finally {
      await h.stop();
    }

    log(`${scale}: pipeline`);
    const p = measurePipeline(capture.first, capture.second, big(h.servers) ? 5 : 10);
    add("pipeline", "computeRates (2 snapshots)", "ms", medP95(p.computeRates));
    add("pipeline", "stateChanges (2 snapshots)", "ms", medP95(p.stateChanges));
    add("pipeline", "viewModel backends, first build", "ms", medP95(p.viewModelFirst));
    add("pipeline", "viewModel backends, cached", "ms", medP95(p.viewModelCached));
    add("pipeline", "viewModel cached, cursor on mid server", "ms", medP95(p.viewModelCachedMidServer));
    add("pipeline", "backends view rows", "rows", String(p.rows));

    log(`${scale}: memory`);
    const m = await measureMemory(capture);
    add("memory", `Poller state held (${m.samples} history samples)`, "MiB", mib(m.stateHeap));
    add("memory", `heap growth, poll 60 -> ${m.polls}`, "MiB", mib(m.growth));
    add("memory", "one snapshot as parsed by parseStat", "MiB", mib(m.snapshotHeap));
    add("memory", "same rows as fast-mode objects", "MiB", mib(m.snapshotHeapFastObjects));
    add("memory", "Poller.apply per poll (parsed input)", "ms", medP95(m.applyPerPoll));
    add("memory", "process heapUsed after", "MiB", mib(m.heapUsed));
    add("memory", "process RSS after", "MiB", mib(m.rss));

    const infoFile = join(scratch, `${scale}-info.txt`);
    const statFile = join(scratch, `${scale}-stat.txt`);
    writeFileSync(infoFile, capture.infoText, "latin1");
    writeFileSync(statFile, capture.statText, "latin1");
    for (const mode of ["development", "production"] as const) {
      log(`${scale}: render, React ${mode} build (child process)`);
      const r = await renderIn(mode, infoFile, statFile, big(h.servers) ? 6 : 10);
      const section = `render 160x50 ${mode === "development" ? "React development build" : "React production build (as haptop runs)"}`;
      add(section, "mount -> first data frame", "ms", ms(r.mount));
      add(section, "key 2 -> backends view frame", "ms", ms(r.switchToBackends));
      add(section, "cursor down key -> frame (median / p95)", "ms", medP95(r.keyToFrame));
      add(section, "frames written per key", "frames", r.framesPerKey.toFixed(1));
      add(section, "new poll (parsed) -> frame (median / p95)", "ms", medP95(r.pollToFrame));
      add(section, "frame size", "bytes", `${r.frameBytes} (${r.frameLines} lines)`);
    }
  }
  const peak = process.resourceUsage().maxRSS * 1024;

  const out = [
    ...machine(),
    `command: ${process.execArgv.join(" ")} ${process.argv.slice(1).join(" ")}`.replace(/\s+/g, " "),
    `total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s, peak RSS of the bench process ${mib(peak)} MiB`,
    "",
    results.text(),
  ];
  console.log(out.join("\n"));
  if (args.includes("--md")) console.log(`\n${results.markdown()}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
