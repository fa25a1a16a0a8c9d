import { describe, expect, it, vi } from "vitest";
import type { ActionController } from "../../../src/ui/plan.js";
import { cursorLine, cursorTo, KEYS, mounted, pollResult, press } from "./appHarness.js";
import { lines, plain } from "./components/frame.js";

describe("App", () => {
  it("renders the header, the frontends and a footer, never taller than rows - 1", async () => {
    const { lastFrame } = await mounted();
    const out = lines(lastFrame());
    expect(out.length).toBeLessThanOrEqual(39);
    expect(out[0]).toContain("HAProxy 2.6.12");
    expect(plain(lastFrame())).toMatch(/fe_main\s+OPEN/);
    expect(out[out.length - 1]).toMatch(/q quit.*\? help/);
  });

  it("switches views with digits and Tab, and shows the backends tree", async () => {
    const app = await mounted();
    const { lastFrame, stdin } = app;
    await press(stdin, "2");
    expect(plain(lastFrame())).toMatch(/▾ be_app/);
    expect(plain(lastFrame())).toMatch(/app_down\s+DOWN/);
    await cursorTo(app, /be_app/);
    await press(stdin, KEYS.enter); // cursor on be_app: collapse it
    expect(plain(lastFrame())).toMatch(/▸ be_app/);
    expect(plain(lastFrame())).not.toMatch(/app_down/);
    await press(stdin, KEYS.tab);
    expect(plain(lastFrame())).toMatch(/SOURCE/);
    expect(plain(lastFrame())).toContain("127.0.0.1:42334");
    expect(plain(lastFrame())).not.toContain("unix:1"); // the CLI's own session is hidden
  });

  it("keeps the cursor on the same server when the rows reorder", async () => {
    // Which server is DOWN flips between polls: the view's sort moves the rows around.
    let flipped = false;
    const app = await mounted({
      fetch: async () =>
        pollResult("admin", (rows) => {
          if (!flipped) return;
          for (const r of rows) {
            if (r.svname === "app_down") r.status = "UP";
            if (r.svname === "app1") r.status = "DOWN";
          }
        }),
    });
    const { poller, planned } = app;
    await press(app.stdin, "2");
    await cursorTo(app, /app_down/);
    const order = () =>
      lines(app.lastFrame())
        .map((l) => /^\s*(app1|app_down)\s/.exec(l)?.[1])
        .filter(Boolean);
    const before = order();
    flipped = true;
    poller.refreshNow();
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/app1\s+DOWN/));
    await press(app.stdin, "d");
    await vi.waitFor(() => expect(planned).toHaveLength(1));
    expect(planned[0]!.sel).toMatchObject({ kind: "server", backend: "be_app", server: "app_down" });
    // The test means something only if the rows did move (the default sort puts DOWN first).
    expect(order()).not.toEqual(before);
  });

  it("filters rows by substring and by ~regex, and Esc clears", async () => {
    const { lastFrame, stdin } = await mounted();
    await press(stdin, "2", "/", "a", "p", "p", "_", "d", KEYS.enter);
    let f = plain(lastFrame());
    expect(f).toMatch(/app_down/);
    expect(f).not.toMatch(/ app1 /);
    expect(f).toContain("filter /app_d");
    await press(stdin, KEYS.esc);
    f = plain(lastFrame());
    expect(f).toMatch(/ app1 /);
    await press(stdin, "1", "/", "~", "^", "f", "e", "_", "t", KEYS.enter);
    f = plain(lastFrame());
    expect(f).toMatch(/fe_tcp/);
    expect(f).not.toMatch(/fe_main/);
  });

  it("sorts with s (the column picker), reverses with S, and marks the sorted column", async () => {
    const { lastFrame, stdin } = await mounted();
    await press(stdin, "s", KEYS.down, KEYS.enter);
    expect(plain(lastFrame())).toMatch(/FRONTEND▲|NAME▲/);
    const order = () =>
      plain(lastFrame())
        .split("\n")
        .filter((l) => /^(fe_main|fe_tcp|be_static)\s+(OPEN|STOP|FULL)/.test(l))
        .map((l) => l.split(/\s+/)[0]);
    const asc = order();
    await press(stdin, "S");
    expect(order()).toEqual([...asc].reverse());
  });

  it("opens the help overlay generated from the keymap, and closes it", async () => {
    const { lastFrame, stdin } = await mounted({ level: "user" });
    await press(stdin, "?");
    expect(plain(lastFrame())).toContain("Quit and restore the terminal");
    // Page down until the line shows (the help grows with every binding), at most 20 pages.
    for (let i = 0; i < 20 && !/Clear max counters/.test(plain(lastFrame())); i++)
      await press(stdin, KEYS.pagedown);
    expect(plain(lastFrame())).toMatch(/Clear max counters.*needs operator level/);
    await press(stdin, KEYS.esc);
    expect(plain(lastFrame())).not.toContain("Clear max counters");
  });

  it("confirms before acting, cancels with n, asks twice for clear counters all", async () => {
    const { lastFrame, stdin, ran } = await mounted();
    await press(stdin, "c");
    await vi.waitFor(() => expect(plain(lastFrame())).toContain("exact command for clear-max"));
    await press(stdin, "n");
    expect(ran).toEqual([]);
    expect(plain(lastFrame())).toContain("cancelled, nothing sent");
    await press(stdin, "C");
    await vi.waitFor(() => expect(plain(lastFrame())).toContain("exact command for clear-all"));
    await press(stdin, "y");
    expect(plain(lastFrame())).toContain("really?");
    expect(ran).toEqual([]);
    await press(stdin, "y");
    await vi.waitFor(() => expect(ran).toEqual(["clear-all"]));
    await vi.waitFor(() => expect(plain(lastFrame())).toContain("clear-all done"));
  });

  it("greys out actions above the socket level and never plans them", async () => {
    const { lastFrame, stdin, planned } = await mounted({ level: "user" });
    await press(stdin, "c");
    expect(plain(lastFrame())).toContain("clear max: needs operator level (socket is user)");
    await press(stdin, "2", KEYS.down, "d");
    expect(plain(lastFrame())).toContain("needs admin level");
    expect(planned).toEqual([]);
  });

  it("refuses every mutating action in read-only mode", async () => {
    const { lastFrame, stdin, planned } = await mounted({ readOnly: true });
    expect(plain(lastFrame())).toContain("READ-ONLY");
    for (const k of ["c", "C", "r"]) await press(stdin, k);
    expect(plain(lastFrame())).toContain("read-only mode");
    expect(planned).toEqual([]);
  });

  it("fits 80x24 and says when the terminal is too small", async () => {
    const small = await mounted({ size: { columns: 80, rows: 24 } });
    const out = lines(small.lastFrame());
    expect(out.length).toBeLessThanOrEqual(23);
    expect(out.every((l) => [...l].length <= 80)).toBe(true);
    expect(plain(small.lastFrame())).toMatch(/fe_main\s+OPEN/);
    const tiny = await mounted({ size: { columns: 60, rows: 20 }, waitFor: /too small/ });
    expect(plain(tiny.lastFrame())).toMatch(/terminal too small: 60×20/);
  });

  it("escapes control bytes in names from HAProxy", async () => {
    const result = pollResult("admin", (rows) => {
      for (const r of rows) if (r.pxname === "fe_tcp") r.pxname = "evil\u001b[2J\u0007";
    });
    const { lastFrame } = await mounted({ result });
    const f = lastFrame() ?? "";
    expect(f).toContain("evil\\x1b[2J\\x07");
    expect(f).not.toContain("\u001b[2J");
    expect(f).not.toContain("\u0007");
  });
});

