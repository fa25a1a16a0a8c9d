/**
 * The monitor parses only MONITOR_STAT_COLUMNS of `show stat` (src/model/columns.ts). A view, an
 * action or the store reading a column left out would show "-" for it without any error: so every
 * string literal in those sources that names a `show stat` column (of any captured release) must
 * be in the set. (A literal that is not a stat read, e.g. "status" elsewhere, only keeps a column.)
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { MONITOR_STAT_COLUMNS } from "../../../src/model/columns.js";

const root = new URL("../../../", import.meta.url).pathname;

function statColumns(): Set<string> {
  const cols = new Set<string>();
  const fixtures = join(root, "test/fixtures");
  for (const d of readdirSync(fixtures)) {
    const file = join(fixtures, d, "show-stat.txt");
    let text: string;
    try {
      text = readFileSync(file, "latin1");
    } catch {
      continue;
    }
    const header = text.split("\n").find((l) => l.startsWith("# "));
    for (const c of header?.slice(2).split(",") ?? []) if (c.trim() !== "") cols.add(c.trim());
  }
  return cols;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(p)) out.push(p);
  }
  return out;
}

it("keeps every show stat column that the monitor's sources name", () => {
  const cols = statColumns();
  expect(cols.size).toBeGreaterThan(70);
  const missing = new Set<string>();
  for (const dir of ["src/ui", "src/actions", "src/store", "src/model"])
    for (const file of sources(join(root, dir))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/["'`]([a-z][a-z0-9_]*)["'`]/g)) {
        const name = m[1]!;
        if (cols.has(name) && !MONITOR_STAT_COLUMNS.has(name))
          missing.add(`${name} (${file.slice(root.length)})`);
      }
    }
  expect([...missing]).toEqual([]);
});
