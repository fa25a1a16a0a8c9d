import { request } from "../src/client/socket.js";
import type { Target } from "../src/client/target.js";
import { buildSnapshot, type Snapshot } from "../src/model/snapshot.js";
import { parseInfo } from "../src/parse/info.js";
import { parseStat, type StatRow } from "../src/parse/stat.js";
import { type Demand, pollOnce } from "../src/store/poll.js";
import type { BenchHaproxy } from "./haproxy.js";
import { type Summary, summarize } from "./stats.js";

/** What a series of polls cost, on our side (wall) and on HAProxy's (CPU). */
export interface PollFigures {
  wall: Summary;
  /** HAProxy's utime+stime per poll, ms (averaged over the series: /proc has 10 ms ticks). */
  haproxyCpuPerPoll: number;
  /** Bytes of the `show stat` replies of one poll. */
  statBytes: number;
  rows: number;
}

/** The captured text of a full poll, reused by the pipeline, render and memory benches. */
export interface Capture {
  infoText: string;
  statText: string;
  rows: StatRow[];
  /** Two snapshots from two real polls a little apart (for rates). */
  first: Snapshot;
  second: Snapshot;
}

const POLL_OPTS = { timeoutMs: 30_000 };

/** `n` pollOnce in a row (fresh connection each), timing each and HAProxy's CPU over all of them. */
export async function measurePolls(
  h: BenchHaproxy,
  target: Target,
  demand: Demand,
  n: number,
): Promise<PollFigures> {
  await pollOnce(target, demand, true, POLL_OPTS); // warm-up
  const wall: number[] = [];
  let rows = 0;
  const cpu0 = h.cpuMs();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await pollOnce(target, demand, false, POLL_OPTS);
    wall.push(performance.now() - t0);
    rows = r.snapshot.frontends.length + r.snapshot.backends.length + r.snapshot.listeners.length;
    for (const b of r.snapshot.backends) rows += b.servers.length;
  }
  const cpu = h.cpuMs() - cpu0;
  // The reply size, measured once with the same commands.
  const stat = demand.scope?.serversOf
    ? ["show stat -1 3 -1", ...demand.scope.serversOf.map((be) => `show stat ${be} 4 -1`)]
    : ["show stat"];
  const replies = await request(target, stat, POLL_OPTS);
  const statBytes = replies.reduce((n, r) => n + Buffer.byteLength(r, "latin1"), 0);
  return { wall: summarize(wall), haproxyCpuPerPoll: cpu / n, statBytes, rows };
}

/** Where a full poll's time goes: the socket round trip, parseStat, buildSnapshot. */
export interface PollBreakdown {
  request: Summary;
  parseStat: Summary;
  buildSnapshot: Summary;
}

export async function pollBreakdown(
  target: Target,
  n: number,
): Promise<{ breakdown: PollBreakdown; capture: Capture }> {
  const req: number[] = [];
  const parse: number[] = [];
  const build: number[] = [];
  let infoText = "";
  let statText = "";
  let rows: StatRow[] = [];
  const snaps: Snapshot[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const [info, stat] = await request(target, ["show info", "show stat"], POLL_OPTS);
    const t1 = performance.now();
    const parsed = parseStat(stat ?? "");
    const t2 = performance.now();
    const snap = buildSnapshot(parseInfo(info ?? ""), parsed, Date.now(), null);
    const t3 = performance.now();
    req.push(t1 - t0);
    parse.push(t2 - t1);
    build.push(t3 - t2);
    infoText = info ?? "";
    statText = stat ?? "";
    rows = parsed;
    snaps.push(snap);
    if (snaps.length > 2) snaps.shift();
  }
  const [first, second] = snaps as [Snapshot, Snapshot];
  return {
    breakdown: { request: summarize(req), parseStat: summarize(parse), buildSnapshot: summarize(build) },
    capture: { infoText, statText, rows, first, second },
  };
}
