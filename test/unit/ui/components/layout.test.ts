import { describe, expect, it } from "vitest";
import { layoutColumns } from "../../../../src/ui/components/layout.js";
import type { Column } from "../../../../src/ui/table/types.js";

type Row = { name: string };

function col(id: string, width: number, priority: number, grow = false): Column<Row> {
  return { id, title: id, width, priority, grow, cell: (r) => ({ text: r.name }) };
}

// Fixed widths 20+8+6+7+8+6 = 55, plus 5 separators = 60.
const COLUMNS = [
  col("name", 20, 0, true),
  col("status", 8, 0),
  col("scur", 6, 1),
  col("rate", 7, 2),
  col("bytes", 8, 3),
  col("errors", 6, 4),
];

const ids = (l: { column: Column<Row> }[]) => l.map((c) => c.column.id);
const total = (l: { width: number }[]) => l.reduce((s, c) => s + c.width, 0) + Math.max(0, l.length - 1);

describe("layoutColumns", () => {
  it("keeps every column at 80 wide; the name column is as wide as its longest cell, the rest stays at the edge", () => {
    const l = layoutColumns(COLUMNS, 80, () => 24);
    expect(ids(l)).toEqual(["name", "status", "scur", "rate", "bytes", "errors"]);
    expect(l[0]!.width).toBe(24);
    expect(l.slice(1).map((c) => c.width)).toEqual([8, 6, 7, 8, 6]);
    expect(total(l)).toBe(64);
  });

  it("never makes the name column narrower than its width or its title", () => {
    expect(layoutColumns(COLUMNS, 200, () => 3)[0]!.width).toBe(20);
    const titled = [{ ...col("name", 4, 0, true), title: "FRONTEND" }, col("a", 5, 1)];
    expect(layoutColumns(titled, 80, () => 2)[0]!.width).toBe(8);
  });

  it("gives short names' room to more columns, and long names room when there is some", () => {
    const cols = [col("name", 6, 0, true), col("a", 30, 1), col("b", 30, 2)];
    // Names of 10: both columns fit in 80.
    expect(ids(layoutColumns(cols, 80, () => 10))).toEqual(["name", "a", "b"]);
    // Names of 30: b goes (the name may take half the line from columns that could be shown)...
    const l = layoutColumns(cols, 80, () => 30);
    expect(ids(l)).toEqual(["name", "a"]);
    // ...and the name takes what is left, up to its longest cell.
    expect(l[0]!.width).toBe(30);
    // Names of 70 at 80: never more than half the line before dropping columns.
    expect(ids(layoutColumns(cols, 80, () => 70))).toEqual(["name", "a"]);
    expect(layoutColumns(cols, 80, () => 70)[0]!.width).toBe(49);
  });

  it("fits exactly at the fixed width", () => {
    const l = layoutColumns(COLUMNS, 60, () => 20);
    expect(ids(l)).toHaveLength(6);
    expect(l[0]!.width).toBe(20);
  });

  it("drops the highest priorities first, keeping the order", () => {
    const l = layoutColumns(COLUMNS, 50, () => 26);
    expect(ids(l)).toEqual(["name", "status", "scur", "rate"]);
    expect(total(l)).toBe(50);
    expect(l[0]!.width).toBe(26);
  });

  it("shrinks a long name, down to its width, before dropping a column that is always shown", () => {
    // Half of 40 is the name's own width (20): status and scur fit beside it, then it takes the rest.
    const l = layoutColumns(COLUMNS, 40, () => 60);
    expect(ids(l)).toEqual(["name", "status", "scur"]);
    expect(l[0]!.width).toBe(24);
    // At 25, only the columns that are always shown stay, and the name shrinks to its width.
    const narrow = layoutColumns(COLUMNS, 25, () => 60);
    expect(ids(narrow)).toEqual(["name", "status"]);
    expect(narrow[0]!.width).toBe(20);
  });

  it("on a tie drops the rightmost column", () => {
    const cols = [col("name", 10, 0, true), col("a", 5, 2), col("b", 5, 2)];
    expect(ids(layoutColumns(cols, 17))).toEqual(["name", "a"]);
  });

  it("never drops priority 0 nor shrinks the grow column below its width when very narrow", () => {
    const l = layoutColumns(COLUMNS, 10);
    expect(ids(l)).toEqual(["name", "status"]);
    expect(l.map((c) => c.width)).toEqual([20, 8]);
  });

  it("leaves the spare width unused without a grow column", () => {
    const l = layoutColumns([col("a", 5, 0), col("b", 5, 1)], 30);
    expect(l.map((c) => c.width)).toEqual([5, 5]);
  });

  it("handles no columns", () => {
    expect(layoutColumns([], 80)).toEqual([]);
  });
});
