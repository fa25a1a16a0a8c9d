/**
 * The `:` prompt inside the whole App (ink-testing-library), with a fake CliSession: the real
 * policy (cliPolicy.ts) and an in-memory history, replies canned. What reaches "HAProxy" is what
 * `sent` records.
 */
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkCliLine } from "../../../../src/actions/cliPolicy.js";
import type { CliOutcome, CliSession } from "../../../../src/actions/cliSession.js";
import { memoryHistory } from "../../../../src/actions/history.js";
import type { CliLevel } from "../../../../src/parse/level.js";
import { Poller } from "../../../../src/store/poller.js";
import { App } from "../../../../src/ui/App.js";
import { KEYS, pollResult, press, recordingController } from "../appHarness.js";
import { plain } from "../components/frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

function fakeCli(readOnly: boolean, level: CliLevel, replies: Record<string, string> = {}) {
  const sent: string[] = [];
  let release: (() => void) | null = null;
  const cli: CliSession = {
    readOnly,
    history: memoryHistory(["show info", "get weight be_app/app1"]),
    check: (line) => checkCliLine(line, { level, readOnly }),
    commands: () => [
      ["get", "weight"],
      ["get", "map"],
      ["show", "info"],
    ],
    objects: () => ({ tables: [], maps: [], acls: [] }),
    prepare: () => {},
    send: async (line): Promise<CliOutcome> => {
      const c = checkCliLine(line, { level, readOnly });
      if (!c.ok) return { kind: "refused", check: c };
      sent.push(line);
      if (line === "slow") await new Promise<void>((r) => (release = r));
      return { kind: "answered", status: "ok", reply: replies[line] ?? "", durationMs: 1 };
    },
  };
  return { cli, sent, release: () => release?.() };
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

async function mountWith(cli: CliSession | undefined, readOnly = false) {
  const result = pollResult("admin");
  const poller = new Poller({ target: "/run/x.sock", intervalMs: 60_000, fetch: async () => result });
  const app = render(
    <App
      poller={poller}
      controller={recordingController().controller}
      color={false}
      readOnly={readOnly}
      size={{ columns: 120, rows: 30 }}
      clockMs={60_000}
      cli={cli}
    />,
  );
  poller.start();
  cleanup.push(() => {
    poller.stop();
    app.unmount();
  });
  await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/fe_main/));
  const screen = () => plain(app.lastFrame());
  const type = (text: string) => press(app.stdin, ...[...text]);
  return { ...app, poller, screen, type };
}

