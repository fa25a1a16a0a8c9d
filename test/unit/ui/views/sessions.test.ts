import { describe, expect, it } from "vitest";
import { parseSess, type Session } from "../../../../src/parse/sess.js";
import type { Column } from "../../../../src/ui/table/types.js";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";
import {
  buildSessionRows,
  nanos,
  SESSION_DEFAULT_SORT,
  type SessionRow,
  sessionColumns,
} from "../../../../src/ui/views/sessions.js";
import { sortRows } from "../../../../src/ui/views/sort.js";
import { fixture, stateWith } from "./fixtures.js";

const column = (id: string): Column<SessionRow> => {
  const c = sessionColumns.find((x) => x.id === id);
  if (!c) throw new Error(`no column ${id}`);
  return c;
};
const cells = (row: SessionRow) => Object.fromEntries(sessionColumns.map((c) => [c.id, c.cell(row).text]));
const stateOf = (sessions: Session[] | null) => stateWith({ sessions });

describe("buildSessionRows", () => {
  const v26 = parseSess(fixture("haproxy-2.6/show-sess.txt"));
  const v15 = parseSess(fixture("old-versions/haproxy-1.5-show-sess.txt"));

  it("hides the CLI's own session", () => {
    const rows = buildSessionRows(stateOf(v26), MATCH_ALL);
    expect(rows.map((r) => r.key)).toEqual(["0x555ab27bcef0"]);
    expect(buildSessionRows(stateOf(v15), MATCH_ALL).map((r) => r.key)).toEqual(["0x1f6d9b0", "0x1f71260"]);
  });

  it("is empty until sessions were fetched", () => {
    expect(buildSessionRows(stateOf(null), MATCH_ALL)).toEqual([]);
  });

  it("shows a session of HAProxy 2.6", () => {
    const [row] = buildSessionRows(stateOf(v26), MATCH_ALL);
    expect(cells(row!)).toEqual({
      src: "127.0.0.1:42334",
      fe: "fe_tcp",
      be: "be_tcp",
      srv: "tcp1",
      age: "1s",
      calls: "3",
      cpu: "0",
      lat: "0",
      proto: "tcpv4",
    });
  });

  it("shows a missing backend or server as a dim dash, and absent cpu/lat as -", () => {
    const row = buildSessionRows(stateOf(v15), MATCH_ALL)[1]!;
    expect(column("be").cell(row)).toEqual({ text: "-", tone: "dim" });
    expect(column("srv").cell(row)).toEqual({ text: "-", tone: "dim" });
    expect(column("age").cell(row).text).toBe("1h2m");
    expect(column("cpu").cell(row).text).toBe("-");
  });

  it("filters over source, frontend, backend and server", () => {
    const keys = (text: string) => buildSessionRows(stateOf(v15), compileFilter(text)).map((r) => r.key);
    expect(keys("10.0.0.7")).toEqual(["0x1f6d9b0"]);
    expect(keys("web1")).toEqual(["0x1f6d9b0"]);
    expect(keys("~^app$")).toEqual(["0x1f6d9b0"]);
    expect(keys("www")).toEqual(["0x1f6d9b0", "0x1f71260"]);
    expect(keys("::1")).toEqual(["0x1f71260"]);
    expect(keys("GLOBAL")).toEqual([]);
    expect(keys("nothing")).toEqual([]);
  });

  it("sorts by age descending by default", () => {
    expect(SESSION_DEFAULT_SORT).toEqual({ columnId: "age", descending: true });
    const rows = buildSessionRows(stateOf(v15), MATCH_ALL);
    expect(sortRows(rows, column("age"), true).map((r) => r.key)).toEqual(["0x1f71260", "0x1f6d9b0"]);
    expect(
      buildSessionRows(stateOf(v15), MATCH_ALL, { column: column("age"), descending: true }).map(
        (r) => r.key,
      ),
    ).toEqual(["0x1f71260", "0x1f6d9b0"]);
  });

  it("gives unique keys even when HAProxy repeats a pointer", () => {
    const rows = buildSessionRows(stateOf([v26[0]!, v26[0]!]), MATCH_ALL);
    expect(rows.map((r) => r.key)).toEqual(["0x555ab27bcef0", "0x555ab27bcef0~2"]);
  });

  it("has a sort value on every column", () => {
    for (const c of sessionColumns) expect(c.sortValue, c.id).toBeTypeOf("function");
  });
});

describe("nanos", () => {
  it("reads nanoseconds as a short duration", () => {
    expect(nanos(null)).toBe("-");
    expect(nanos(0)).toBe("0");
    expect(nanos(850)).toBe("850ns");
    expect(nanos(12_345)).toBe("12.3us");
    expect(nanos(4_100_000)).toBe("4.1ms");
    expect(nanos(250_000_000)).toBe("250ms");
    expect(nanos(2_000_000_000)).toBe("2.0s");
  });
});
