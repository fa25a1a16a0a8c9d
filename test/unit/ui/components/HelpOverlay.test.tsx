import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import {
  HELP_HINT,
  type HelpGroup,
  HelpOverlay,
  helpLineCount,
  helpMaxScroll,
} from "../../../../src/ui/components/HelpOverlay.js";
import { hasColour, lines, width } from "./frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const GROUPS: HelpGroup[] = [
  {
    title: "General",
    items: [
      { keys: ["q", "ctrl-c"], label: "quit", description: "Quit and restore the terminal" },
      { keys: ["?"], label: "help", description: "Show every key" },
    ],
  },
  {
    title: "Actions",
    items: [
      { keys: ["d"], label: "drain", description: "Drain the server", disabledReason: "read-only mode" },
      { keys: ["m"], label: "maint", description: "Put the server in maintenance" },
    ],
  },
];

const help = (props: {
  width?: number;
  height?: number;
  color?: boolean;
  scrollTop?: number;
  groups?: HelpGroup[];
}) =>
  render(
    <HelpOverlay
      groups={props.groups ?? GROUPS}
      width={props.width ?? 60}
      height={props.height ?? 12}
      color={props.color ?? true}
      scrollTop={props.scrollTop ?? 0}
    />,
  ).lastFrame();

describe("HelpOverlay", () => {
  it("lists every key by group in a bordered box with the hint at the bottom", () => {
    const out = lines(help({ width: 72 }));
    expect(out).toHaveLength(12);
    expect(out[0]).toMatch(/^╭─+╮$/);
    expect(out[11]).toMatch(/^╰─+╯$/);
    for (const l of out) expect(width(l)).toBe(72);
    expect(out[1]).toMatch(/^│ General +│$/);
    expect(out[2]).toMatch(/^│ q, ctrl-c {2}quit {3}Quit and restore the terminal +│$/);
    expect(out[3]).toMatch(/^│ \? {10}help {3}Show every key +│$/);
    expect(out[4]).toMatch(/^│ +│$/);
    expect(out[5]).toContain("Actions");
    expect(out[6]).toContain("d          drain  Drain the server (disabled: read-only mode)");
    expect(out[7]).toContain("Put the server in maintenance");
    expect(out[10]).toContain(HELP_HINT);
  });

  it("dims disabled keys only", () => {
    const raw = help({})!.split("\n");
    expect(raw[6]).toContain("\u001b[90md ");
    expect(raw[7]).not.toContain("\u001b[90m");
  });

  it("is never taller than its height, and scrolls", () => {
    const many: HelpGroup[] = [
      {
        title: "Many",
        items: Array.from({ length: 40 }, (_, i) => ({
          keys: [`k${i}`],
          label: `l${i}`,
          description: `d${i}`,
        })),
      },
    ];
    expect(helpLineCount(many)).toBe(41);
    // 10 lines: 2 borders, 1 hint, 7 content.
    expect(helpMaxScroll(many, 10)).toBe(34);
    const top = lines(help({ groups: many, height: 10 }));
    expect(top).toHaveLength(10);
    expect(top[1]).toContain("Many");
    expect(top[8]).toContain(`${HELP_HINT}  1–7/41`);
    const scrolled = lines(help({ groups: many, height: 10, scrollTop: 10 }));
    expect(scrolled).toHaveLength(10);
    expect(scrolled[1]).toMatch(/│ k9 +l9 +d9 +│/);
    const end = lines(help({ groups: many, height: 10, scrollTop: 999 }));
    expect(end[7]).toMatch(/│ k39 +l39 +d39 +│/);
  });

  it("truncates long lines to the width", () => {
    const long: HelpGroup[] = [
      { title: "G", items: [{ keys: ["x"], label: "x", description: "z".repeat(200) }] },
    ];
    const out = lines(help({ groups: long, width: 30, height: 6 }));
    for (const l of out) expect(width(l)).toBe(30);
    expect(out[2]).toMatch(/z… │$/);
  });

  it("emits no colour without colour", () => {
    const frame = help({ color: false });
    expect(hasColour(frame)).toBe(false);
    expect(frame).toContain("\u001b[2md ");
  });

  it("sanitises its text", () => {
    const evil: HelpGroup[] = [
      {
        title: "T\u0007",
        items: [{ keys: ["x"], label: "x", description: "d", disabledReason: "no\u001b[2J" }],
      },
    ];
    const out = lines(help({ groups: evil, color: false })).join("\n");
    expect(out).toContain("T\\x07");
    expect(out).toContain("(disabled: no\\x1b[2J)");
  });
});
