/**
 * V8 heap settings for a long-running monitor (issue 12.4, docs/benchmarks.md "Memory"), set by
 * src/cli.ts before anything else runs. Both are read by V8 at each collection, so setting them at
 * run time works with `node dist/cli.js` as with the installed bin (a shebang's flags would not):
 * - the young generation stays at its initial size (1 MiB semi-spaces) instead of growing to 16
 *   MiB ones: 30 MiB less RSS. A tick's garbage (a parse, a frame) is short-lived either way;
 * - the old generation grows by a fixed 30 % past what the last full collection kept, instead of
 *   up to 4× when allocation is fast (each full poll at 50k servers): without it the heap reached
 *   ~900 MiB before a full collection at 50k servers, with ~120 MiB live.
 * A flag the user gave (node options or NODE_OPTIONS) wins: it is not overridden.
 */
import { setFlagsFromString } from "node:v8";

export const HEAP_FLAGS: readonly string[] = ["--semi-space-growth-factor=1", "--heap-growing-percent=30"];

/** The flags of HEAP_FLAGS that neither `execArgv` nor NODE_OPTIONS sets already. */
export function heapFlagsToSet(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].map((f) => flagName(f));
  return HEAP_FLAGS.filter((f) => !given.includes(flagName(f)));
}

/** `--heap_growing_percent=30` → `heap-growing-percent` (V8 accepts `_` and `-` alike). */
function flagName(flag: string): string {
  return flag.replace(/^--/, "").split("=")[0]!.replaceAll("_", "-");
}

export function applyHeapFlags(): void {
  for (const f of heapFlagsToSet(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(f);
}
