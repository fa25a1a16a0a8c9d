import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { Table, tableBodyHeight, visibleWindow } from "../../../../src/ui/components/Table.js";
import type { Column, Tone } from "../../../../src/ui/table/types.js";
import { hasColour, lines, plain, width } from "./frame.js";

// Colour is forced on so that the escapes the table emits (inverse, colours) can be asserted.
vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

interface Row {
  name: string;
  cur: number;
  tone?: Tone;
}

const cellCalls = { n: 0 };

const COLUMNS: Column<Row>[] = [
  {
    id: "name",
    title: "Name",
    width: 10,
    priority: 0,
    grow: true,
    cell: (r) => {
      cellCalls.n++;
      return { text: r.name, tone: r.tone };
    },
  },
  { id: "cur", title: "Cur", width: 6, align: "right", priority: 1, cell: (r) => ({ text: String(r.cur) }) },
];

const ROWS: Row[] = [
  { name: "web1", cur: 3 },
  { name: "web2", cur: 12, tone: "bad" },
  { name: "web3", cur: 7 },
];

function table(props: Partial<Parameters<typeof Table<Row>>[0]> = {}) {
  return render(
    <Table<Row>
      columns={COLUMNS}
      rows={ROWS}
      rowKey={(r) => r.name}
      cursorKey={null}
      scrollTop={0}
      width={30}
      height={6}
      sort={null}
      color={true}
      {...props}
    />,
  );
}

describe("Table", () => {
  it("renders a header and the rows, each cell fitted to its column", () => {
    // Short names: the name column keeps its own width, the spare room stays at the right edge.
    const out = lines(table().lastFrame());
    expect(out[0]).toBe(`Name${" ".repeat(10)}Cur`);
    expect(out[1]).toBe(`web1${" ".repeat(12)}3`);
    expect(out[2]).toBe(`web2${" ".repeat(11)}12`);
    expect(out[3]).toBe(`web3${" ".repeat(12)}7`);
  });

  it("makes the name column as wide as the longest name on screen", () => {
    const rows = [...ROWS, { name: "a-much-longer-name", cur: 1 }];
    const out = lines(table({ rows }).lastFrame());
    expect(out[4]).toBe(`a-much-longer-name${" ".repeat(6)}1`);
    expect(out[1]).toBe(`web1${" ".repeat(20)}3`);
    // Scrolled past it, the column narrows again.
    const scrolled = lines(table({ rows, height: 3 }).lastFrame());
    expect(scrolled[1]).toBe(`web1${" ".repeat(12)}3`);
  });

  it("never renders more lines than its height", () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ name: `s${i}`, cur: i }));
    const out = lines(table({ rows: many, height: 6 }).lastFrame());
    expect(out).toHaveLength(6);
    expect(out[5]).toContain("s4");
  });

  it("marks the sorted column ▼ when descending and ▲ when ascending", () => {
    const desc = lines(table({ sort: { columnId: "cur", descending: true } }).lastFrame());
    expect(desc[0]).toMatch(/Cur▼$/);
    expect(desc[0]).not.toContain("▲");
    const asc = lines(table({ sort: { columnId: "name", descending: false } }).lastFrame());
    expect(asc[0]).toMatch(/^Name▲ /);
    expect(asc[0]).not.toContain("▼");
  });

  it("keeps the sort mark when the title is cut", () => {
    const cols: Column<Row>[] = [
      { ...COLUMNS[0]!, grow: false },
      { ...COLUMNS[1]!, title: "Sessions", width: 5 },
    ];
    const out = lines(table({ columns: cols, sort: { columnId: "cur", descending: true } }).lastFrame());
    expect(out[0]).toContain("Ses…▼");
  });

  it("renders the cursor row inverse, and only that row", () => {
    const frame = table({ cursorKey: "web2" }).lastFrame()!;
    const raw = frame.split("\n");
    expect(raw[2]).toContain("\u001b[7m");
    expect(raw[1]).not.toContain("\u001b[7m");
    expect(raw[3]).not.toContain("\u001b[7m");
    // The bar spans the whole width.
    expect(width(lines(frame)[2]!)).toBe(30);
  });

  it("colours a cell by its tone, and not at all without colour", () => {
    const coloured = table().lastFrame()!;
    expect(coloured.split("\n")[2]).toContain("\u001b[31mweb2");
    const plainFrame = table({
      color: false,
      cursorKey: "web1",
      sort: { columnId: "cur", descending: true },
    });
    expect(hasColour(plainFrame.lastFrame())).toBe(false);
  });

  it("sanitises cell text and titles", () => {
    const evil: Row[] = [{ name: "x\u001b[2Jy", cur: 1 }];
    const cols: Column<Row>[] = [{ ...COLUMNS[0]!, title: "N\u0007" }, COLUMNS[1]!];
    const frame = plain(table({ rows: evil, columns: cols, color: false }).lastFrame());
    expect(frame).not.toContain("\u001b");
    expect(frame).not.toContain("\u0007");
    expect(frame).toContain("x\\x1b[2Jy");
    expect(frame).toContain("N\\x07");
  });

  it("cuts every line to the width even when the columns cannot fit", () => {
    const out = lines(table({ width: 8, cursorKey: "web1" }).lastFrame());
    for (const l of out) expect(width(l)).toBeLessThanOrEqual(8);
    expect(out[1]).toBe("web1    ");
  });

  it("shows the empty text dimmed when there are no rows", () => {
    const frame = table({ rows: [], emptyText: "no backend matches" }).lastFrame()!;
    expect(lines(frame)[1]).toBe("no backend matches");
    expect(frame).toContain("\u001b[90mno backend matches");
  });

  it("shows the rows from scrollTop, clamped to the end", () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ name: `s${i}`, cur: i }));
    expect(lines(table({ rows: many, scrollTop: 3, height: 4 }).lastFrame())[1]).toMatch(/^s3 /);
    const end = lines(table({ rows: many, scrollTop: 99, height: 4 }).lastFrame());
    expect(end.slice(1).map((l) => l.split(" ")[0])).toEqual(["s7", "s8", "s9"]);
  });

  it("renders only the visible window of 50 000 rows", () => {
    const many: Row[] = Array.from({ length: 50_000 }, (_, i) => ({ name: `srv${i}`, cur: i }));
    table({ rows: many.slice(0, 30), height: 20 }).unmount(); // warm up Ink and React
    cellCalls.n = 0;
    const { lastFrame } = table({
      rows: many,
      height: 20,
      width: 60,
      scrollTop: 25_000,
      cursorKey: "srv25005",
    });
    const out = lines(lastFrame());
    expect(out).toHaveLength(20);
    expect(out.filter((l) => l.startsWith("srv"))).toHaveLength(19);
    expect(out[1]).toMatch(/^srv25000 /);
    expect(out[19]).toMatch(/^srv25018 /);
    // Cells are computed for the rows on screen only (once each, the name column's width included):
    // the cost does not grow with the rows. No wall-clock bound: the machine's load is not the code's.
    expect(cellCalls.n).toBeLessThanOrEqual(19);
  });
});

