import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { ColumnPicker, columnPickerHeight } from "../../../../src/ui/components/ColumnPicker.js";
import type { SortChoice } from "../../../../src/ui/views/sortPicker.js";
import { lines, width } from "./frame.js";

const choices: SortChoice[] = ["trouble first (default)", "NAME", "STATUS", "SESSIONS", "5XX/S", "REQ/S"].map(
  (title, i) => ({ id: `c${i}`, title, descending: true }),
);

describe("ColumnPicker", () => {
  it("lists the choices in a small box, the current sort marked", () => {
    const out = lines(
      render(
        <ColumnPicker
          choices={choices}
          index={3}
          current={{ columnId: "c4", descending: true }}
          width={80}
          height={20}
          color={false}
        />,
      ).lastFrame(),
    );
    expect(out).toHaveLength(columnPickerHeight(choices.length, 20));
    expect(out[1]).toContain("Sort by");
    expect(out.some((l) => l.includes("▼ 5XX/S"))).toBe(true);
    expect(out.some((l) => l.includes("  SESSIONS"))).toBe(true);
    for (const l of out) expect(width(l)).toBeLessThanOrEqual(80);
  });

  it("scrolls to keep the highlighted choice in view when short", () => {
    const frame = render(
      <ColumnPicker choices={choices} index={5} current={null} width={80} height={6} color={false} />,
    ).lastFrame();
    const out = lines(frame);
    expect(out).toHaveLength(6);
    expect(out.join("\n")).toContain("REQ/S");
    expect(out.join("\n")).not.toContain("trouble first");
  });
});
