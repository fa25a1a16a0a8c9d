import { describe, expect, it } from "vitest";
import type { Column } from "../../../../src/ui/table/types.js";
import { openSortPicker, sortChoices, sortPickerKey } from "../../../../src/ui/views/sortPicker.js";
import { TROUBLE_SORT, troubleColumn } from "../../../../src/ui/views/trouble.js";

type Row = { n: number };
const col = (id: string, title: string, extra: Partial<Column<Row>> = {}): Column<Row> => ({
  id,
  title,
  width: 5,
  priority: 0,
  cell: () => ({ text: "" }),
  sortValue: (r) => r.n,
  ...extra,
});
const trouble = troubleColumn<Row>(() => ({ status: "", http5xxPerSec: 0, errPerSec: 0, queue: 0, fill: 0 }));
const columns = [
  trouble,
  col("name", "NAME"),
  col("status", "STATUS"),
  col("sessions", "SESSIONS", { descendingFirst: true }),
  col("rate", "REQ/S", { align: "right" }),
  col("plain", "PLAIN", { sortValue: undefined }),
] as Column<unknown>[];

describe("the column picker `s` opens", () => {
  const choices = sortChoices(columns, TROUBLE_SORT);

  it("lists the default first, then every sortable column in order", () => {
    expect(choices.map((c) => c.title)).toEqual([
      "trouble first (default)",
      "NAME",
      "STATUS",
      "SESSIONS",
      "REQ/S",
    ]);
    expect(choices.map((c) => c.descending)).toEqual([true, false, false, true, true]);
  });

  it("opens on the current sort and moves with the arrows, bounded", () => {
    const s = openSortPicker(choices, { columnId: "sessions", descending: true });
    expect(s.index).toBe(3);
    expect(sortPickerKey(s, choices, "down", null)).toEqual({ kind: "move", state: { index: 4 } });
    expect(sortPickerKey({ index: 4 }, choices, "down", null)).toEqual({ kind: "move", state: { index: 4 } });
    expect(sortPickerKey({ index: 1 }, choices, "home", null)).toEqual({ kind: "move", state: { index: 0 } });
    expect(sortPickerKey({ index: 0 }, choices, "end", null)).toEqual({ kind: "move", state: { index: 4 } });
    expect(openSortPicker(choices, null).index).toBe(0);
  });

  it("picks with Enter in the column's own direction; picking the current column reverses it", () => {
    expect(sortPickerKey({ index: 3 }, choices, "enter", null)).toEqual({
      kind: "pick",
      sort: { columnId: "sessions", descending: true },
    });
    expect(sortPickerKey({ index: 1 }, choices, "enter", TROUBLE_SORT)).toEqual({
      kind: "pick",
      sort: { columnId: "name", descending: false },
    });
    expect(sortPickerKey({ index: 3 }, choices, "enter", { columnId: "sessions", descending: true })).toEqual(
      {
        kind: "pick",
        sort: { columnId: "sessions", descending: false },
      },
    );
  });

  it("closes with Esc, q or s, and jumps to a column by its first letter", () => {
    for (const k of ["esc", "q", "s"])
      expect(sortPickerKey({ index: 2 }, choices, k, null)).toEqual({ kind: "close" });
    expect(sortPickerKey({ index: 0 }, choices, "r", null)).toEqual({ kind: "move", state: { index: 4 } });
    expect(sortPickerKey({ index: 0 }, choices, "n", null)).toEqual({ kind: "move", state: { index: 1 } });
    expect(sortPickerKey({ index: 2 }, choices, "x", null)).toEqual({ kind: "move", state: { index: 2 } });
  });
});
