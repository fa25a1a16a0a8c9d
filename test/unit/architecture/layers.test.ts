/**
 * The layering of src/ (docs/architecture.md): each folder may import only from itself and from
 * lower layers, and no file imports itself back through a cycle. Read with TypeScript's own
 * pre-processor, so type-only imports count too: a contract type belongs to the lower layer.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../../src");

/** Lower number = lower layer. Folders of the same rank must not import each other. */
const LAYERS: Record<string, number> = {
  text: 0,
  client: 1,
  parse: 2,
  model: 3,
  store: 4,
  actions: 5,
  batch: 5,
  ui: 6,
  /** The composition of the fleet (several targets, config file, Prometheus): main.ts runs it. */
  app: 7,
  "main.ts": 7.5,
  /** V8 heap flags, set by cli.ts before anything else loads. */
  "heapFlags.ts": 8,
  "cli.ts": 9,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

/** The layer of a file under src/: its top folder, or its own name for top-level files. */
function layerOf(file: string): string {
  return relative(SRC, file).split("/")[0]!;
}

/** Local imports of a file, resolved to files under src/ (`.js` in ESM specifiers maps to .ts/.tsx). */
function localImports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((s) => s.startsWith("."))
    .map((s) => {
      const base = resolve(dirname(file), s).replace(/\.js$/, "");
      for (const ext of [".ts", ".tsx", "/index.ts"]) {
        try {
          if (statSync(base + ext).isFile()) return base + ext;
        } catch {
          /* next */
        }
      }
      return base;
    });
}

/** Every violation: an import to a higher layer, or across folders of the same rank. */
function layerViolations(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, tos] of graph) {
    const a = layerOf(from);
    for (const to of tos) {
      const b = layerOf(to);
      if (a === b) continue;
      const ra = LAYERS[a];
      const rb = LAYERS[b];
      if (ra === undefined || rb === undefined)
        out.push(`${relative(SRC, from)}: unknown layer ${a} or ${b}`);
      else if (rb >= ra) out.push(`${relative(SRC, from)} → ${relative(SRC, to)} (${a} may not import ${b})`);
    }
  }
  return out;
}

/** Every import cycle, as the list of files around it (depth-first search, each cycle once). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, "open");
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === "open") found.push(stack.slice(stack.indexOf(m)).map((f) => relative(SRC, f)));
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

const graph = new Map(files(SRC).map((f) => [f, localImports(f)]));

describe("src/ layering", () => {
  it("imports only downward", () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("ships nothing from outside src/ (no import of lab/, test/, demo/, bench/ or scripts/)", () => {
    const outside = [...graph].flatMap(([from, tos]) =>
      tos.filter((to) => !to.startsWith(`${SRC}/`)).map((to) => `${relative(SRC, from)} → ${to}`),
    );
    expect(outside).toEqual([]);
  });

  it("keeps the one lab below its users: lab/ imports no test, demo, bench or script code", () => {
    const LAB = resolve(SRC, "../lab");
    const bad = files(LAB).flatMap((f) =>
      localImports(f)
        .filter((to) =>
          /\/(test|demo|bench|scripts)\//.test(relative(resolve(SRC, ".."), to).replace(/^/, "/")),
        )
        .map((to) => `${relative(LAB, f)} → ${relative(LAB, to)}`),
    );
    expect(bad).toEqual([]);
  });

  it("knows every folder of src/", () => {
    const unknown = [...new Set([...graph.keys()].map(layerOf))].filter((l) => !(l in LAYERS));
    expect(unknown).toEqual([]);
  });

  it("catches an upward import and a cycle (the checks can fail)", () => {
    const a = join(SRC, "parse/a.ts");
    const b = join(SRC, "ui/b.ts");
    const c = join(SRC, "parse/c.ts");
    const bad = new Map([
      [a, [b]],
      [b, []],
      [c, [a]],
    ]);
    expect(layerViolations(bad)).toEqual(["parse/a.ts → ui/b.ts (parse may not import ui)"]);
    const loop = new Map([
      [a, [c]],
      [c, [a]],
    ]);
    expect(cycles(loop)).toEqual([["parse/a.ts", "parse/c.ts"]]);
  });
});
