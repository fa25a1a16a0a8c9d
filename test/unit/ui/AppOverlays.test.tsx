import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ActionController, ActionOutcome, ActionPlan } from "../../../src/ui/plan.js";
import { cursorTo, KEYS, mounted, press } from "./appHarness.js";
import { lines, plain } from "./components/frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 100, rows: 30 },
  { columns: 160, rows: 45 },
];

const plan = (over: Partial<ActionPlan> = {}): ActionPlan => ({
  title: "Do it",
  notes: [],
  commands: ["set server be_app/app1 state drain"],
  tone: "warn",
  run: async () => ({ ok: true, message: "done" }),
  ...over,
});

const controllerOf = (
  planned: () => Promise<ReturnType<ActionController["plan"]> extends Promise<infer P> ? P : never>,
) => ({ reloadUnavailable: null, plan: planned }) as ActionController;

// Any rejection nobody catches would reach run.tsx's crash handler and kill the TUI.
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeEach(() => {
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
});

describe("help overlay", () => {
  it.each(SIZES)("scrolls to its last binding at $columns×$rows", async (size) => {
    const app = await mounted({ size });
    await press(app.stdin, "?");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("Quit and restore the terminal"));
    for (let i = 0; i < 12; i++) await press(app.stdin, KEYS.pagedown);
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("Scroll to the end"));
    const out = lines(app.lastFrame());
    expect(out.length).toBeLessThanOrEqual(size.rows - 1);
    // The last binding is the last content line, right above the hint.
    const hint = out.findIndex((l) => l.includes("Esc/q/? close"));
    expect(out[hint - 1]).toContain("Scroll to the end");
    await press(app.stdin, "g");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("Quit and restore the terminal"));
  });
});

describe("footer", () => {
  it("at 80 columns shows the actions on the selected server first", async () => {
    const app = await mounted({ size: { columns: 80, rows: 24 } });
    await press(app.stdin, "2");
    await cursorTo(app, /app1/);
    const footer = lines(app.lastFrame()).at(-1)!;
    expect(footer).toMatch(/^d maint {2}D drain {2}e enable {2}w weight/);
    expect([...footer].length).toBeLessThanOrEqual(80);
  });
});

describe("keys", () => {
  it("changes the poll interval in read-only mode on a server row (no disabled key shadows it)", async () => {
    const app = await mounted({ readOnly: true });
    await press(app.stdin, "2");
    await cursorTo(app, /app1/);
    await press(app.stdin, ">");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("polling every 59.5 s"));
    await press(app.stdin, "+");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("weight+: read-only mode"));
  });

  it("/ starts a new filter, applied as typed; Esc restores the previous one", async () => {
    const app = await mounted();
    await press(app.stdin, "2/app_d\r");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("filter /app_d"));
    await press(app.stdin, "/");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/filter: ▏/));
    await press(app.stdin, "t", "c", "p");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("filter /tcp"));
    expect(plain(app.lastFrame())).not.toContain("app_down");
    await press(app.stdin, KEYS.esc);
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("filter /app_d"));
    expect(plain(app.lastFrame())).toMatch(/app_down/);
  });
});

describe("timeline", () => {
  it("opens an event's full text on Enter, every [ALERT] line reachable", async () => {
    const app = await mounted({ size: { columns: 80, rows: 24 } });
    const alerts = Array.from(
      { length: 30 },
      (_, i) =>
        `[ALERT]    (1234) : config : parsing [/etc/haproxy/haproxy.cfg:${i + 10}] : unknown keyword 'bogus${i}'`,
    );
    app.poller.addEvent({
      at: Date.now(),
      kind: "reload",
      step: "finished",
      text: "configuration check failed, nothing reloaded",
      command: "haproxy -c -f /etc/haproxy/haproxy.cfg",
      reply: alerts.join("\n"),
      ok: false,
    });
    await press(app.stdin, "5");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("configuration check failed"));
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("bogus0'"));
    await press(app.stdin, "G");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("bogus29'"));
    expect(lines(app.lastFrame()).length).toBeLessThanOrEqual(23);
    await press(app.stdin, KEYS.esc);
    await vi.waitFor(() => expect(plain(app.lastFrame())).not.toContain("bogus29'"));
  });
});

