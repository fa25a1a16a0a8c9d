import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { Dialog, dialogHeight, hardWrap } from "../../../../src/ui/components/Dialog.js";
import { hasColour, lines, plain } from "./frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const HINT = "Enter/y confirm · Esc/n cancel";

describe("Dialog", () => {
  it("shows the title, the lines and the hint in a box", () => {
    const frame = render(
      <Dialog
        title="Drain server?"
        lines={["set server be_app/app1 state drain"]}
        hint={HINT}
        width={50}
        color={true}
      />,
    ).lastFrame();
    expect(lines(frame)).toEqual([
      `╭${"─".repeat(48)}╮`,
      `│ Drain server?${" ".repeat(34)}│`,
      `│${" ".repeat(48)}│`,
      `│ set server be_app/app1 state drain${" ".repeat(13)}│`,
      `│${" ".repeat(48)}│`,
      `│ ${HINT}${" ".repeat(17)}│`,
      `╰${"─".repeat(48)}╯`,
    ]);
    expect(dialogHeight(["set server be_app/app1 state drain"], 50)).toBe(7);
    // Accent (cyan) border and title by default.
    expect(frame).toContain("\u001b[36m╭");
  });

  it("takes its tone's colour, and none without colour", () => {
    const props = {
      title: "Shut down sessions?",
      lines: ["shutdown sessions server be/s1"],
      hint: HINT,
      width: 50,
    };
    expect(render(<Dialog {...props} color={true} tone="bad" />).lastFrame()).toContain("\u001b[31m╭");
    expect(hasColour(render(<Dialog {...props} color={false} tone="bad" />).lastFrame())).toBe(false);
  });

  it("wraps a long command so it is shown whole", () => {
    const command = `set server ${"b".repeat(30)}/${"s".repeat(30)} state maint`;
    const out = lines(
      render(<Dialog title="T" lines={[command]} hint="h" width={30} color={false} />).lastFrame(),
    );
    const body = out.slice(3, -3).map((l) => l.slice(2, -2).trimEnd());
    // Wrapped at spaces; the word longer than a line is cut into pieces, nothing hidden.
    expect(body.join("").replace(/ /g, "")).toBe(command.replace(/ /g, ""));
    expect(out).toHaveLength(dialogHeight([command], 30));
  });

  it("wraps at word boundaries, never inside a word that fits on a line", () => {
    const text =
      "This leaves be_app with NO server able to take traffic (at the last poll). Confirm again to do it anyway.";
    const out = lines(
      render(<Dialog title="T" lines={[text]} hint="h" width={40} color={false} />).lastFrame(),
    );
    const body = out.slice(3, -3).map((l) => l.slice(2, -2).trim());
    expect(body.join(" ")).toBe(text);
    const words = new Set(text.split(" "));
    for (const line of body)
      for (const w of line.split(" ")) expect(words.has(w), `${w} in ${line}`).toBe(true);
  });

  it("sanitises what it shows", () => {
    const frame = plain(
      render(
        <Dialog title={"T\u0007"} lines={["x\u001b[2Jy"]} hint="h" width={30} color={false} />,
      ).lastFrame(),
    );
    expect(frame).not.toContain("\u001b");
    expect(frame).toContain("x\\x1b[2Jy");
    expect(frame).toContain("T\\x07");
  });

  it("keeps within maxHeight", () => {
    const many = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const out = lines(
      render(<Dialog title="T" lines={many} hint="h" width={30} color={false} maxHeight={8} />).lastFrame(),
    );
    expect(out).toHaveLength(8);
    expect(out[2]).toContain("line 0");
    expect(out[5]).toContain("…");
    expect(out[6]).toContain("h");
  });
});

describe("hardWrap", () => {
  it("cuts a line into pieces of the width", () => {
    expect(hardWrap("abcdefg", 3)).toEqual(["abc", "def", "g"]);
    expect(hardWrap("", 3)).toEqual([""]);
    expect(hardWrap("→→→→", 2)).toEqual(["→→", "→→"]);
  });
});
