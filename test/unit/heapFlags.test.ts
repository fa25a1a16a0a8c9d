import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HEAP_FLAGS, heapFlagsToSet, LARGE_HEAP_BYTES, youngMayGrow } from "../../src/heapFlags.js";
import { ROOT } from "../helpers/cli.js";

describe("heap flags (src/heapFlags.ts, issue 12.4)", () => {
  it("are all set unless the user gave the same flag, in either spelling", () => {
    expect(heapFlagsToSet([], undefined)).toEqual(HEAP_FLAGS);
    expect(heapFlagsToSet(["--heap_growing_percent=80"], undefined)).toEqual([
      "--semi-space-growth-factor=1",
    ]);
    expect(heapFlagsToSet([], "--max-old-space-size=100 --semi-space-growth-factor=2")).toEqual([
      "--heap-growing-percent=30",
    ]);
  });

  it("let the young generation grow again only for a large heap (tens of thousands of servers)", () => {
    expect(youngMayGrow(50 * 1024 * 1024)).toBe(false);
    expect(youngMayGrow(LARGE_HEAP_BYTES + 1)).toBe(true);
  });

  /** The young generation's size after allocating data that survives, in a child node. */
  const newSpaceMiB = (apply: boolean): number =>
    Number(
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          `
          import { getHeapSpaceStatistics } from "node:v8";
          const { applyHeapFlags } = await import("./src/heapFlags.ts");
          if (${apply}) applyHeapFlags();
          const keep = [];
          for (let i = 0; i < 400; i++) {
            keep.push(Array.from({ length: 2000 }, (_, j) => ({ j, s: "x" + j })));
            if (keep.length > 100) keep.shift();
          }
          const s = getHeapSpaceStatistics().find((x) => x.space_name === "new_space");
          console.log(s.space_size / 2 ** 20);
          `,
        ],
        { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
      ).trim(),
    );

  it("keep the young generation at its initial size where V8 would grow it, at run time", () => {
    expect(newSpaceMiB(false)).toBeGreaterThanOrEqual(16);
    // Loading tsx and the sources may have grown it once before the flags are set (4 MiB).
    expect(newSpaceMiB(true)).toBeLessThanOrEqual(4);
  }, 30_000);
});