describe("fast input", () => {
  it("handles a burst of keys in one write, as tmux send-keys and pastes deliver them", async () => {
    const { lastFrame, stdin } = await mounted();
    await press(stdin, "2/app_d\r");
    const f = plain(lastFrame());
    expect(f).toContain("filter /app_d");
    expect(f).toMatch(/app_down/);
    expect(f).not.toMatch(/ app1 /);
  });
});

describe("more keys", () => {
  it("pauses with p, refreshes with Space, changes the interval with > and <", async () => {
    let calls = 0;
    const app = await mounted({
      fetch: async () => {
        calls++;
        return pollResult("admin");
      },
    });
    const { poller } = app;
    await press(app.stdin, "p");
    expect(plain(app.lastFrame())).toContain("PAUSED");
    const before = calls;
    await press(app.stdin, " ");
    await vi.waitFor(() => expect(calls).toBe(before + 1));
    await press(app.stdin, "p");
    expect(plain(app.lastFrame())).not.toContain("PAUSED");
    await press(app.stdin, "<");
    expect(plain(app.lastFrame())).toContain("polling every 60.0 s");
    await press(app.stdin, ">", ">");
    expect(plain(app.lastFrame())).toContain("polling every 59.0 s");
    expect(poller.store.getSnapshot().intervalMs).toBe(59_000);
  });

  it("goes back a view with Shift-Tab, and moves to the end and up", async () => {
    const { lastFrame, stdin, planned } = await mounted();
    await press(stdin, "\u001b[Z"); // from the first view to the last
    expect(plain(lastFrame())).toMatch(/9 Process/);
    await press(stdin, "5");
    expect(plain(lastFrame())).toMatch(/TIME\s+KIND\s+EVENT/);
    await press(stdin, "2", "\u001b[F");
    expect(cursorLine(lastFrame())).toMatch(/be_static/); // the backend without servers sorts last
    await press(stdin, "\u001b[A", "d"); // up: the server row above it
    await vi.waitFor(() => expect(planned).toHaveLength(1));
    const name = cursorLine(lastFrame()).trim().split(/\s+/)[0];
    expect(planned[0]!.sel).toMatchObject({ kind: "server", server: name });
  });

  it("shows the errors view with the capture escaped", async () => {
    const { lastFrame, stdin } = await mounted();
    await press(stdin, "4");
    const f = plain(lastFrame());
    expect(f).toMatch(/fe_main\s+request\s+invalid request/);
    expect(f).toContain("GET /\\x01bad HTTP/1.1\\r\\n");
    expect(f).toContain("error at byte 5");
  });

  it("says sessions need operator level when HAProxy refuses show sess", async () => {
    const result = {
      ...pollResult("user"),
      sessions: { ok: false as const, error: "show sess needs operator level (this socket refused it)" },
    };
    const { lastFrame, stdin } = await mounted({ result, level: "user" });
    await press(stdin, "3");
    expect(plain(lastFrame())).toContain("show sess needs operator level");
  });

  it("asks for a value, then confirms the exact command (set weight)", async () => {
    const sent: string[] = [];
    const controller: ActionController = {
      reloadUnavailable: null,
      plan: async () => ({
        title: "Weight of be_app/app1",
        label: "new weight",
        current: "150 (initial 150)",
        submit: async (v) =>
          /^\d+$/.test(v)
            ? {
                title: "Set weight",
                notes: [],
                commands: [`set weight be_app/app1 ${v}`],
                tone: "accent",
                run: async () => {
                  sent.push(v);
                  return { ok: true, message: `weight now ${v}` };
                },
              }
            : { error: "not a weight" },
      }),
    };
    const app = await mounted({ controller });
    await press(app.stdin, "2", "\u001b[B", "w");
    // The input starts empty with the current value beside it: typing 50 gives 50, not 15050.
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("now: 150 (initial 150)"));
    expect(plain(app.lastFrame())).toMatch(/new weight: ▏/);
    await press(app.stdin, "x", "\r");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("not a weight"));
    await press(app.stdin, "\u007f", "4", "2", "\r");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("set weight be_app/app1 42"));
    expect(sent).toEqual([]);
    await press(app.stdin, "y");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("weight now 42"));
    expect(sent).toEqual(["42"]);
  });
});
