import { describe, expect, it } from "vitest";
import { buildSnapshot, type ServerEntry, type Snapshot } from "../../../../src/model/snapshot.js";
import { STAT_TYPE, type StatRow } from "../../../../src/parse/stat.js";
import { layoutColumns } from "../../../../src/ui/components/layout.js";
import type { Column } from "../../../../src/ui/table/types.js";
import {
  allServersCount,
  BACKEND_COLUMN_SET_ORDER,
  BACKEND_COLUMN_SET_TITLES,
  type BackendRow,
  backendColumnSets,
  backendStatusTone,
  buildBackendRows,
  expandAll,
  nextBackendColumnSet,
} from "../../../../src/ui/views/backends.js";
import { compileFilter } from "../../../../src/ui/views/filter.js";
import { fixtureSnapshot, rates, stateWith } from "./fixtures.js";

const column = (set: keyof typeof backendColumnSets, id: string): Column<BackendRow> => {
  const c = backendColumnSets[set].find((x) => x.id === id);
  if (!c) throw new Error(`no column ${set}/${id}`);
  return c;
};
const names = (rows: BackendRow[]) => rows.map((r) => column("status", "name").cell(r).text);
const none = new Set<string>();

/** A snapshot of `backends` backends with `perBackend` servers each, with varied counters. */
function syntheticSnapshot(backends: number, perBackend: number): Snapshot {
  const rows: StatRow[] = [];
  for (let b = 0; b < backends; b++) {
    const px = `be_${b}`;
    for (let s = 0; s < perBackend; s++) {
      rows.push({
        pxname: px,
        svname: `srv${s}`,
        type: STAT_TYPE.server,
        status: s % 7 === 0 ? "DOWN" : "UP",
        scur: (s * 37 + b) % 101,
        slim: 100,
        rate: s % 13,
        check_status: "L7OK",
        check_duration: s % 5,
        econ: s % 3,
        eresp: 0,
      });
    }
    rows.push({ pxname: px, svname: "BACKEND", type: STAT_TYPE.backend, status: "UP", scur: b, slim: 1000 });
  }
  return buildSnapshot({ Pid: 1 }, rows, 0, null);
}

/** A server row with the given stats, for cell tests. */
const server = (stats: StatRow, name = "s1"): BackendRow => {
  const entry: ServerEntry = {
    key: `sv/be/${name}`,
    name,
    backend: "be",
    sid: 1,
    iid: 1,
    status: String(stats.status ?? "UP"),
    stats,
  };
  return { kind: "server", key: entry.key, entry, backend: "be", rates: rates({}), depth: 1 };
};

