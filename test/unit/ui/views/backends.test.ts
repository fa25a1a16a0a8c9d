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
    admin: null,
    op: null,
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

  it("colours the health as an operator reads it, apart from the admin state", () => {
    expect(column("status", "status").cell(appDown!)).toEqual({ text: "DOWN", tone: "bad" });
    expect(column("status", "status").cell(app1!)).toEqual({ text: "UP", tone: "good" });
    expect(column("status", "status").cell(tcp1!)).toEqual({ text: "no check", tone: "none" });
    expect(column("status", "status").cell(server({ status: "UP 1/3" }))).toEqual({
      text: "UP 1/3",
      tone: "warn",
    });
    expect(column("status", "status").cell(server({ status: "NOLB" })).tone).toBe("warn");
    expect(column("status", "admin").cell(app1!)).toEqual({ text: "", tone: "none" });
    expect(column("status", "status").cell(beApp!)).toEqual({ text: "UP", tone: "good" });
  });

  it("never shows MAINT or DRAIN as a health, nor UP/DOWN as an admin state", () => {
    const maint = server({ status: "MAINT" });
    expect(column("status", "admin").cell(maint)).toEqual({ text: "MAINT", tone: "dim" });
    // HAProxy stops checking a server in maintenance: its health is unknown, not DOWN.
    expect(column("status", "status").cell(maint)).toEqual({ text: "-", tone: "dim" });
    const drain = server({ status: "DRAIN" });
    expect(column("status", "admin").cell(drain)).toEqual({ text: "DRAIN", tone: "warn" });
    expect(column("status", "status").cell(drain)).toEqual({ text: "UP", tone: "good" });
    expect(column("status", "status").cell(server({ status: "DRAIN 1/2" })).text).toBe("UP 1/2");
    expect(column("status", "admin").cell(server({ status: "MAINT (via be2/s1)" })).text).toBe(
      "MAINT via be2/s1",
    );
    expect(column("status", "admin").cell(server({ status: "MAINT (resolution)" })).tone).toBe("bad");
    // A draining server that went DOWN: the status word says DOWN only, show servers state says DRAIN.
    const downDrain = { ...server({ status: "DOWN" }) } as BackendRow & { kind: "server" };
    downDrain.entry = { ...downDrain.entry, admin: "DRAIN", op: "DOWN" };
    expect(column("status", "admin").cell(downDrain).text).toBe("DRAIN");
    expect(column("status", "status").cell(downDrain).text).toBe("DOWN");
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
    // A backend: how many of its servers take traffic (what agg_server_status says in Prometheus).
    expect(check.cell(beApp!)).toEqual({ text: "1/2 up", tone: "warn" });
    expect(check.cell(beTcp!)).toEqual({ text: "1/1 up", tone: "good" });
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

  it("draws a backend's fullconn as a neutral reference and a server's maxconn as a real limit", () => {
    const over = {
      ...beApp!,
      entry: { ...beApp!.entry, stats: { ...beApp!.entry.stats, scur: 19, slim: 10 } },
    };
    expect(column("status", "sessions").cell(over as BackendRow)).toMatchObject({ tone: "none" });
    expect(column("status", "sessions").cell(over as BackendRow).text).toMatch(/ 19\/10$/);
    expect(column("status", "sessions").cell(server({ scur: 10, slim: 10 })).tone).toBe("bad");
    expect(column("status", "sessions").cell(server({ scur: 8, slim: 10 })).tone).toBe("warn");
  });

  it("shows a queue that grows in red, a steady one in yellow", () => {
    const waiting = server({ qcur: 3, qmax: 9 });
    expect(column("status", "queue").cell(waiting)).toEqual({ text: "3/9", tone: "warn" });
    const growing = { ...waiting, rates: rates({ queueGrowthPerSec: 2 }) } as BackendRow;
    expect(column("status", "queue").cell(growing).tone).toBe("bad");
    expect(column("status", "queue").cell(server({ qcur: 5, qmax: 5, qlimit: 5 })).tone).toBe("bad");
  });

  it("shows sessions as a gauge, the session rate and times", () => {
    expect(column("status", "sessions").cell(beTcp!).text).toMatch(/ 1\/999$/);
    expect(column("status", "sessions").cell(app1!).text).toMatch(/ 0\/-$/);
    expect(column("status", "rate").cell(app1!).text).toBe("1");
    expect(column("status", "lastchg").cell(app1!).text).toBe("6s");
    expect(column("status", "lastchg").cell(server({ lastchg: 3725 })).text).toBe("1h2m");
    // Whole minutes past the first minute: the column does not change every second for an hour.
    expect(column("status", "lastchg").cell(server({ lastchg: 59 })).text).toBe("59s");
    expect(column("status", "lastchg").cell(server({ lastchg: 60 })).text).toBe("1m");
    expect(column("status", "lastchg").cell(server({ lastchg: 195 })).text).toBe("3m");
    expect(column("status", "lastchg").cell(server({ lastchg: 3599 })).text).toBe("59m");
    expect(column("status", "lastchg").cell(server({ lastchg: 90061 })).text).toBe("1d1h");
    expect(column("status", "lastchg").cell(server({})).text).toBe("-");
    expect(column("status", "downtime").cell(appDown!).text).toBe("6s");
    expect(column("status", "downtime").cell(tcp1!).text).toBe("-");
  });

  it("shows 5xx and errors per second, in red when any", () => {
    const r = {
      ...server({}),
      rates: rates({ http5xxPerSec: 2.5, econPerSec: 1, erespPerSec: 0.5 }),
    } as BackendRow;
    expect(column("status", "hrsp_5xx_rate").cell(r)).toEqual({ text: "2.5", tone: "bad" });
    expect(column("status", "err_rate").cell(r)).toEqual({ text: "1.5", tone: "bad" });
    expect(column("status", "hrsp_5xx_rate").cell(app1!)).toEqual({ text: "-" });
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

  it("shows the error rates now, then the lifetime counters", () => {
    const s = {
      ...server({ econ: 1, eresp: 0, wretr: 2, wredis: 3, chkfail: 4, chkdown: 5 }),
      rates: rates({
        http5xxPerSec: 4,
        reqPerSec: 16,
        econPerSec: 1,
        erespPerSec: 0,
        wretrPerSec: 1,
        wredisPerSec: 0.5,
        dreqPerSec: 2,
      }),
    } as BackendRow;
    const text = (id: string) => column("errors", id).cell(s).text;
    expect([text("hrsp_5xx_rate"), text("hrsp_5xx_pct"), text("econ_rate"), text("eresp_rate")]).toEqual([
      "4",
      "25%",
      "1",
      "0",
    ]);
    expect([text("retry_rate"), text("deny_rate")]).toEqual(["1.5", "2"]);
    expect(["econ", "eresp", "wretr", "wredis", "chkfail", "chkdown"].map(text)).toEqual([
      "1",
      "0",
      "2",
      "3",
      "4",
      "5",
    ]);
    expect(column("errors", "econ").cell(s).tone).toBe("bad");
    expect(column("errors", "hrsp_5xx_pct").cell(s).tone).toBe("bad");
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
      // Names as long as the fixture's ("  app_down"): every priority 0 and 1 column fits.
      const laid = layoutColumns(columns, 80, () => 12);
      for (const c of columns.filter((c) => c.priority <= 1))
        expect(laid.map((l) => l.column.id)).toContain(c.id);
      expect(laid.reduce((s, l) => s + l.width, 0) + laid.length - 1).toBeLessThanOrEqual(80);
    });
  }

  it("keeps STATUS, ADMIN, CHECK, SESSIONS and LASTCHG at 80 columns and drops traffic first", () => {
    const kept = layoutColumns(backendColumnSets.status, 80, () => 16).map((l) => l.column.id);
    expect(kept).toEqual(["name", "status", "admin", "check", "sessions", "hrsp_5xx_rate", "lastchg"]);
    // Even with long names: the name shrinks, those stay.
    const long = layoutColumns(backendColumnSets.status, 80, () => 60).map((l) => l.column.id);
    expect(long).toEqual(expect.arrayContaining(["status", "admin", "check", "sessions", "lastchg"]));
    const wide = layoutColumns(backendColumnSets.status, 160, () => 16).map((l) => l.column.id);
    expect(wide).toEqual(expect.arrayContaining(["queue", "smax", "err_rate", "rate", "weight"]));
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