describe("dialogs", () => {
  it("wrap at word boundaries", async () => {
    const note =
      "be_app would have NO server able to take traffic: 0 of 2 active servers left, no backup; clients get 503 (HTTP) or refused connections (TCP)";
    const app = await mounted({
      size: { columns: 80, rows: 24 },
      controller: controllerOf(async () => plan({ notes: [note] })),
    });
    await press(app.stdin, "c");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("sends (exactly):"));
    const body = lines(app.lastFrame())
      .filter((l) => l.startsWith("│ "))
      .map((l) => l.slice(2).replace(/\s*│$/, "").trim());
    const shown = body.join(" ");
    expect(shown).toContain(note); // every word whole, in order
  });

  it("asks a second time before an action that cuts traffic, and Esc cancels", async () => {
    const ran: string[] = [];
    const app = await mounted({
      controller: controllerOf(async () =>
        plan({
          secondConfirm: "This leaves be_app with NO server able to take traffic",
          run: async () => {
            ran.push("drain");
            return { ok: true, message: "drained" };
          },
        }),
      ),
    });
    await press(app.stdin, "c");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("continue (asks again)"));
    await press(app.stdin, "y");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("NO server able to take traffic"));
    expect(plain(app.lastFrame())).toContain("confirm AGAIN");
    expect(ran).toEqual([]);
    await press(app.stdin, KEYS.esc);
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("cancelled, nothing sent"));
    expect(ran).toEqual([]);
  });

  it("keep the view keys working while an action runs, and Esc hides its dialog", async () => {
    const app = await mounted({
      controller: controllerOf(() => new Promise(() => {})), // planning never ends
    });
    await press(app.stdin, "c");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("preparing…"));
    await press(app.stdin, "2");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/be_app/));
    await press(app.stdin, "C");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("wait for the running action"));
    await press(app.stdin, KEYS.esc);
    await vi.waitFor(() => expect(plain(app.lastFrame())).not.toContain("preparing…"));
    await press(app.stdin, "1");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/fe_main\s+OPEN/));
  });

  it("close as soon as the outcome is known; what goes on shows as a badge until it ends", async () => {
    let drained: () => void = () => {};
    const done = new Promise<void>((r) => {
      drained = r;
    });
    const outcome: ActionOutcome = {
      ok: true,
      message: "reloaded: pid 8338 → 8400",
      background: { label: "old pid 8338 draining", done },
    };
    const app = await mounted({
      size: { columns: 100, rows: 30 },
      controller: controllerOf(async () => plan({ title: "Reload HAProxy", run: async () => outcome })),
    });
    await press(app.stdin, "r", "y");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("reloaded: pid 8338 → 8400"));
    expect(plain(app.lastFrame())).not.toContain("Reload HAProxy");
    expect(lines(app.lastFrame()).at(-1)).toMatch(/old pid 8338 draining$/);
    await press(app.stdin, "2");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/be_app/));
    drained();
    await vi.waitFor(() => expect(plain(app.lastFrame())).not.toContain("old pid 8338 draining"));
  });

  it("catch a failing prompt or plan: an error in the dialog or status line, no unhandled rejection", async () => {
    let calls = 0;
    const app = await mounted({
      controller: controllerOf(async () => {
        calls++;
        if (calls === 1) throw new Error("socket went away");
        return {
          title: "Weight",
          label: "new weight",
          current: "1 (initial 1)",
          submit: () => Promise.reject(new Error("get weight timed out")),
        };
      }),
    });
    await press(app.stdin, "c");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("socket went away"));
    await press(app.stdin, "c", "5", "\r");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toContain("get weight timed out"));
    expect(unhandled).toEqual([]);
  });
});