describe("tableBodyHeight", () => {
  it("is the height less the header line", () => {
    expect(tableBodyHeight(20)).toBe(19);
    expect(tableBodyHeight(0)).toBe(0);
  });
});

describe("visibleWindow", () => {
  // height 6 → 5 rows in view.
  it("keeps scrollTop when the cursor is in view", () => {
    expect(visibleWindow(12, 10, 6, 100)).toBe(10);
    expect(visibleWindow(14, 10, 6, 100)).toBe(10);
  });

  it("scrolls up just enough", () => {
    expect(visibleWindow(7, 10, 6, 100)).toBe(7);
  });

  it("scrolls down just enough", () => {
    expect(visibleWindow(15, 10, 6, 100)).toBe(11);
    expect(visibleWindow(40, 10, 6, 100)).toBe(36);
  });

  it("clamps to the end and the start", () => {
    expect(visibleWindow(99, 98, 6, 100)).toBe(95);
    expect(visibleWindow(2, 90, 6, 3)).toBe(0);
    expect(visibleWindow(0, -4, 6, 100)).toBe(0);
    expect(visibleWindow(500, 0, 6, 100)).toBe(95);
  });

  it("only clamps without a cursor, and is 0 with no rows or no room", () => {
    expect(visibleWindow(-1, 200, 6, 100)).toBe(95);
    expect(visibleWindow(-1, 20, 6, 100)).toBe(20);
    expect(visibleWindow(3, 5, 6, 0)).toBe(0);
    expect(visibleWindow(3, 5, 1, 10)).toBe(0);
  });

  it("draws a gauge without its colour on the cursor row (inverse would swap the bar's fill)", () => {
    const gauge: Column<Row>[] = [
      { id: "name", title: "Name", width: 6, priority: 0, cell: (r) => ({ text: r.name }) },
      {
        id: "fill",
        title: "Fill",
        width: 12,
        priority: 0,
        cell: () => ({ text: "▏░░░░ 3/1024", tone: "good" }),
      },
    ];
    const frame = (cursorKey: string | null) =>
      table({ columns: gauge, rows: [ROWS[0]!], cursorKey }).lastFrame() ?? "";
    const line = (f: string) => f.split("\n").find((l) => l.includes("web1")) ?? "";
    expect(hasColour(line(frame(null)))).toBe(true); // green off the cursor
    expect(hasColour(line(frame("web1")))).toBe(false); // plain inverse on it
    expect(line(frame("web1"))).toContain("\u001b[7m");
  });
});
