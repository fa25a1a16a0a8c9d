import { render } from "ink-testing-library";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { Column } from "../../../../src/ui/table/types.js";

// Every <Text> Ink renders is counted: a table line that React skips renders none of its cells.
const textRenders = vi.hoisted(() => ({ n: 0 }));
vi.mock("ink", async (importOriginal) => {
  const ink = await importOriginal<typeof import("ink")>();
  const Text = (props: Parameters<typeof ink.Text>[0]) => {
    textRenders.n++;

    return ink.Text(props);
  };
  return { ...ink, Text };
});

const { Table, sameLine } = await import("../../../../src/ui/components/Table.js");

interface Row {
  name: string;
  cur: number;
}

// New column objects on each call, as the views build them after every poll.
const columns = (): Column<Row>[] => [
  { id: "name", title: "Name", width: 10, priority: 0, grow: true, cell: (r) => ({ text: r.name }) },
  {
    id: "cur",
    title: "Cur",
    width: 6,
    align: "right",
    priority: 1,
    cell: (r) => ({ text: String(r.cur), tone: r.cur > 10 ? "bad" : undefined }),
  },
];

// New row objects on each call, with the same data unless `cur` says otherwise.
const rows = (cur: Record<string, number> = {}): Row[] =>
  ["web1", "web2", "web3", "web4"].map((name) => ({ name, cur: cur[name] ?? 1 }));

// Ink commits on its own schedule: wait for the frame before counting.
const drawn = async (app: ReturnType<typeof render>, text: RegExp) =>
  vi.waitFor(() => expect(app.lastFrame()).toMatch(text));

interface Shown {
  rows: Row[];
  cursorKey: string | null;
}

/**
 * The table inside a component with state, re-rendered from inside as the App is after a poll (a
 * `rerender` from the root would hand Ink's own context providers new values, and every <Text> reads
 * them). `show` sets what it shows.
 */
function mountTable(first: Shown) {
  const host: { show: (s: Shown) => void; renders: number } = { show: () => undefined, renders: 0 };
  function Host() {
    const [shown, setShown] = useState(first);
    host.show = setShown;
    host.renders++;
    return (
      <Table
        columns={columns()}
        rows={shown.rows}
        rowKey={(r) => r.name}
        cursorKey={shown.cursorKey}
        scrollTop={0}
        width={40}
        height={6}
        sort={null}
        color
      />
    );
  }
  const app = render(<Host />);
  /** Shows `s` and resolves once the table has rendered it (its lines render in that same pass). */
  const show = async (s: Shown) => {
    const before = host.renders;
    host.show(s);
    await vi.waitFor(() => expect(host.renders).toBeGreaterThan(before));
  };
  return { app, show };
}

describe("Table lines are drawn again only when what they show changed", () => {
  it("renders no cell again for new row and column objects holding the same data", async () => {
    const { app, show } = mountTable({ rows: rows(), cursorKey: null });
    await drawn(app, /web4/);
    const first = app.lastFrame();
    textRenders.n = 0;
    await show({ rows: rows(), cursorKey: null });
    expect(textRenders.n).toBe(0);
    expect(app.lastFrame()).toBe(first);
    app.unmount();
  });

  it("renders only the line whose cell changed, and shows the change", async () => {
    const { app, show } = mountTable({ rows: rows(), cursorKey: null });
    await drawn(app, /web4/);
    textRenders.n = 0;
    await show({ rows: rows({ web3: 12 }), cursorKey: null });
    await drawn(app, /web3 +12/);
    // One line: its outer <Text> and one <Text> per cell.
    expect(textRenders.n).toBe(3);
    app.unmount();
  });

  it("draws the old and the new cursor line again when the cursor moves", async () => {
    const { app, show } = mountTable({ rows: rows(), cursorKey: "web1" });
    await drawn(app, /web4/);
    textRenders.n = 0;
    await show({ rows: rows(), cursorKey: "web2" });
    expect(textRenders.n).toBe(6);
    app.unmount();
  });
});

describe("sameLine", () => {
  const layout = columns().map((column) => ({ column, width: 8 }));
  const base = { layout, width: 40, texts: ["a", "1"], styles: [{}, { color: "red" }] };

  it("is true for equal content in new objects, false for any visible difference", () => {
    const copy = {
      ...base,
      layout: columns().map((column) => ({ column, width: 8 })),
      styles: [{}, { color: "red" }],
    };
    expect(sameLine(base, copy)).toBe(true);
    expect(sameLine(base, { ...base, texts: ["a", "2"] })).toBe(false);
    expect(sameLine(base, { ...base, styles: [{}, { color: "green" }] })).toBe(false);
    expect(sameLine(base, { ...base, styles: [{}, { color: "red", bold: true }] })).toBe(false);
    expect(sameLine(base, { ...base, inverse: true })).toBe(false);
    expect(sameLine(base, { ...base, width: 39 })).toBe(false);
    expect(
      sameLine(base, { ...base, layout: layout.map((l, i) => ({ ...l, width: i === 1 ? 9 : 8 })) }),
    ).toBe(false);
    expect(
      sameLine(base, {
        ...base,
        layout: layout.map((l) => ({ ...l, column: { ...l.column, align: "left" } })),
      }),
    ).toBe(false);
  });
});