describe("the Runtime API prompt in the App", () => {
  it("`:` opens it on the status line; Enter sends; the reply opens in a pane; Esc closes", async () => {
    const f = fakeCli(false, "admin", { "get weight be_app/app1": "1 (initial 1)" });
    const app = await mountWith(f.cli);
    await press(app.stdin, ":");
    expect(app.screen()).toMatch(/^:▏ {2}\(Enter send · Esc close/m);
    expect(app.screen()).toMatch(/Enter send\s+Esc close\s+↑ older\s+Tab complete/); // the footer
    await app.type("get weight be_app/app1");
    expect(app.screen()).toMatch(/^:get weight be_app\/app1▏/m);
    expect(f.sent).toEqual([]); // nothing before Enter
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => expect(app.screen()).toMatch(/: get weight be_app\/app1/));
    expect(app.screen()).toMatch(/│\s*1 \(initial 1\)/);
    expect(f.sent).toEqual(["get weight be_app/app1"]);
    expect(app.screen()).toMatch(/^: get weight be_app\/app1 → 1 \(initial 1\)/m); // status line
    await press(app.stdin, KEYS.esc);
    expect(app.screen()).not.toMatch(/initial 1\)\s*│/);
    expect(app.screen()).toMatch(/fe_main/);
  });

  it("keys typed into the prompt are text, not the views' keys (q does not quit, 2 no view)", async () => {
    const app = await mountWith(fakeCli(false, "admin").cli);
    await press(app.stdin, ":", "q", "2", "?", "/");
    expect(app.screen()).toMatch(/^:q2\?\/▏/m);
    await press(app.stdin, KEYS.esc);
    expect(app.screen()).not.toMatch(/^:/m);
  });

  it("--read-only refuses set weight without sending it; the line stays to be fixed", async () => {
    const f = fakeCli(true, "admin");
    const app = await mountWith(f.cli, true);
    await press(app.stdin, ":");
    expect(app.screen()).toMatch(/read-only: show\/get\/help\/echo/);
    await app.type("show info; set weight be_app/app1 0");
    await press(app.stdin, KEYS.enter);
    expect(app.screen()).toMatch(
      /^:show info; set weight be_app\/app1 0▏ {2}read-only mode: "set weight be_app\/app1" not sent/m,
    );
    expect(f.sent).toEqual([]);
    expect(f.cli.history.entries().at(-1)).toBe("show info; set weight be_app/app1 0");
  });

  it("↑/↓ walk the history, Tab completes", async () => {
    const f = fakeCli(false, "admin");
    const app = await mountWith(f.cli);
    await press(app.stdin, ":", KEYS.up);
    expect(app.screen()).toMatch(/^:get weight be_app\/app1▏/m);
    await press(app.stdin, KEYS.up);
    expect(app.screen()).toMatch(/^:show info▏/m);
    await press(app.stdin, KEYS.down, KEYS.down);
    expect(app.screen()).toMatch(/^:▏/m);
    await app.type("get w");
    await press(app.stdin, KEYS.tab);
    expect(app.screen()).toMatch(/^:get weight ▏/m);
    await app.type("be_app/app");
    await press(app.stdin, KEYS.tab);
    expect(app.screen()).toMatch(/^:get weight be_app\/app▏ {2}be_app\/app1 {2}be_app\/app_down/m);
  });

  it("a level too low is refused with the reason; `:` from the reply pane opens a new prompt", async () => {
    const f = fakeCli(false, "user", { "show info": "Name: HAProxy" });
    const app = await mountWith(f.cli);
    await press(app.stdin, ":");
    await app.type("disable server be_app/app1");
    await press(app.stdin, KEYS.enter);
    expect(app.screen()).toMatch(/not sent: needs admin level \(socket is user\)/);
    expect(f.sent).toEqual([]);
    await press(app.stdin, KEYS.esc, ":");
    await app.type("show info");
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => expect(app.screen()).toMatch(/│\s*Name: HAProxy/));
    await press(app.stdin, ":");
    expect(app.screen()).toMatch(/^:▏/m);
  });

  it("Esc while a reply is awaited closes the prompt; the reply goes to the status line only", async () => {
    const f = fakeCli(false, "admin", { slow: "late reply" });
    const app = await mountWith(f.cli);
    await press(app.stdin, ":");
    await app.type("slow");
    await press(app.stdin, KEYS.enter);
    expect(app.screen()).toMatch(/^:slow▏ {2}sending…/m);
    await press(app.stdin, KEYS.esc);
    f.release();
    await vi.waitFor(() => expect(app.screen()).toMatch(/^: slow → late reply/m));
    expect(app.screen()).not.toMatch(/│\s*late reply/);
  });

  it("a hostile reply is shown escaped in the pane and on the status line", async () => {
    const f = fakeCli(false, "admin", { "show info": "evil\u001b[2J\u001b]0;pwn\u0007 x\u202e\tcol" });
    const app = await mountWith(f.cli);
    await press(app.stdin, ":");
    await app.type("show info");
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => expect(app.screen()).toMatch(/│ evil\\x1b\[2J\\x1b\]0;pwn\\x07 x\\u202e {7}col/));
    expect(app.lastFrame()).not.toContain("\u001b[2J");
    expect(app.screen()).toMatch(/^: show info → evil\\x1b\[2J/m);
  });

  it("without a session, `:` says the prompt is not available", async () => {
    const app = await mountWith(undefined);
    await press(app.stdin, ":");
    expect(app.screen()).toMatch(/the Runtime API prompt is not available here/);
  });
});
