/**
 * V8 heap settings for a long-running monitor (issue 12.4, docs/benchmarks.md "Memory"), set by
 * src/cli.ts before anything else runs. V8 reads both at each collection, so setting them at run
 * time works with `node dist/cli.js` as with the installed bin (a shebang's flags would not):
 * - the young generation stays at its initial size (1 MiB semi-spaces) instead of growing to 16
 *   MiB ones: ~30 MiB less RSS at 1k servers, where a tick's garbage (a parse, a frame) is small.
 *   Past LARGE_HEAP_BYTES of heap (tens of thousands of servers) it may grow again: there a small
 *   young generation promotes a full poll's rows early and cost ~20 % more CPU, for no less RSS;
 * - the old generation grows by a fixed 30 % past what the last full collection kept, instead of
 *   up to 4× when allocation is fast (each full poll at 50k servers): without it the heap reached
 *   600-900 MiB before a full collection at 50k servers, with ~120-200 MiB live.
 * A flag the user gave (node options or NODE_OPTIONS) wins: it is not overridden.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";

const YOUNG_FIXED = "--semi-space-growth-factor=1";
const YOUNG_GROWS = "--semi-space-growth-factor=2";
export const HEAP_FLAGS: readonly string[] = [YOUNG_FIXED, "--heap-growing-percent=30"];

/** Heap in use above which the young generation may grow again (1k servers: < 50 MiB). */
export const LARGE_HEAP_BYTES = 96 * 1024 * 1024;
const CHECK_EVERY_MS = 5000;

/** The flags of HEAP_FLAGS that neither `execArgv` nor NODE_OPTIONS sets already. */
export function heapFlagsToSet(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].map((f) => flagName(f));
  return HEAP_FLAGS.filter((f) => !given.includes(flagName(f)));
}

/** `--heap_growing_percent=30` → `heap-growing-percent` (V8 accepts `_` and `-` alike). */
function flagName(flag: string): string {
  return flag.replace(/^--/, "").split("=")[0]!.replaceAll("_", "-");
}

/** Whether the young generation should be let grow again, given the heap in use (once: no flapping). */
export function youngMayGrow(usedHeapBytes: number): boolean {
  return usedHeapBytes > LARGE_HEAP_BYTES;
}

export function applyHeapFlags(): void {
  const flags = heapFlagsToSet(process.execArgv, process.env.NODE_OPTIONS);
  for (const f of flags) setFlagsFromString(f);
  if (!flags.includes(YOUNG_FIXED)) return;
  const timer = setInterval(() => {
    if (!youngMayGrow(getHeapStatistics().used_heap_size)) return;
    setFlagsFromString(YOUNG_GROWS);
    clearInterval(timer);
  }, CHECK_EVERY_MS);
  timer.unref();
}