describe("buildBackendRows on a real HAProxy 2.6 reply", () => {
  const snapshot = fixtureSnapshot();
  const state = stateWith({ snapshot });

  it("shows collapsed backends only", () => {
    const rows = buildBackendRows(state, { expanded: none });
    expect(rows.map((r) => r.key)).toEqual(["be/be_app", "be/be_tcp", "be/be_static"]);
    expect(rows.every((r) => r.kind === "backend" && !r.expanded && r.depth === 0)).toBe(true);
    expect(names(rows)).toEqual(["▸ be_app", "▸ be_tcp", "▸ be_static"]);
  });

  it("shows the servers of expanded backends right under them, indented", () => {
    const rows = buildBackendRows(state, { expanded: new Set(["be/be_app"]) });
    expect(rows.map((r) => r.key)).toEqual([
      "be/be_app",
      "sv/be_app/app1",
      "sv/be_app/app_down",
      "be/be_tcp",
      "be/be_static",
    ]);
    expect(names(rows).slice(0, 3)).toEqual(["▾ be_app", "  app1", "  app_down"]);
    const sv = rows[1]!;
    expect(sv).toMatchObject({ kind: "server", backend: "be_app", depth: 1 });
  });

  it("is empty before the first snapshot", () => {
    expect(buildBackendRows(stateWith({ snapshot: null }), { expanded: none })).toEqual([]);
  });

  it("shows a backend whose servers match, expanded with only those servers", () => {
    const rows = buildBackendRows(state, { expanded: none, filter: compileFilter("down") });
    expect(rows.map((r) => r.key)).toEqual(["be/be_app", "sv/be_app/app_down"]);
    expect(rows[0]).toMatchObject({ kind: "backend", expanded: true });
    expect(names(rows)[0]).toBe("▾ be_app");
  });

  it("shows a backend whose name matches as the operator left it, with all its servers", () => {
    const filter = compileFilter("~^be_(app|tcp)$");
    expect(buildBackendRows(state, { expanded: none, filter }).map((r) => r.key)).toEqual([
      "be/be_app",
      "be/be_tcp",
    ]);
    expect(buildBackendRows(state, { expanded: new Set(["be/be_app"]), filter }).map((r) => r.key)).toEqual([
      "be/be_app",
      "sv/be_app/app1",
      "sv/be_app/app_down",
      "be/be_tcp",
    ]);
  });

  it("hides backends when neither they nor their servers match", () => {
    expect(
      buildBackendRows(state, { expanded: expandAll(snapshot), filter: compileFilter("nothing") }),
    ).toEqual([]);
  });

  it("sorts backends among themselves and servers within their backend", () => {
    const rows = buildBackendRows(state, {
      expanded: expandAll(snapshot),
      sort: { column: column("status", "name"), descending: true },
    });
    expect(rows.map((r) => r.key)).toEqual([
      "be/be_tcp",
      "sv/be_tcp/tcp1",
      "be/be_static",
      "be/be_app",
      // Locale order: "_" comes before digits.
      "sv/be_app/app1",
      "sv/be_app/app_down",
    ]);
  });

  it("attaches the rates of backends and servers", () => {
    const r = rates({ binPerSec: 2048 });
    const rows = buildBackendRows(stateWith({ snapshot, rates: new Map([["sv/be_app/app1", r]]) }), {
      expanded: new Set(["be/be_app"]),
    });
    expect(rows[1]!.rates).toBe(r);
    expect(column("traffic", "bin_rate").cell(rows[1]!).text).toBe("2.0K/s");
    expect(rows[0]!.rates.binPerSec).toBeNull();
  });

  it("counts servers and expands all backends", () => {
    expect(allServersCount(snapshot)).toBe(3);
    expect(allServersCount(null)).toBe(0);
    expect([...expandAll(snapshot)]).toEqual(["be/be_app", "be/be_tcp", "be/be_static"]);
    expect(expandAll(null).size).toBe(0);
  });
});

