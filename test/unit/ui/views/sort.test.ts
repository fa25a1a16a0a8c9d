import { describe, expect, it } from "vitest";
import type { Column } from "../../../../src/ui/table/types.js";
import { findColumn, sortableColumns, sortRows } from "../../../../src/ui/views/sort.js";

interface R {
  id: string;
  v: number | string | null;
}

const col = (id: string, sortable = true): Column<R> => ({
  id,
  title: id.toUpperCase(),
  width: 5,
  priority: 0,
  cell: (r) => ({ text: String(r.v) }),
  ...(sortable ? { sortValue: (r: R) => r.v } : {}),
});

const byV = col("v");
const rows = (...vs: (number | string | null)[]): R[] => vs.map((v, i) => ({ id: `r${i}`, v }));
const ids = (rs: R[]) => rs.map((r) => r.id);
const values = (rs: R[]) => rs.map((r) => r.v);

describe("sortRows", () => {
  it("sorts numbers numerically, both ways", () => {
    const rs = rows(10, 2, 33, 1);
    expect(values(sortRows(rs, byV, false))).toEqual([1, 2, 10, 33]);
    expect(values(sortRows(rs, byV, true))).toEqual([33, 10, 2, 1]);
  });

  it("sorts strings by locale, with numbers inside names in numeric order", () => {
    const rs = rows("srv10", "srv2", "Beta", "alpha");
    expect(values(sortRows(rs, byV, false))).toEqual(["alpha", "Beta", "srv2", "srv10"]);
    expect(values(sortRows(rs, byV, true))).toEqual(["srv10", "srv2", "Beta", "alpha"]);
  });

  it("puts nulls (and NaN) last in both directions", () => {
    const rs = rows(null, 3, Number.NaN, 1, null, 2);
    expect(values(sortRows(rs, byV, false)).slice(0, 3)).toEqual([1, 2, 3]);
    expect(ids(sortRows(rs, byV, false)).slice(3)).toEqual(["r0", "r2", "r4"]);
    expect(values(sortRows(rs, byV, true)).slice(0, 3)).toEqual([3, 2, 1]);
    expect(ids(sortRows(rs, byV, true)).slice(3)).toEqual(["r0", "r2", "r4"]);
  });

  it("is stable: equal values keep their order in both directions", () => {
    const rs = rows(1, 0, 1, 0, 1);
    expect(ids(sortRows(rs, byV, false))).toEqual(["r1", "r3", "r0", "r2", "r4"]);
    expect(ids(sortRows(rs, byV, true))).toEqual(["r0", "r2", "r4", "r1", "r3"]);
  });

  it("puts numbers before strings when a column mixes them", () => {
    expect(values(sortRows(rows("a", 1), byV, false))).toEqual([1, "a"]);
  });

  it("keeps the order without a column or with a column that cannot sort, in a new array", () => {
    const rs = rows(3, 1, 2);
    const kept = sortRows(rs, undefined, true);
    expect(ids(kept)).toEqual(["r0", "r1", "r2"]);
    expect(kept).not.toBe(rs);
    expect(ids(sortRows(rs, col("x", false), false))).toEqual(["r0", "r1", "r2"]);
  });

  it("does not touch its input", () => {
    const rs = rows(3, 1, 2);
    sortRows(rs, byV, false);
    expect(ids(rs)).toEqual(["r0", "r1", "r2"]);
  });

  it("computes each value once", () => {
    let calls = 0;
    const counting: Column<R> = {
      ...byV,
      sortValue: (r) => {
        calls++;
        return r.v;
      },
    };
    sortRows(rows(5, 4, 3, 2, 1, 0, 9, 8, 7), counting, false);
    expect(calls).toBe(9);
  });
});

describe("sortable columns", () => {
  const columns = [col("a"), col("b", false), col("c"), col("d")];

  it("lists the sortable ones in order", () => {
    expect(sortableColumns(columns).map((c) => c.id)).toEqual(["a", "c", "d"]);
  });

  it("finds a column by id", () => {
    expect(findColumn(columns, "c")?.id).toBe("c");
    expect(findColumn(columns, "nope")).toBeUndefined();
    expect(findColumn(columns, null)).toBeUndefined();
  });
});
