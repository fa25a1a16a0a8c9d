import { describe, expect, it } from "vitest";
import { parseSess, type Session } from "../../../../src/parse/sess.js";
import { initialState as initialUi, reduceUi } from "../../../../src/ui/uiState.js";
import { viewModel } from "../../../../src/ui/viewModel.js";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";
import {
  buildSessionGroupRows,
  GROUP_DEFAULT_SORT,
  groupColumns,
  groupSessions,
  namesText,
  nextSessionGrouping,
  type SessionGroupRow,
  sessionGroupFilter,
  sourceAddress,
} from "../../../../src/ui/views/sessionGroups.js";
import { findColumn } from "../../../../src/ui/views/sort.js";
import { fixture, stateWith } from "./fixtures.js";

/** A session as `show sess` lists it (only what the grouping reads matters). */
function session(
  src: string,
  fe: string,
  be: string | null,
  srv: string | null,
  ageSec: number | null,
): Session {
  return {
    id: `0x${Math.floor(Math.random() * 2 ** 40).toString(16)}`,
    proto: "tcpv4",
    src,
    fe,
    be,
    srv,
    ageSec,
    calls: 1,
    rate: 0,
    cpu: 0,
    lat: 0,
    isCli: false,
    fields: {},
  };
}

/** 10k sessions from 50 sources over 3 frontends and 4 backends × 3 servers, deterministic. */
function generated(n = 10_000): Session[] {
  const out: Session[] = [];
  for (let i = 0; i < n; i++) {
    const src = `10.0.${i % 5}.${i % 50}:${1024 + (i % 60000)}`;
    const fe = `fe_${i % 3}`;
    const queued = i % 97 === 0;
    const be = i % 211 === 0 ? null : `be_${i % 4}`;
    const srv = be === null || queued ? null : `srv${i % 3}`;
    out.push(session(src, fe, be, srv, i % 1000));
  }
  out.push({ ...session("unix:1", "GLOBAL", null, null, 0), isCli: true });
  return out;
}

/** The same groups computed the slow, obvious way. */
function naive(sessions: Session[], grouping: "source" | "server") {
  const m = new Map<
    string,
    { count: number; oldest: number; fes: Set<string>; bes: Set<string>; srcs: Set<string> }
  >();
  for (const s of sessions) {
    if (s.isCli) continue;
    const label =
      grouping === "source" ? s.src.replace(/:\d+$/, "") : s.be === null ? "-" : `${s.be}/${s.srv ?? "-"}`;
    const g = m.get(label) ?? { count: 0, oldest: -1, fes: new Set(), bes: new Set(), srcs: new Set() };
    g.count++;
    g.oldest = Math.max(g.oldest, s.ageSec ?? -1);
    g.fes.add(s.fe);
    if (s.be) g.bes.add(s.be);
    g.srcs.add(s.src.replace(/:\d+$/, ""));
    m.set(label, g);
  }
  return m;
}

