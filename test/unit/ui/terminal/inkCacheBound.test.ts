/**
 * The shared styled-characters cache the build adds to Ink (scripts/inkPatches.ts) stays bounded by
 * characters (issue 12.4): bounded only by its number of lines, it held ~250k styled characters
 * (~300 bytes each) after a minute at 1k servers, and RSS kept growing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { inkPatches } from "../../../../scripts/inkPatches.js";
import { ROOT } from "../../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "haptop-inkcache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Caches {
  styledChars: Map<string, unknown[]>;
  oldStyledChars?: Map<string, unknown[]>;
}
interface OutputLike {
  caches: Caches;
  write(x: number, y: number, text: string, options: { transformers: unknown[] }): void;
  get(): { output: string };
}
type OutputClass = new (o: { width: number; height: number }) => OutputLike;

/** Ink's Output class, patched as in the shipped bundle. */
async function patchedOutput(): Promise<OutputClass> {
  const outfile = join(dir, "output.mjs");
  await build({
    stdin: {
      // By path: Ink's package exports do not list its build files.
      contents:
        `export { default as Output } from ${JSON.stringify(join(ROOT, "node_modules/ink/build/output.js"))};\n` +
        `export { default as measureText } from ${JSON.stringify(join(ROOT, "node_modules/ink/build/measure-text.js"))};\n`,
      resolveDir: ROOT,
    },
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    banner: { js: "import{createRequire as __r}from'node:module';const require=__r(import.meta.url);" },
    plugins: [inkPatches()],
    logLevel: "silent",
  });
  return ((await import(pathToFileURL(outfile).href)) as { Output: OutputClass }).Output;
}

const cachedChars = (c: Caches) =>
  [...c.styledChars.keys(), ...(c.oldStyledChars?.keys() ?? [])].reduce((n, line) => n + line.length, 0);

describe("Ink's shared output caches (patched)", () => {
  it("hold a bounded number of characters however many distinct lines are drawn, and keep the lines in use", async () => {
    const Output = await patchedOutput();
    let caches: Caches | null = null;
    const steady = "\x1b[32mfe_main\x1b[39m UP".padEnd(150, ".");
    for (let frame = 0; frame < 250; frame++) {
      const out = new Output({ width: 160, height: 45 });
      out.write(0, 0, steady, { transformers: [] });
      // 40 lines that change every frame (counters, durations): 10,000 distinct lines of 150.
      for (let y = 1; y <= 40; y++)
        out.write(0, y, `srv${y} ${frame} `.padEnd(150, "-"), { transformers: [] });
      expect(out.get().output.split("\n")[0]).toContain("fe_main");
      caches = out.caches;
    }
    if (!caches) throw new Error("no frame");
    // Two generations of at most the budget (20,000 characters) each, plus the last line added.
    expect(cachedChars(caches)).toBeLessThanOrEqual(2 * 20_000 + 200);
    // The line drawn in every frame is still cached (moved from the old generation on use).
    expect(caches.styledChars.has(steady) || caches.oldStyledChars?.has(steady)).toBe(true);
  }, 60_000);
});