describe("backend status set", () => {
  const state = stateWith({ snapshot: fixtureSnapshot() });
  const [beApp, app1, appDown, beTcp, tcp1] = buildBackendRows(state, {
    expanded: new Set(["be/be_app", "be/be_tcp"]),
  });

  it("colours statuses as an operator reads them", () => {
    expect(backendStatusTone("UP")).toBe("good");
    expect(backendStatusTone("DOWN")).toBe("bad");
    expect(backendStatusTone("DOWN (agent)")).toBe("bad");
    expect(backendStatusTone("MAINT")).toBe("dim");
    expect(backendStatusTone("MAINT(via)")).toBe("dim");
    expect(backendStatusTone("MAINT (resolution)")).toBe("dim");
    expect(backendStatusTone("DRAIN")).toBe("warn");
    expect(backendStatusTone("NOLB")).toBe("warn");
    expect(backendStatusTone("UP 1/3")).toBe("warn");
    expect(backendStatusTone("DOWN 1/2")).toBe("warn");
    expect(backendStatusTone("no check")).toBe("none");
    expect(backendStatusTone("")).toBe("none");
    expect(column("status", "status").cell(appDown!)).toEqual({ text: "DOWN", tone: "bad" });
    expect(column("status", "status").cell(tcp1!)).toEqual({ text: "no check", tone: "none" });
  });

  it("shows the last check with its duration", () => {
    const check = column("status", "check");
    expect(check.cell(app1!)).toEqual({ text: "L7OK 0ms", tone: "good" });
    expect(check.cell(appDown!)).toEqual({ text: "L4CON 0ms", tone: "bad" });
    expect(check.cell(server({ check_status: "INI", check_duration: null }))).toEqual({
      text: "INI",
      tone: "dim",
    });
    expect(check.cell(server({ check_status: "* L7OK", check_duration: 12 })).tone).toBe("good");
    expect(check.cell(tcp1!).text).toBe("");
    expect(check.cell(beApp!).text).toBe("");
  });

  it("shows weight, act/bck and the queue", () => {
    expect(column("status", "weight").cell(app1!).text).toBe("1");
    expect(column("status", "act_bck").cell(beApp!).text).toBe("1/0");
    expect(column("status", "act_bck").cell(app1!).text).toBe("act");
    expect(column("status", "act_bck").cell(server({ act: 0, bck: 1 })).text).toBe("bck");
    expect(column("status", "queue").cell(app1!)).toEqual({ text: "0/0", tone: "none" });
    expect(column("status", "queue").cell(server({ qcur: 3, qmax: 9 }))).toEqual({
      text: "3/9",
      tone: "warn",
    });
  });

  it("shows sessions as a gauge, the session rate and times", () => {
    expect(column("status", "sessions").cell(beTcp!).text).toMatch(/ 1\/999$/);
    expect(column("status", "sessions").cell(app1!).text).toMatch(/ 0\/-$/);
    expect(column("status", "rate").cell(app1!).text).toBe("1");
    expect(column("status", "lastchg").cell(app1!).text).toBe("6s");
    expect(column("status", "lastchg").cell(server({ lastchg: 3725 })).text).toBe("1h2m");
    expect(column("status", "downtime").cell(appDown!).text).toBe("6s");
    expect(column("status", "downtime").cell(tcp1!).text).toBe("-");
  });

  it("adds econ and eresp as errors, in red when any", () => {
    expect(column("status", "errors").cell(app1!)).toEqual({ text: "0" });
    expect(column("status", "errors").cell(server({ econ: 2, eresp: 5 }))).toEqual({
      text: "7",
      tone: "bad",
    });
  });
});

describe("backend traffic, http and errors sets", () => {
  const rows = buildBackendRows(stateWith({ snapshot: fixtureSnapshot() }), {
    expanded: new Set(["be/be_app"]),
  });
  const beApp = rows[0]!;

  it("shows traffic totals", () => {
    expect(column("traffic", "stot").cell(beApp).text).toBe("6");
    expect(column("traffic", "bin").cell(beApp).text).toBe("448B");
    expect(column("traffic", "bout").cell(beApp).text).toBe("456B");
    expect(column("traffic", "rate").cell(beApp).text).toBe("1/5");
    expect(column("traffic", "lbtot").cell(beApp).text).toBe("6");
    expect(column("traffic", "bout_rate").cell(beApp).text).toBe("-");
  });

  it("shows HTTP counters and times", () => {
    expect(column("http", "req_tot").cell(beApp).text).toBe("6");
    expect(column("http", "hrsp_2xx").cell(beApp).text).toBe("6");
    expect(column("http", "hrsp_5xx").cell(server({ hrsp_5xx: 2 }))).toEqual({ text: "2", tone: "bad" });
    expect(column("http", "rtime").cell(server({ rtime: 12, ttime: 340 })).text).toBe("12/340ms");
    expect(column("http", "rtime").cell(server({})).text).toBe("-");
  });

  it("shows error counters", () => {
    const s = server({
      econ: 1,
      eresp: 0,
      wretr: 2,
      wredis: 3,
      chkfail: 4,
      chkdown: 5,
      cli_abrt: 6,
      srv_abrt: 7,
    });
    const texts = backendColumnSets.errors.slice(2).map((c) => c.cell(s).text);
    expect(texts).toEqual(["1", "0", "2", "3", "4", "5", "6", "7"]);
    expect(column("errors", "econ").cell(s).tone).toBe("bad");
  });
});

