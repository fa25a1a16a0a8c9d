import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { Footer, type FooterItem, footerItems } from "../../../../src/ui/components/Footer.js";
import { hasColour, lines } from "./frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const ITEMS: FooterItem[] = [
  { key: "q", label: "quit" },
  { key: "?", label: "help" },
  { key: "/", label: "filter" },
  { key: "d", label: "drain", disabledReason: "read-only" },
  { key: "s", label: "sort" },
];

const footer = (width: number, color = true, items = ITEMS) =>
  render(<Footer items={items} width={width} color={color} />).lastFrame();

describe("Footer", () => {
  it("shows key label pairs on one line", () => {
    const out = lines(footer(80));
    expect(out).toEqual(["q quit  ? help  / filter  d drain  s sort"]);
  });

  it("drops items from the end to fit", () => {
    // "q quit  ? help  / filter" is 24 wide; the next item needs 9 more.
    expect(lines(footer(24))).toEqual(["q quit  ? help  / filter"]);
    expect(lines(footer(32))).toEqual(["q quit  ? help  / filter"]);
    expect(lines(footer(5))).toEqual([""]);
    expect(footerItems(ITEMS, 33).map((i) => i.key)).toEqual(["q", "?", "/", "d"]);
  });

  it("dims disabled items: grey with colour, faint without", () => {
    const coloured = footer(80)!;
    expect(coloured).toContain("\u001b[90md");
    expect(coloured).not.toContain("\u001b[90mq");
    const mono = footer(80, false)!;
    expect(hasColour(mono)).toBe(false);
    expect(mono).toContain("\u001b[2md");
  });

  it("sanitises labels", () => {
    const out = lines(footer(80, false, [{ key: "x", label: "a\u001b[2Jb" }]));
    expect(out[0]).toBe("x a\\x1b[2Jb");
  });
});

describe("Footer badge", () => {
  it("shows background work at the right end and drops items to keep it", () => {
    const out = lines(
      render(<Footer items={ITEMS} width={50} color={false} badge="old pid 8338 draining" />).lastFrame(),
    );
    expect(out[0]).toMatch(/^q quit {2}\? help .*⟳ old pid 8338 draining$/);
    expect([...out[0]!].length).toBeLessThanOrEqual(50);
  });
});
