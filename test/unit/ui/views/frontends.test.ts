import { describe, expect, it } from "vitest";
import type { ProxyEntry } from "../../../../src/model/snapshot.js";
import type { StatRow } from "../../../../src/parse/stat.js";
import { layoutColumns } from "../../../../src/ui/components/layout.js";
import type { Column } from "../../../../src/ui/table/types.js";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";
import { buildFrontendRows, type FrontendRow, frontendColumns } from "../../../../src/ui/views/frontends.js";
import { fixtureSnapshot, rates, stateWith } from "./fixtures.js";

const column = (id: string): Column<FrontendRow> => {
  const c = frontendColumns.find((x) => x.id === id);
  if (!c) throw new Error(`no column ${id}`);
  return c;
};

const row = (stats: StatRow, r = rates({}), name = "fe"): FrontendRow => {
  const entry: ProxyEntry = {
    key: `fe/${name}`,
    name,
    iid: 1,
    status: String(stats.status ?? "OPEN"),
    stats,
  };
  return { key: entry.key, entry, rates: r };
};

describe("buildFrontendRows", () => {
  const snapshot = fixtureSnapshot();

  it("has one row per frontend of a real HAProxy 2.6 reply, in config order", () => {
    const rows = buildFrontendRows(stateWith({ snapshot }), MATCH_ALL);
    expect(rows.map((r) => r.key)).toEqual(["fe/fe_main", "fe/fe_tcp", "fe/be_static"]);
    expect(rows[0]!.entry.name).toBe("fe_main");
  });

  it("is empty before the first snapshot", () => {
    expect(buildFrontendRows(stateWith({ snapshot: null }), MATCH_ALL)).toEqual([]);
  });

  it("keeps only the frontends that pass the filter", () => {
    const rows = buildFrontendRows(stateWith({ snapshot }), compileFilter("~^fe_"));
    expect(rows.map((r) => r.entry.name)).toEqual(["fe_main", "fe_tcp"]);
  });

  it("attaches the rates of each frontend, or no rates when there is no baseline", () => {
    const r = rates({ binPerSec: 1536 });
    const rows = buildFrontendRows(stateWith({ snapshot, rates: new Map([["fe/fe_tcp", r]]) }), MATCH_ALL);
    expect(rows[1]!.rates).toBe(r);
    expect(rows[0]!.rates.binPerSec).toBeNull();
  });

  it("sorts when asked", () => {
    const rows = buildFrontendRows(stateWith({ snapshot }), MATCH_ALL, {
      column: column("name"),
      descending: true,
    });
    expect(rows.map((r) => r.entry.name)).toEqual(["fe_tcp", "fe_main", "be_static"]);
  });
});

