import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { INK_PATCHES, inkPatches, noDevtools, patchedSource } from "../../../../scripts/inkPatches.js";
import { ROOT } from "../../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "haptop-inkpatch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles inkScene.tsx (with or without the patches) and returns the frames it rendered. */
async function frames(patched: boolean): Promise<string[]> {
  const outfile = join(dir, patched ? "patched.mjs" : "plain.mjs");
  await build({
    entryPoints: [join(ROOT, "test/unit/ui/terminal/inkScene.tsx")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    banner: { js: "import{createRequire as __r}from'node:module';const require=__r(import.meta.url);" },
    plugins: patched ? [inkPatches()] : [noDevtools()],
    logLevel: "silent",
  });
  // FORCE_COLOR: chalk writes its escapes, as in a terminal.
  const out = execFileSync(process.execPath, [outfile], { env: { ...process.env, FORCE_COLOR: "3" } });
  return JSON.parse(out.toString()) as string[];
}

describe("the build's patches to Ink (scripts/inkPatches.ts)", () => {
  it("each still matches Ink's source exactly once", () => {
    for (const file of new Set(INK_PATCHES.map((p) => p.file))) {
      const source = readFileSync(join(ROOT, "node_modules", file), "utf8");
      expect(patchedSource(file, source)).not.toBe(source);
    }
    expect(() => patchedSource("ink/build/output.js", "nothing to patch")).toThrow(/no longer matches/);
  });

  it("render the same frames as Ink unpatched (colours, CJK, clipping, wrapping)", async () => {
    const plain = await frames(false);
    const patched = await frames(true);
    expect(plain.length).toBeGreaterThan(10);
    expect(plain.join("")).toContain("\x1b[");
    expect(patched).toEqual(plain);
  }, 60_000);
});
