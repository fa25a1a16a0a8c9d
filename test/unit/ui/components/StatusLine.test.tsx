import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { StatusLine } from "../../../../src/ui/components/StatusLine.js";
import { hasColour, lines, plain } from "./frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

describe("StatusLine", () => {
  it("shows the text in its tone's colour", () => {
    const frame = render(
      <StatusLine text="server drained" tone="good" width={40} color={true} />,
    ).lastFrame();
    expect(lines(frame)).toEqual(["server drained"]);
    expect(frame).toContain("\u001b[32mserver drained");
  });

  it("emits no colour without colour", () => {
    const frame = render(<StatusLine text="refused" tone="bad" width={40} color={false} />).lastFrame();
    expect(hasColour(frame)).toBe(false);
    expect(plain(frame)).toBe("refused");
  });

  it("is one blank line without text", () => {
    expect(lines(render(<StatusLine text={null} tone="none" width={40} color={true} />).lastFrame())).toEqual(
      [""],
    );
  });

  it("keeps to one line, cut to the width, and sanitised", () => {
    const text = "No such server.\n\u001b[2Jmore text that goes on and on and on";
    const out = lines(render(<StatusLine text={text} tone="bad" width={30} color={false} />).lastFrame());
    expect(out).toHaveLength(1);
    expect(out[0]).toBe("No such server. · \\x1b[2Jmore…");
  });
});