describe("frontend cells", () => {
  const rows = buildFrontendRows(stateWith({ snapshot: fixtureSnapshot() }), MATCH_ALL);
  const feMain = rows[0]!;

  it("shows the name as is (the table sanitises it)", () => {
    const name = "evil\u001b[31m\nname";
    expect(column("name").cell(row({}, rates({}), name)).text).toBe(name);
  });

  it("colours the status", () => {
    expect(column("status").cell(feMain)).toEqual({ text: "OPEN", tone: "good" });
    expect(column("status").cell(row({ status: "STOP" })).tone).toBe("bad");
    // FULL: the frontend is at its maxconn and stops accepting, a real limit.
    expect(column("status").cell(row({ status: "FULL" })).tone).toBe("bad");
  });

  it("shows 5xx/s, 5xx % of requests and request errors/s from counter deltas", () => {
    const r = row({}, rates({ http5xxPerSec: 3, reqPerSec: 40, ereqPerSec: 0.5, http4xxPerSec: 1 }));
    expect(column("hrsp_5xx_rate").cell(r)).toEqual({ text: "3", tone: "bad" });
    expect(column("hrsp_5xx_pct").cell(r)).toEqual({ text: "7.5%", tone: "bad" });
    expect(column("ereq_rate").cell(r)).toEqual({ text: "0.5", tone: "bad" });
    expect(column("hrsp_4xx_rate").cell(r)).toEqual({ text: "1", tone: "warn" });
    const quiet = row({}, rates({ http5xxPerSec: 0, reqPerSec: 0, ereqPerSec: 0 }));
    expect(column("hrsp_5xx_rate").cell(quiet)).toEqual({ text: "0" });
    expect(column("hrsp_5xx_pct").cell(quiet)).toEqual({ text: "-" });
    expect(column("hrsp_5xx_rate").cell(row({}))).toEqual({ text: "-" });
  });

  it("shows scur/slim as a gauge", () => {
    const cell = column("sessions").cell(feMain);
    expect(cell.text).toMatch(/ 1\/500$/);
    expect(cell.tone).toBe("good");
    expect(column("sessions").cell(row({ scur: 450, slim: 500 })).tone).toBe("warn");
    expect(column("sessions").cell(row({ scur: 500, slim: 500 })).tone).toBe("bad");
  });

  it("prefers HAProxy's rate and falls back to the delta rate", () => {
    expect(column("rate").cell(row({ rate: 7 }, rates({ sessPerSec: 3 }))).text).toBe("7");
    expect(column("rate").cell(row({ rate: null }, rates({ sessPerSec: 3.25 }))).text).toBe("3.3");
    expect(column("rate").cell(row({ rate: null })).text).toBe("-");
    expect(column("rate").sortValue!(row({ rate: null }, rates({ sessPerSec: 3 })))).toBe(3);
  });

  it("shows HAProxy's req_rate, with the delta rate as fallback", () => {
    expect(column("req_rate").cell(row({ req_rate: 12345 })).text).toBe("12.3k");
    expect(column("req_rate").cell(row({}, rates({ reqPerSec: 4 }))).text).toBe("4");
  });

  it("shows bytes per second from the rates", () => {
    const r = row({}, rates({ binPerSec: 1536, boutPerSec: null }));
    expect(column("bin_rate").cell(r).text).toBe("1.5K/s");
    expect(column("bout_rate").cell(r).text).toBe("-");
    expect(column("bin_rate").sortValue!(r)).toBe(1536);
  });

  it("adds dreq and dresp as denied", () => {
    expect(column("denied").cell(row({ dreq: 2, dresp: 3 })).text).toBe("5");
    expect(column("denied").cell(row({ dreq: null, dresp: 3 })).text).toBe("3");
    expect(column("denied").cell(row({ dreq: null, dresp: null })).text).toBe("-");
    expect(column("denied").sortValue!(row({ dreq: 2, dresp: 3 }))).toBe(5);
  });

  it("shows ereq and the response classes", () => {
    expect(column("ereq").cell(feMain).text).toBe("1");
    expect(column("hrsp_2xx").cell(feMain).text).toBe("6");
    expect(column("hrsp_4xx").cell(feMain).text).toBe("1");
    expect(column("hrsp_3xx").cell(feMain).text).toBe("0");
    // A TCP frontend has no HTTP counters.
    expect(column("hrsp_2xx").cell(rows[1]!).text).toBe("-");
  });

  it("paints 5xx red only when there are some", () => {
    expect(column("hrsp_5xx").cell(feMain)).toEqual({ text: "0" });
    expect(column("hrsp_5xx").cell(row({ hrsp_5xx: 3 }))).toEqual({ text: "3", tone: "bad" });
  });
});

describe("frontendColumns", () => {
  it("has unique ids and a sort value on every column", () => {
    const ids = frontendColumns.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of frontendColumns) expect(c.sortValue, c.id).toBeTypeOf("function");
  });

  it("has one grow column, the name, never dropped", () => {
    expect(frontendColumns.filter((c) => c.grow).map((c) => c.id)).toEqual(["name"]);
    expect(frontendColumns[0]).toMatchObject({ id: "name", priority: 0 });
  });

  it("keeps name, status, gauge, req/s and the error rates at 80 columns", () => {
    const laid = layoutColumns(frontendColumns, 80, () => 10);
    const kept = laid.map((l) => l.column.id);
    expect(kept).toEqual(
      expect.arrayContaining([
        "name",
        "status",
        "sessions",
        "req_rate",
        "hrsp_5xx_rate",
        "hrsp_5xx_pct",
        "ereq_rate",
      ]),
    );
    // Lifetime totals are in the detail line at 80 columns.
    expect(kept).not.toContain("hrsp_5xx");
    expect(laid.reduce((s, l) => s + l.width, 0) + kept.length - 1).toBeLessThanOrEqual(80);
  });

  it("shows every column on a wide terminal", () => {
    expect(layoutColumns(frontendColumns, 200, () => 10)).toHaveLength(frontendColumns.length);
  });
});
