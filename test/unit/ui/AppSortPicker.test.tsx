import { describe, expect, it, vi } from "vitest";
import { KEYS, mounted, press, recordingController } from "./appHarness.js";
import { lines, plain } from "./components/frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const SIZE = { columns: 80, rows: 24 };

/** The frontends in the order drawn. */
const order = (frame: string | undefined) =>
  plain(frame)
    .split("\n")
    .filter((l) => /^(fe_main|fe_tcp|be_static)\s+(OPEN|STOP|FULL)/.test(l))
    .map((l) => l.split(/\s+/)[0]);

const pickerOpen = (frame: string | undefined) => plain(frame).includes("Sort by");

describe("column picker (s) at 80×24", () => {
  it("opens a list of columns on s, the default first, and fits the screen", async () => {
    const app = await mounted({ size: SIZE });
    await press(app.stdin, "s");
    await vi.waitFor(() => expect(pickerOpen(app.lastFrame())).toBe(true));
    const out = lines(app.lastFrame());
    expect(out.length).toBeLessThanOrEqual(SIZE.rows - 1);
    expect(plain(app.lastFrame())).toContain("trouble first (default)");
    expect(plain(app.lastFrame())).toContain("FRONTEND");
    // The table keeps rows above the picker, and the footer lists the picker's keys.
    expect(order(app.lastFrame()).length).toBeGreaterThan(0);
    expect(out.at(-1)).toMatch(/Enter sort.*Esc close.*↑ move/);
  });

  it("sorts by the column chosen with the arrows and Enter; picking it again reverses it", async () => {
    const app = await mounted({ size: SIZE });
    await press(app.stdin, "s", KEYS.down, KEYS.enter);
    await vi.waitFor(() => expect(pickerOpen(app.lastFrame())).toBe(false));
    expect(plain(app.lastFrame())).toContain("FRONTEND▲");
    const asc = order(app.lastFrame());
    expect(asc).toEqual([...asc].sort());
    // Reopened, the picker sits on the current column: Enter reverses it.
    await press(app.stdin, "s", KEYS.enter);
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("FRONTEND▼"));
    expect(order(app.lastFrame())).toEqual([...asc].reverse());
  });

  it("jumps to a column by its first letter", async () => {
    const app = await mounted({ size: SIZE });
    await press(app.stdin, "s", "f", KEYS.enter);
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("FRONTEND▲"));
  });

  it("closes on Esc (or q) without changing the sort; q then quits from the main view", async () => {
    const rec = recordingController();
    const dispose = vi.fn();
    const app = await mounted({ size: SIZE, controller: { ...rec.controller, dispose } });
    const before = order(app.lastFrame());
    await press(app.stdin, "s", KEYS.down, KEYS.esc);
    await vi.waitFor(() => expect(pickerOpen(app.lastFrame())).toBe(false));
    expect(plain(app.lastFrame())).toContain("trouble first");
    expect(order(app.lastFrame())).toEqual(before);
    await press(app.stdin, "s");
    await vi.waitFor(() => expect(pickerOpen(app.lastFrame())).toBe(true));
    await press(app.stdin, "q");
    await vi.waitFor(() => expect(pickerOpen(app.lastFrame())).toBe(false));
    expect(dispose).not.toHaveBeenCalled(); // q closed the picker, not the app
    await press(app.stdin, "q");
    await vi.waitFor(() => expect(dispose).toHaveBeenCalled()); // the App unmounted: quit
  });
});
