/**
 * The targets of issue 12, checked on bench/sidebyside.ts's results: for each haptop build of the
 * run, MET with the figure, or MISS with the figure, the gap and why (from the profiles; see
 * docs/benchmarks.md "Issue 12: the remaining gaps").
 */
import type { Result, Window } from "./sidebyside.js";

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "—");

/**
 * Why a target is missed, from the profiles (`--node-args=--cpu-prof`, docs/benchmarks.md "Issue 12:
 * the remaining gaps"): printed next to a missed target, as the done-when asks (the figure,
 * the gap, and the profile that explains it).
 */
const WHY = {
  bytes:
    "the header's uptime and rates, sparklines and LASTCHG change each tick (only changed cells are sent)",
  cpu: (servers: number) =>
    servers >= 50_000
      ? "profile: the full poll (parse, apply, a frame of every row: ~1 s of CPU), every 10th-30th tick by its cost (adaptive fullEveryOf)"
      : servers >= 10_000
        ? "profile: garbage collector ~45 % (major GCs every 2-3 s with --heap-growing-percent=30) + the full poll every 10th tick"
        : "profile: spread — GC ~30 %, Ink frame + React ~30 %, show stat parse ~20 %; in the first minute V8's workers compile (bench/threads.ts): measure with --settle=60",
  launch: "profile: bundle parse + yoga WebAssembly compile + first React render before the first poll",
  haproxy: "haptop asks HAProxy for one full show stat per tick below the adaptive threshold",
  rss: (servers: number) =>
    servers >= 50_000
      ? "heap: the full poll's new rows and reply beside the old snapshot (rows 23 MiB a generation)"
      : "heap snapshot: node's own binary and heap baseline ~44 MiB, yoga, React and Ink's output caches",
  keys: "profile: a key waits behind the frame after a full poll (view model of every row) or a major GC pause",
};

/** A target line: "MET" with the figure, or "MISS" with the figure, the gap and why (WHY). */
function targetLine(t: {
  label: string;
  value: number;
  limit: number;
  more?: boolean;
  unit: string;
  why: string;
  detail?: string;
}): string {
  if (!Number.isFinite(t.value)) return `n/a  ${t.label}`;
  const met = t.more ? t.value >= t.limit : t.value <= t.limit;
  const figure = `${fmt(t.value, 2)}${t.unit} (target ${t.more ? "≥" : "≤"} ${t.limit}${t.unit})`;
  const detail = t.detail ? `; ${t.detail}` : "";
  if (met) return `MET  ${t.label}: ${figure}${detail}`;
  const gap = t.more ? t.limit - t.value : t.value - t.limit;
  return `MISS ${t.label}: ${figure}${detail}; gap ${fmt(gap, 2)}${t.unit}; why: ${t.why}`;
}

export function printTargets(results: Result[]): void {
  const by = (tool: string, servers: number) => results.find((r) => r.tool === tool && r.servers === servers);
  const out: string[] = [];
  const p99 = (keys: number[]) => {
    const k = [...keys].sort((x, y) => x - y);
    return k[Math.min(k.length - 1, Math.ceil(0.99 * k.length) - 1)] ?? Number.NaN;
  };
  // Every haptop build of the run (`haptop`, or each `label=<file>`), against hatop of the same size.
  const runs = results.filter((r) => r.tool !== "hatop");
  for (const a of runs) {
    const servers = a.servers;
    const b = by("hatop", servers);
    const name = `${servers} (${a.tool.split("=")[0]})`;
    if (b) {
      const hb = Math.max(b.frontends.bytesPerTick, 1);
      const bytes = (view: string, w: Window) =>
        out.push(
          targetLine({
            label: `${name}: bytes/tick ${view} ÷ hatop`,
            value: w.bytesPerTick / hb,
            limit: 2,
            unit: "×",
            why: WHY.bytes,
            detail: `${fmt(w.bytesPerTick, 0)} vs ${fmt(b.frontends.bytesPerTick, 0)} bytes`,
          }),
        );
      bytes("frontends", a.frontends);
      if (a.backends) bytes("backends", a.backends);
      const cpuLimit = servers >= 50_000 ? 1.5 : 1;
      const cpuA = Math.max(a.frontends.cpuPerTick, a.backends?.cpuPerTick ?? 0);
      out.push(
        targetLine({
          label: `${name}: monitor CPU/tick (worse view) ÷ hatop`,
          value: cpuA / b.frontends.cpuPerTick,
          limit: cpuLimit,
          unit: "×",
          why: WHY.cpu(servers),
          detail: `fe ${fmt(a.frontends.cpuPerTick)} / be ${fmt(a.backends?.cpuPerTick ?? Number.NaN)} ms vs hatop ${fmt(b.frontends.cpuPerTick)} ms`,
        }),
      );
      out.push(
        targetLine({
          label: `${name}: launch→first data ÷ hatop`,
          value: a.firstDataMs / b.firstDataMs,
          limit: 2,
          unit: "×",
          why: WHY.launch,
          detail: `${fmt(a.firstDataMs, 0)} vs ${fmt(b.firstDataMs, 0)} ms`,
        }),
      );
      if (servers >= 10_000) {
        const hA = a.backends?.haproxyCpuPerTick ?? a.frontends.haproxyCpuPerTick;
        out.push(
          targetLine({
            label: `${name}: hatop's HAProxy CPU/tick ÷ haptop's`,
            value: b.frontends.haproxyCpuPerTick / Math.max(hA, 0.1),
            limit: 5,
            more: true,
            unit: "×",
            why: WHY.haproxy,
            detail: `${fmt(b.frontends.haproxyCpuPerTick)} vs ${fmt(hA)} ms`,
          }),
        );
      }
    }
    if (servers <= 1000)
      out.push(
        targetLine({ label: `${name}: RSS`, value: a.rss, limit: 80, unit: " MiB", why: WHY.rss(servers) }),
      );
    if (servers >= 50_000) {
      out.push(
        targetLine({ label: `${name}: RSS`, value: a.rss, limit: 250, unit: " MiB", why: WHY.rss(servers) }),
      );
      out.push(
        targetLine({
          label: `${name}: key→screen p99`,
          value: p99(a.keys),
          limit: 100,
          unit: " ms",
          why: WHY.keys,
        }),
      );
    }
  }
  process.stdout.write(`\n${out.join("\n")}\n`);
}
