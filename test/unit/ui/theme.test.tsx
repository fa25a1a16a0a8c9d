import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { Footer } from "../../../src/ui/components/Footer.js";
import { StatusLine } from "../../../src/ui/components/StatusLine.js";
import { ScreenProvider } from "../../../src/ui/ScreenProvider.js";
import { screenLayout } from "../../../src/ui/screen.js";
import { ThemeProvider, useLayout } from "../../../src/ui/theme.js";
import { hasColour, lines } from "./components/frame.js";

/** Theme (colour) and screen layout come from context; a component's own prop still wins. */
vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

describe("ThemeProvider", () => {
  it("gives colour to components that are not told", () => {
    const on = render(
      <ThemeProvider color={true}>
        <StatusLine text="drained" tone="good" />
      </ThemeProvider>,
    ).lastFrame();
    expect(on).toContain("\u001b[32mdrained");
    const off = render(
      <ThemeProvider color={false}>
        <StatusLine text="drained" tone="good" />
      </ThemeProvider>,
    ).lastFrame();
    expect(hasColour(off)).toBe(false);
  });

  it("lets a component's own prop win over the theme", () => {
    const frame = render(
      <ThemeProvider color={true}>
        <StatusLine text="drained" tone="good" color={false} />
      </ThemeProvider>,
    ).lastFrame();
    expect(hasColour(frame)).toBe(false);
  });
});

function ShowLayout() {
  const l = useLayout();
  return <StatusLine text={`${l.width}x${l.height} body ${l.bodyHeight}`} tone="none" />;
}

describe("ScreenProvider", () => {
  it("gives every component the layout of the size it is given (screen.ts)", () => {
    const size = { columns: 100, rows: 30 };
    const l = screenLayout(size);
    const frame = render(
      <ScreenProvider size={size}>
        <ShowLayout />
      </ScreenProvider>,
    ).lastFrame();
    expect(lines(frame)[0]).toBe(`${l.width}x${l.height} body ${l.bodyHeight}`);
  });

  it("sets the width of components that are not told it", () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, label: "label" }));
    const narrow = render(
      <ScreenProvider size={{ columns: 82, rows: 30 }}>
        <Footer items={items} />
      </ScreenProvider>,
    ).lastFrame();
    const wide = render(
      <ScreenProvider size={{ columns: 160, rows: 30 }}>
        <Footer items={items} />
      </ScreenProvider>,
    ).lastFrame();
    expect(lines(narrow)[0]!.length).toBeLessThanOrEqual(82);
    expect(lines(wide)[0]!.length).toBeGreaterThan(82);
  });

  it("defaults, outside any provider, to the layout of an 80x24 terminal", () => {
    const l = screenLayout({ columns: 80, rows: 24 });
    const frame = render(<ShowLayout />).lastFrame();
    expect(lines(frame)[0]).toBe(`${l.width}x${l.height} body ${l.bodyHeight}`);
  });
});
