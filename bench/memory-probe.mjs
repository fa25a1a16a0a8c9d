// Preloaded into haptop by bench/memory-tui.ts (`node --import ./bench/memory-probe.mjs`): every
// second, appends process.memoryUsage() and V8's heap spaces as one JSON line to
// $HAPTOP_MEMPROBE. Only the bench uses it; the shipped package never loads it.
import { appendFileSync } from "node:fs";
import { getHeapSpaceStatistics } from "node:v8";

const file = process.env.HAPTOP_MEMPROBE;
if (file) {
  const t0 = Date.now();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]),
    );
    appendFileSync(file, `${JSON.stringify({ t: Date.now() - t0, ...m, spaces })}\n`);
  }, 1000);
  timer.unref();
}
