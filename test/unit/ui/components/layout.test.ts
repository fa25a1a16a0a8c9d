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
  it("keeps every column at 80 wide and gives the rest to the grow column", () => {
    const l = layoutColumns(COLUMNS, 80);
    expect(ids(l)).toEqual(["name", "status", "scur", "rate", "bytes", "errors"]);
    expect(l[0]!.width).toBe(40);
    expect(l.slice(1).map((c) => c.width)).toEqual([8, 6, 7, 8, 6]);
    expect(total(l)).toBe(80);
  });

  it("fills 200 columns with the grow column", () => {
    const l = layoutColumns(COLUMNS, 200);
    expect(ids(l)).toHaveLength(6);
    expect(l[0]!.width).toBe(160);
    expect(total(l)).toBe(200);
  });

  it("fits exactly at the fixed width", () => {
    const l = layoutColumns(COLUMNS, 60);
    expect(ids(l)).toHaveLength(6);
    expect(l[0]!.width).toBe(20);
  });

  it("drops the highest priorities first, keeping the order", () => {
    const l = layoutColumns(COLUMNS, 50);
    expect(ids(l)).toEqual(["name", "status", "scur", "rate"]);
    expect(total(l)).toBe(50);
    expect(l[0]!.width).toBe(26);
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
