/**
 * Builds the shipped package: one minified ES module, dist/cli.js, with every dependency inside.
 * Node then reads one file at start-up instead of resolving and compiling ~300 modules (Ink,
 * React, yoga-layout, commander, …), so the first frame comes ~3× sooner (docs/benchmarks.md).
 *
 *   tsx scripts/build.ts                          (npm run build; npm pack runs it)
 *   tsx scripts/build.ts --profile=/tmp/cli.mjs   (unminified, for node --cpu-prof)
 */
import { mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { inkPatches } from "./inkPatches.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// --profile=<file>: an unminified bundle elsewhere, for readable `node --cpu-prof` profiles.
const profileOut = process.argv.find((a) => a.startsWith("--profile="))?.slice("--profile=".length);
const outfile = profileOut ?? join(root, "dist", "cli.js");

if (!profileOut) {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  mkdirSync(join(root, "dist"));
}
await build({
  entryPoints: [join(root, "src", "cli.ts")],
  outfile,
  bundle: true,
  minify: !profileOut,
  platform: "node",
  format: "esm",
  target: "node20",
  jsx: "automatic",
  // React's production build, resolved at build time (src/cli.ts also sets NODE_ENV for tsx runs).
  define: { "process.env.NODE_ENV": '"production"' },
  // React and some of Ink's dependencies are CommonJS and call require() for Node's built-ins.
  banner: {
    js: "import{createRequire as __haptopRequire}from'node:module';const require=__haptopRequire(import.meta.url);",
  },
  // Ink's render path, made cheaper (scripts/inkPatches.ts: each change and why).
  plugins: [inkPatches()],
  // src/cli.ts sets NODE_ENV for tsx runs; in the bundle that assignment is moot, not a mistake.
  logOverride: { "assign-to-define": "silent" },
  legalComments: "none",
  logLevel: "warning",
});
process.stdout.write(`built ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KiB)\n`);
