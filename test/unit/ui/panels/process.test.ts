/**
 * The process panel (src/ui/panels/process.ts): sections as rows with stable keys (show info in
 * groups, show activity per thread, the pools' totals and biggest pools, the master's workers),
 * what it fetches, the selection of a worker row, and the filter keeping section headers.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildSnapshot } from "../../../../src/model/snapshot.js";
import { parseActivity } from "../../../../src/parse/activity.js";
import { parseInfo } from "../../../../src/parse/info.js";
import { parsePools } from "../../../../src/parse/pools.js";
import { parseShowProc } from "../../../../src/parse/proc.js";
import type { ExtraResult } from "../../../../src/store/extras.js";
import { initialState, type MonitorState } from "../../../../src/store/state.js";
import { processColumns, processPanel } from "../../../../src/ui/panels/process.js";
import {
  ACTIVITY_QUERY,
  MASTER_PROC_QUERY,
  POOLS_EVERY_MS,
  POOLS_QUERY,
} from "../../../../src/ui/panels/processQueries.js";
import { TOP_POOLS } from "../../../../src/ui/panels/processRows.js";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";

const LAYOUT = { width: 160, bodyHeight: 30, showCapture: false };
const fixture = (release: string, name: string) =>
  readFileSync(new URL(`../../../fixtures/haproxy-${release}/${name}`, import.meta.url), "latin1");

function stateOf(release: string, extras: Record<string, ExtraResult> | null): MonitorState {
  const info = parseInfo(fixture(release, "show-info.txt"));
  const s = initialState("/run/x.sock", 1000);
  const ok = (value: unknown): ExtraResult => ({ value, error: null, at: 1 });
  return {
    ...s,
    snapshot: buildSnapshot(info, [], Date.now(), "admin"),
    extras: extras ?? {
      [ACTIVITY_QUERY.key]: ok(parseActivity(fixture(release, "show-activity.txt"))),
      [POOLS_QUERY.key]: ok(parsePools(fixture(release, "show-pools.txt"))),
      [MASTER_PROC_QUERY.key]: ok(parseShowProc(fixture(release, "master-show-proc-draining.txt"))),
    },
  };
}

const build = (state: MonitorState, filter = MATCH_ALL) =>
  processPanel.build({ state, drill: null }, filter, null);

describe.each(["2.6.12", "3.2.0"])("process panel on HAProxy %s replies", (release) => {
  const state = stateOf(release, null);
  const built = build(state);
  const keys = built.rows.map((r) => r.key);

  it("sections in order, each a header row followed by its rows", () => {
    const sections = built.rows.filter((r) => r.kind === "section").map((r) => r.key);
    expect(sections).toEqual([
      "section:workers",
      "section:info-process",
      "section:info-connections",
      "section:info-rates",
      "section:info-ssl",
      "section:info-compression",
      "section:info-memory",
      "section:info-tasks",
      "section:info-other",
      "section:activity",
      "section:pools",
    ]);
    expect(new Set(keys).size).toBe(keys.length);
    // A row sits under its own section's header.
    let current = "";
    for (const r of built.rows) {
      if (r.kind === "section") current = r.section;
      else expect(r.section, r.key).toBe(current);
    }
  });

  it("show info, activity per thread, pools totals and the biggest pools as name/value rows", () => {
    const row = (key: string) => built.rows.find((r) => r.key === key)!;
    expect(row("info:CurrConns").value).toMatch(/^\d+$/);
    expect(row("info:Pid").value).toBe(String(state.snapshot!.info.Pid));
    const loops = row("activity:loops");
    expect(loops.perThread).toHaveLength(2);
    expect(loops.detail.split(" ")).toHaveLength(2);
    expect(row("section:activity").detail).toBe("2 threads");
    expect(row("pools:allocated").detail).toMatch(/^\d+ bytes in \d+ pools$/);
    expect(row("pools:used").detail).toMatch(/in thread caches$/);
    expect(keys.filter((k) => k.startsWith("pool:"))).toHaveLength(TOP_POOLS);
    expect(processPanel.detail!(loops, LAYOUT, { state, drill: null })[0]).toMatch(
      /^loops per thread: t1 \d+ {2}t2 \d+$/,
    );
  });

  it("the master's processes: master, worker, old worker draining; a worker row selects its pid", () => {
    const proc = parseShowProc(fixture(release, "master-show-proc-draining.txt"));
    const workers = built.rows.filter((r) => r.kind === "worker");
    expect(workers.map((r) => r.role)).toEqual(["master", "worker", "old"]);
    const old = workers[2]!;
    expect(old.pid).toBe(proc.oldWorkers[0]!.pid);
    expect(old.name).toBe(`old worker ${old.pid}`);
    expect(old.detail).toMatch(/^reloads 1 · .* · draining$/);
    expect(old.tone).toBe("warn");
    expect(processPanel.selection(old, { state, drill: null })).toEqual({ kind: "worker", pid: old.pid });
    // The master is not a target for `@!<pid>` polls.
    expect(processPanel.selection(workers[0], { state, drill: null })).toEqual({ kind: "info" });
    expect(
      processPanel.selection(
        built.rows.find((r) => r.key === "info:Pid"),
        { state, drill: null },
      ),
    ).toEqual({ kind: "info" });
    expect(processPanel.detail!(old, LAYOUT, { state, drill: null })[0]).toMatch(
      /^Enter: watch old worker \d+/,
    );
  });

  it("marks the watched worker and says so in the note", () => {
    const pid = parseShowProc(fixture(release, "master-show-proc-draining.txt")).oldWorkers[0]!.pid;
    const b = build({ ...state, via: { pid, master: "/tmp/master.sock", home: "/run/x.sock" } });
    expect(b.rows.find((r) => r.pid === pid)!.name).toBe(`old worker ${pid} ◀ watched`);
    expect(b.note).toMatch(
      new RegExp(`watching worker ${pid} through the master CLI /tmp/master.sock · b: back to /run/x.sock`),
    );
  });

  it("the filter keeps the headers of the sections with a match", () => {
    const b = build(state, compileFilter("loops"));
    const names = b.rows.map((r) => r.key);
    expect(names).toContain("section:activity");
    expect(names).toContain("activity:loops");
    expect(names).not.toContain("section:info-ssl");
    expect(names).not.toContain("info:CurrConns");
  });
});

describe("process panel queries and degraded states", () => {
  it("fetches activity each poll, pools every 5 s and show proc from the master CLI, fixed commands", () => {
    const qs = processPanel.queries({ state: initialState("x", 1000), drill: null });
    expect(qs.map((q) => [q.key, q.commands, q.everyMs, q.to])).toEqual([
      ["master:show-proc", ["show proc"], 2000, "master"],
      ["process:activity", ["show activity"], undefined, undefined],
      ["process:pools", ["show pools"], POOLS_EVERY_MS, undefined],
    ]);
  });

  it("the queries' parse refuses a refusal and a stats socket posing as the master", () => {
    expect(() => ACTIVITY_QUERY.parse(["Permission denied\n"])).toThrow(/Permission denied/);
    expect(() => MASTER_PROC_QUERY.parse(["Unknown command, but not a valid one.\n"])).toThrow(
      /does not know/,
    );
    expect(() => MASTER_PROC_QUERY.parse(["\n"])).toThrow(/no master line/);
  });

  it("says why a section is empty: fetching, or the query's error", () => {
    const s = stateOf("3.2.0", {
      [ACTIVITY_QUERY.key]: { value: null, error: "show activity needs operator level", at: 1 },
      [MASTER_PROC_QUERY.key]: {
        value: null,
        error: "no master CLI found: pass --master-socket <path>",
        at: 1,
      },
    });
    const rows = build(s).rows;
    const note = (section: string) => rows.find((r) => r.kind === "note" && r.section === section)!;
    expect(note("workers").name).toMatch(/^master CLI: no master CLI found/);
    expect(note("activity")).toMatchObject({
      name: "show activity needs operator level",
      tone: "warn",
    });
    expect(note("pools").name).toBe("fetching show pools…");
  });

  it("names, values and details are shown through the table (cells are text, escaped there)", () => {
    const s = stateOf("3.2.0", null);
    const row = build(s).rows.find((r) => r.key === "info:Build info")!;
    expect(processColumns.map((c) => c.cell(row).text)).toEqual(["  Build info", row.value, ""]);
  });
});
