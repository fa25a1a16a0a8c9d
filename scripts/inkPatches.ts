/**
 * Changes the build (scripts/build.ts) makes to Ink 6.8's render path, found by profiling a tick
 * (`node --cpu-prof`, docs/benchmarks.md). Each is an exact text replacement in Ink's build output;
 * one that no longer matches (an Ink upgrade) fails the build instead of silently shipping without it.
 * test/unit/ui/terminal/inkPatches.test.ts renders frames through patched and unpatched Ink alike.
 */
import { readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FAST_WIDTH = join(root, "src", "ui", "terminal", "fastWidth.ts");

interface Patch {
  file: string;
  why: string;
  from: string;
  to: string;
}

export const INK_PATCHES: Patch[] = [
  {
    file: "ink/build/output.js",
    why:
      "Ink builds a new OutputCaches for every frame, so every frame re-tokenizes every line and re-measures " +
      "every character; share one across frames (bounded: see the next two patches)",
    from: "    caches = new OutputCaches();",
    to: "    caches = sharedOutputCaches();",
  },
  {
    file: "ink/build/output.js",
    why: "the shared cache itself; its widths are numbers: 20k of them (and their texts) stay small",
    from: "export default class Output {",
    to:
      "let sharedCaches = new OutputCaches();\n" +
      "const sharedOutputCaches = () => {\n" +
      "    if (sharedCaches.widths.size + sharedCaches.blockWidths.size > 20000) {\n" +
      "        sharedCaches.widths.clear();\n" +
      "        sharedCaches.blockWidths.clear();\n" +
      "    }\n" +
      "    return sharedCaches;\n" +
      "};\n" +
      "export default class Output {",
  },
  {
    file: "ink/build/output.js",
    why:
      "a line's styled characters cost ~300-400 bytes each (an object and a styles array per character): a cache " +
      "bounded by its number of lines (20k rows of 160) reached hundreds of MiB as counters changed each tick " +
      "(RSS 335 MiB after 60 s at 1k servers). Bound it by characters instead, in two generations: lines of the " +
      "current frames stay cached (moved from the old generation on use), lines no longer shown are dropped",
    from: `        let cached = this.styledChars.get(line);
        if (cached === undefined) {
            cached = styledCharsFromTokens(tokenize(line));
            this.styledChars.set(line, cached);
        }`,
    to: `        let cached = this.styledChars.get(line);
        if (cached === undefined) {
            cached = this.oldStyledChars?.get(line) ?? styledCharsFromTokens(tokenize(line));
            this.styledCharsLength = (this.styledCharsLength ?? 0) + line.length;
            if (this.styledCharsLength > STYLED_CHARS_BUDGET) {
                this.oldStyledChars = this.styledChars;
                this.styledChars = new Map();
                this.styledCharsLength = line.length;
            }
            this.styledChars.set(line, cached);
        }`,
  },
  {
    file: "ink/build/output.js",
    why: "a line that fits its clip is the same line: slice-ansi only for the lines the clip cuts",
    from: "return sliceAnsi(line, from, to);",
    to: "return from === 0 && to >= width ? line : sliceAnsi(line, from, to);",
  },
  {
    file: "ink/build/output.js",
    why:
      "every frame allocated a fresh blank cell object for each of the 160 × 45 cells (the garbage collector was " +
      "~15 % of a tick); blank cells are only read, never changed in place, so one shared frozen blank will do",
    from: `                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
    to: "                row.push(BLANK_CELL);",
  },
  {
    file: "ink/build/output.js",
    why: "the shared blank cell itself",
    from: "let sharedCaches = new OutputCaches();",
    to:
      "const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\n" +
      "const STYLED_CHARS_BUDGET = 20000;\n" +
      "let sharedCaches = new OutputCaches();",
  },
  {
    file: "ink/build/output.js",
    why:
      "every frame turned each of its 45 rows of 160 cells back into a string (styledCharsToString, ~7 ms a " +
      "frame at 160 × 45), though most rows hold the very same cell objects as the frame before (the styled " +
      "characters of an unchanged line come from the shared cache, blanks are the shared blank): reuse a row's " +
      "string when every cell is the same object as last time (same objects, same string: the cells are never " +
      "changed in place)",
    from: `            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();`,
    to: `            .map((line, y) => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return rowString(lineWithoutEmptyItems, y);`,
  },
  {
    file: "ink/build/output.js",
    why: "the row cache itself: each row's cells and string in the last frame, by row",
    from: "let sharedCaches = new OutputCaches();",
    to:
      "let lastRows = [];\n" +
      "const rowString = (cells, y) => {\n" +
      "    const prev = lastRows[y];\n" +
      "    if (prev !== undefined && prev.cells.length === cells.length) {\n" +
      "        let same = true;\n" +
      "        for (let i = 0; i < cells.length; i++) {\n" +
      "            if (prev.cells[i] !== cells[i]) {\n" +
      "                same = false;\n" +
      "                break;\n" +
      "            }\n" +
      "        }\n" +
      "        if (same)\n" +
      "            return prev.text;\n" +
      "    }\n" +
      "    const text = styledCharsToString(cells).trimEnd();\n" +
      "    if (y < 1000)\n" +
      "        lastRows[y] = { cells, text };\n" +
      "    return text;\n" +
      "};\n" +
      "let sharedCaches = new OutputCaches();",
  },
  {
    file: "ink/build/measure-text.js",
    why: "Ink's text-size cache grows with every distinct text ever shown (counters change each tick): bound it",
    from: "    cache.set(text, dimensions);",
    to: "    if (cache.size > 20000)\n        cache.clear();\n    cache.set(text, dimensions);",
  },
  {
    file: "@alcalzone/ansi-tokenize/build/styledChars.js",
    why:
      "each styled character was built as `{ ...token, styles }`: a spread makes objects V8 cannot give one " +
      "shape, ~26k of them at 160x45 held ~6 MiB in the heap snapshot; a literal with the token's three " +
      "fields gives them all one shape (and the same fields)",
    from: `            ret.push({
                ...token,
                styles: [...codes],
            });`,
    to: `            ret.push({
                type: token.type,
                value: token.value,
                fullWidth: token.fullWidth,
                styles: [...codes],
            });`,
  },
];

/** Ink's file with every patch for it applied; throws when a patch does not match exactly once. */
export function patchedSource(file: string, source: string): string {
  let out = source;
  for (const p of INK_PATCHES.filter((q) => q.file === file)) {
    const at = out.indexOf(p.from);
    if (at === -1 || out.indexOf(p.from, at + 1) !== -1)
      throw new Error(`Ink patch for ${file} no longer matches (${p.why}): update scripts/inkPatches.ts`);
    out = out.slice(0, at) + p.to + out.slice(at + p.from.length);
  }
  return out;
}

const patchedFiles = [...new Set(INK_PATCHES.map((p) => p.file))];

/**
 * The esbuild plugin: the patches above; string-width → src/ui/terminal/fastWidth.ts (ASCII fast
 * path) for every importer but that module; and an empty module for Ink's React DevTools hook (only
 * loaded with DEV=true; react-devtools-core is not installed).
 */
export function inkPatches(): Plugin {
  return {
    name: "haptop-ink-patches",
    setup(b) {
      const applied = new Set<string>();
      b.onEnd((result) => {
        const missing = patchedFiles.filter((f) => !applied.has(f));
        if (missing.length > 0 && result.errors.length === 0)
          result.errors.push({
            id: "",
            pluginName: "haptop-ink-patches",
            text: `Ink files not patched (not in the bundle any more?): ${missing.join(", ")}`,
            location: null,
            notes: [],
            detail: undefined,
          });
      });
      b.onResolve({ filter: /^string-width$/ }, (args) =>
        args.importer === FAST_WIDTH ? undefined : { path: FAST_WIDTH },
      );
      noDevtools().setup(b);
      b.onLoad(
        { filter: /[\\/](ink|@alcalzone[\\/]ansi-tokenize)[\\/]build[\\/][a-zA-Z-]+\.js$/ },
        (args) => {
          const file = patchedFiles.find((f) => args.path.endsWith(f.split("/").join(sep)));
          if (!file) return undefined;
          applied.add(file);
          return { contents: patchedSource(file, readFileSync(args.path, "utf8")), loader: "js" };
        },
      );
    },
  };
}

/** Only the empty stand-in for Ink's React DevTools hook (for a bundle of unpatched Ink). */
export function noDevtools(): Plugin {
  return {
    name: "haptop-no-devtools",
    setup(b) {
      b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
        args.importer.includes(`${sep}ink${sep}build${sep}`)
          ? { path: "devtools", namespace: "empty" }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
    },
  };
}
