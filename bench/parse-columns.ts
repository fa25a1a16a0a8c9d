/**
 * Column-selective `show stat` parsing (issue 12): parse time and heap held by the rows, every
 * column against the monitor's columns (src/model/columns.ts), on a real HAProxy's reply.
 *
 *   node --expose-gc --import tsx bench/parse-columns.ts [--scales=1000,10000,50000] [--runs=5]
 *
 * Starts HAProxy (bench/haproxy.ts, killed by pid at the end) per size, fetches one `show stat`,
 * and prints, per mode: parse time (median of --runs), the heap held by the rows after gc(), and
 * the heap allocated by one parse (heap growth with the garbage collector given no reason to run:
 * measured right after a gc(), a lower bound when V8 collects young objects during the parse).
 */

import { request } from "../src/client/socket.js";
import { parseTarget } from "../src/client/target.js";
import { MONITOR_STAT_COLUMNS } from "../src/model/columns.js";
import { parseStatReply } from "../src/parse/stat.js";
import { BenchHaproxy } from "./haproxy.js";
import { mib, summarize } from "./stats.js";

const arg = (name: string, def: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const SCALES = arg("scales", "1000,10000,50000").split(",").map(Number);
const RUNS = Number(arg("runs", "5"));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

function measure(text: string, columns: ReadonlySet<string> | undefined) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    gc!();
    const t0 = performance.now();
    parseStatReply(text, { columns, maxRows: Number.POSITIVE_INFINITY });
    times.push(performance.now() - t0);
  }
  gc!();
  const before = process.memoryUsage().heapUsed;
  let rows: unknown = parseStatReply(text, { columns, maxRows: Number.POSITIVE_INFINITY }).rows;
  const allocated = process.memoryUsage().heapUsed - before;
  gc!();
  const held = process.memoryUsage().heapUsed - before;
  rows = null;
  return { ms: summarize(times).median, held, allocated, rows };
}

process.stdout.write(
  "| servers | columns | parse ms (median) | rows held | allocated by a parse |\n|---|---|---|---|---|\n",
);
for (const servers of SCALES) {
  const h = await new BenchHaproxy(Math.max(1, Math.round(servers / 100)), 100).start();
  try {
    const [text = ""] = await request(parseTarget(h.sock), ["show stat"], { timeoutMs: 30_000 });
    for (const [label, columns] of [
      ["every column", undefined],
      [`monitor's (${MONITOR_STAT_COLUMNS.size})`, MONITOR_STAT_COLUMNS],
    ] as const) {
      const m = measure(text, columns);
      process.stdout.write(
        `| ${servers} | ${label} | ${m.ms.toFixed(1)} | ${mib(m.held)} | ${mib(m.allocated)} |\n`,
      );
    }
  } finally {
    await h.stop();
  }
}