describe("sourceAddress", () => {
  it("drops the port of IPv4 and IPv6 sources, keeps the rest whole", () => {
    expect(sourceAddress("10.0.0.7:51234")).toBe("10.0.0.7");
    expect(sourceAddress("::1:51234")).toBe("::1");
    expect(sourceAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(sourceAddress("unix:1")).toBe("unix:1");
    expect(sourceAddress("")).toBe("");
    expect(sourceAddress("?")).toBe("?");
  });
});

describe("groupSessions", () => {
  const sessions = generated();

  it("groups 10k sessions by source: count, frontends, backends, oldest match a naive count", () => {
    const rows = groupSessions(sessions, "source", MATCH_ALL);
    const want = naive(sessions, "source");
    expect(rows).toHaveLength(want.size);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(10_000);
    for (const r of rows) {
      const w = want.get(r.label)!;
      expect(r.key).toBe(`src:${r.label}`);
      expect(r.count).toBe(w.count);
      expect(r.oldestSec).toBe(w.oldest);
      expect(new Set(r.frontends)).toEqual(w.fes);
      expect(new Set(r.backends)).toEqual(w.bes);
      expect(r.frontends).toHaveLength(w.fes.size); // distinct
    }
  });

  it("groups 10k sessions by backend/server, with queued (be/-) and backend-less (-) groups", () => {
    const rows = groupSessions(sessions, "server", MATCH_ALL);
    const want = naive(sessions, "server");
    expect(rows).toHaveLength(want.size);
    for (const r of rows) {
      const w = want.get(r.label)!;
      expect(r.count).toBe(w.count);
      expect(r.sources).toBe(w.srcs.size);
      expect(r.oldestSec).toBe(w.oldest);
      expect(new Set(r.frontends)).toEqual(w.fes);
    }
    expect(rows.find((r) => r.label === "-")).toMatchObject({ backend: null, server: null, key: "srv:-" });
    expect(rows.find((r) => r.label === "be_0/-")).toMatchObject({ backend: "be_0", server: null });
  });

  it("filters the sessions before grouping them (a frontend, a source)", () => {
    const rows = groupSessions(sessions, "source", compileFilter("fe_1"));
    const want = naive(
      sessions.filter((s) => s.fe === "fe_1"),
      "source",
    );
    expect(rows.map((r) => [r.label, r.count]).sort()).toEqual(
      [...want].map(([k, v]) => [k, v.count]).sort(),
    );
    const one = groupSessions(sessions, "source", compileFilter("~^10\\.0\\.1\\.11:"));
    expect(one.map((r) => r.label)).toEqual(["10.0.1.11"]);
  });

  it("keeps keys stable across polls (the cursor follows a group)", () => {
    const a = groupSessions(sessions, "source", MATCH_ALL).map((r) => r.key);
    const b = groupSessions(generated(), "source", MATCH_ALL).map((r) => r.key);
    expect(new Set(a)).toEqual(new Set(b));
  });

  it("groups HAProxy 2.6's real show sess, without the CLI's own session", () => {
    const v26 = parseSess(fixture("haproxy-2.6/show-sess.txt"));
    expect(groupSessions(v26, "source", MATCH_ALL)).toMatchObject([
      { label: "127.0.0.1", count: 1, frontends: ["fe_tcp"], backends: ["be_tcp"] },
    ]);
    expect(groupSessions(v26, "server", MATCH_ALL)).toMatchObject([{ label: "be_tcp/tcp1", sources: 1 }]);
  });
});

describe("buildSessionGroupRows", () => {
  const sessions = generated();
  const sortBy = (grouping: "source" | "server", id: string, descending: boolean) => ({
    column: findColumn(groupColumns(grouping), id),
    descending,
  });

  it("sorts on count, biggest first, by default; on any column when asked", () => {
    const s = stateWith({ sessions });
    const rows = buildSessionGroupRows(s, "source", MATCH_ALL, sortBy("source", "count", true));
    const counts = rows.map((r) => r.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const byName = buildSessionGroupRows(s, "source", MATCH_ALL, sortBy("source", "source", false));
    expect(byName[0]!.label).toBe("10.0.0.0");
    const byOldest = buildSessionGroupRows(s, "server", MATCH_ALL, sortBy("server", "oldest", true));
    expect(byOldest[0]!.oldestSec).toBe(999);
  });

  it("is empty until sessions were fetched", () => {
    expect(buildSessionGroupRows(stateWith({ sessions: null }), "source", MATCH_ALL)).toEqual([]);
  });
});

describe("the sessions view grouped", () => {
  const sessions = generated();
  const state = stateWith({ sessions });
  const grouped = (n: number) => {
    let ui = reduceUi(initialUi(), { type: "view", view: "sessions" });
    for (let i = 0; i < n; i++)
      ui = reduceUi(ui, { type: "session-grouping", grouping: nextSessionGrouping(ui.sessionGrouping) });
    return ui;
  };

  it("cycles none → source → server → none", () => {
    expect(grouped(1).sessionGrouping).toBe("source");
    expect(grouped(2).sessionGrouping).toBe("server");
    expect(grouped(3).sessionGrouping).toBe("none");
  });

  it("shows by-source rows, count first; the selection is the source group", () => {
    const vm = viewModel(state, grouped(1), 120, 30);
    expect(vm.view).toBe("sessions");
    expect(vm.sort).toEqual(GROUP_DEFAULT_SORT);
    expect(vm.keys[0]).toMatch(/^src:/);
    expect(vm.keys).toHaveLength(50);
    expect(vm.selection).toEqual({ kind: "source-group", source: vm.keys[0]!.slice(4) });
    expect(vm.tabExtra).toBe("by source: 50 sources, 10000 sessions");
  });

  it("starts over on the list's own sort and cursor when grouping changes", () => {
    let ui = reduceUi(grouped(0), {
      type: "sort",
      view: "sessions",
      sort: { columnId: "src", descending: false },
    });
    ui = reduceUi(ui, { type: "cursor", key: "0x1", scroll: 4 });
    ui = reduceUi(ui, { type: "session-grouping", grouping: "server" });
    expect(ui.sort.sessions).toBeNull();
    expect(ui.cursor.sessions).toBeNull();
    expect(ui.scroll.sessions).toBe(0);
    const vm = viewModel(state, ui, 120, 30);
    expect((vm.rows as SessionGroupRow[]).every((r) => r.grouping === "server")).toBe(true);
  });

  it("a server group selects its backend and server (what K acts on)", () => {
    const vm = viewModel(state, grouped(2), 120, 30);
    const sel = vm.selection;
    expect(sel.kind).toBe("server-group");
    const label = vm.keys[0]!.slice(4);
    if (label !== "-") expect(sel).toMatchObject({ backend: label.split("/")[0] });
  });

  it("Enter on a source group opens the plain list filtered to exactly that source", () => {
    const ui = reduceUi(grouped(1), { type: "open-session-group", filter: sessionGroupFilter("10.0.1.1") });
    expect(ui.sessionGrouping).toBe("none");
    expect(ui.filter.sessions).toBe("~^10\\.0\\.1\\.1:\\d+$");
    const vm = viewModel(state, ui, 120, 30);
    const want = sessions.filter((s) => !s.isCli && s.src.startsWith("10.0.1.1:")).length;
    expect(want).toBe(200);
    expect(vm.keys).toHaveLength(want); // not 10.0.1.11 nor 10.0.1.16…
  });

  it("the list comes back as it was (one row per session)", () => {
    const vm = viewModel(state, grouped(3), 120, 30);
    expect(vm.keys).toHaveLength(10_000);
    expect(vm.selection.kind).toBe("session");
  });
});

describe("namesText", () => {
  it("shows two names, then a count of the rest", () => {
    expect(namesText([])).toBe("-");
    expect(namesText(["a", "b"])).toBe("a, b");
    expect(namesText(["a", "b", "c", "d"])).toBe("a, b +2");
  });
});

describe("sessionGroupFilter", () => {
  it("matches the address with any port, escaped; a unix source whole", () => {
    expect(sessionGroupFilter("10.0.0.7")).toBe("~^10\\.0\\.0\\.7:\\d+$");
    expect(sessionGroupFilter("::1")).toBe("~^::1:\\d+$");
    expect(sessionGroupFilter("unix:1")).toBe("~^unix:1$");
    const f = compileFilter(sessionGroupFilter("10.0.0.7"));
    expect(["10.0.0.7:80", "10.0.0.70:80", "10.0.0.7"].map(f.match)).toEqual([true, false, false]);
  });
});