describe("backendColumnSets", () => {
  it("has the four sets in order", () => {
    expect(BACKEND_COLUMN_SET_ORDER).toEqual(["status", "traffic", "http", "errors"]);
    expect(Object.keys(backendColumnSets).sort()).toEqual([...BACKEND_COLUMN_SET_ORDER].sort());
    expect(Object.keys(BACKEND_COLUMN_SET_TITLES).sort()).toEqual([...BACKEND_COLUMN_SET_ORDER].sort());
    expect(nextBackendColumnSet("status")).toBe("traffic");
    expect(nextBackendColumnSet("errors")).toBe("status");
    expect(nextBackendColumnSet("status", -1)).toBe("errors");
  });

  for (const id of BACKEND_COLUMN_SET_ORDER) {
    const columns = backendColumnSets[id];
    it(`${id}: starts with the name, has unique sortable columns, fits 80 columns`, () => {
      expect(columns[0]).toMatchObject({ id: "name", grow: true, priority: 0 });
      expect(columns.filter((c) => c.grow)).toHaveLength(1);
      const ids = columns.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of columns) expect(c.sortValue, `${id}/${c.id}`).toBeTypeOf("function");
      const laid = layoutColumns(columns, 80);
      for (const c of columns.filter((c) => c.priority <= 1))
        expect(laid.map((l) => l.column.id)).toContain(c.id);
      expect(laid.reduce((s, l) => s + l.width, 0) + laid.length - 1).toBe(80);
    });
  }

  it("puts the status set's essentials first at 80 columns", () => {
    const kept = layoutColumns(backendColumnSets.status, 80).map((l) => l.column.id);
    expect(kept).toEqual(expect.arrayContaining(["name", "status", "sessions", "rate", "errors"]));
  });

  it("cells never assume clean names", () => {
    const name = "x\u001b]0;pwned\u0007";
    expect(column("status", "name").cell(server({}, name)).text).toBe(`  ${name}`);
  });
});

describe("buildBackendRows at scale", () => {
  const snapshot = syntheticSnapshot(100, 100);
  const state = stateWith({ snapshot });

  it("builds 10 000 servers in 100 backends", () => {
    expect(allServersCount(snapshot)).toBe(10_000);
    const expanded = expandAll(snapshot);
    const sort = { column: column("status", "sessions"), descending: true };
    buildBackendRows(state, { expanded, sort }); // warm-up
    const t0 = performance.now();
    const rows = buildBackendRows(state, { expanded, sort });
    const ms = performance.now() - t0;
    console.log(`buildBackendRows: ${rows.length} rows (10 000 servers, sorted) in ${ms.toFixed(1)} ms`);
    expect(rows).toHaveLength(10_100);
    // Servers stay under their backend, sorted within it.
    const firstBackend = rows[0]!;
    expect(firstBackend.kind).toBe("backend");
    expect(firstBackend.entry.name).toBe("be_99");
    const scurs = rows.slice(1, 101).map((r) => (r.kind === "server" ? (r.entry.stats.scur as number) : -1));
    expect(scurs).toEqual([...scurs].sort((a, b) => b - a));
    expect(rows[101]!.kind).toBe("backend");
  });

  it("shows only backends when collapsed and only matching servers when filtered", () => {
    expect(buildBackendRows(state, { expanded: none })).toHaveLength(100);
    const rows = buildBackendRows(state, { expanded: none, filter: compileFilter("~^srv4[0-9]$") });
    expect(rows).toHaveLength(100 * 11);
  });
});
