/**
 * End to end: the Runtime API prompt (`:`) in the real TUI in a real terminal (tmux), against a
 * real HAProxy of every release. What HAProxy did is checked on its own socket, not on the screen;
 * the history file lives in a temp XDG_STATE_HOME, and survives a restart of haptop.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { runCommand } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease } from "../helpers/matrix.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

// Upper bounds for conditions waited on (several releases start terminals at once), not pauses.
vi.setConfig({ hookTimeout: 90_000, testTimeout: 120_000 });

afterAll(() => killAllStarted());

/** The footer while the prompt is open: drawn last, so a screen showing it is a whole frame. */
const PROMPT_FOOTER = /^Enter send {2}Esc close {2}↑ older {2}Tab complete/m;
// The views' footer: the selected row's actions come first ("Enter full text" on a timeline row).
const MAIN_FOOTER = /(^|\S {2})q quit {2}\? help/m;
const not = (re: RegExp) => (s: string) => !re.test(s);

describeEachRelease("the Runtime API prompt", (release) => {
  const lab = new HaproxyLab({ release });
  const state = mkdtempSync(join(tmpdir(), "haptop-xdg-"));
  const historyFile = join(state, "haptop", "history");
  const terms: TmuxTerm[] = [];
  const weight = () => runCommand(parseTarget(lab.adminSock), "get weight be_app/app1");

  const start = async (...args: string[]) => {
    const t = await TmuxTerm.start(haptopArgs(lab.adminSock, ...args), {
      cols: 120,
      rows: 35,
      env: { XDG_STATE_HOME: state },
    });
    terms.push(t);
    await t.waitFor([/^fe_main\b/m, MAIN_FOOTER], 20_000, "the first frame");
    return t;
  };

  beforeAll(async () => {
    await lab.start();
    await waitFor(async () => /^1 \(initial 1\)/.test(await weight()), 5000, "be_app/app1");
  });

  afterAll(async () => {
    for (const t of terms) t.close();
    await lab.stop();
    rmSync(state, { recursive: true, force: true });
  });

  it("`:` then `get weight be_app/app1` shows HAProxy's reply; it lands on the timeline", async () => {
    const t = await start();
    await t.type(":");
    await t.waitFor([/^:▏ {2}\(Enter send/m, PROMPT_FOOTER], 20_000, "the prompt");
    await t.type("get weight be_app/app1");
    await t.waitFor([/^:get weight be_app\/app1▏/m, PROMPT_FOOTER], 20_000, "the line typed");
    await t.sendKeys("Enter");
    const pane = await t.waitFor(
      [/│ : get weight be_app\/app1/, /│ 1 \(initial 1\)/, /^: get weight be_app\/app1 → 1 \(initial 1\)/m],
      20_000,
      "the reply pane and the status line",
    );
    expect(pane).toMatch(/Esc\/q close/);
    // Closed with Esc; the command and its reply are on the timeline (view 5).
    await t.sendKeys("Escape");
    await t.waitFor([not(/│ 1 \(initial 1\)/), MAIN_FOOTER], 20_000, "the pane closed");
    await t.sendKeys("5");
    await t.waitFor([/: get weight be_app\/app1 → 1 \(initial 1\)/, MAIN_FOOTER], 20_000, "the timeline");
    // The history file: 0600, the command in it.
    await waitFor(
      async () => existsSync(historyFile) && readFileSync(historyFile, "utf8").includes("get weight"),
      20_000,
      "history",
    );
    expect(readFileSync(historyFile, "utf8")).toBe("get weight be_app/app1\n");
    expect(statSync(historyFile).mode & 0o777).toBe(0o600);
    await t.sendKeys("q");
    expect(await t.waitExit(20_000)).toBe(0);
  });

  it("the history survives a restart; --read-only refuses set weight without sending it", async () => {
    const t = await start("--read-only");
    await t.type(":");
    await t.waitFor([/read-only: show\/get\/help\/echo/, PROMPT_FOOTER], 20_000, "the prompt");
    await t.sendKeys("Up");
    await t.waitFor([/^:get weight be_app\/app1▏/m, PROMPT_FOOTER], 20_000, "the previous run's command");
    // Replace the line: Backspace over it, then a write chained after a read.
    await t.sendKeys(...Array.from({ length: 22 }, () => "BSpace"));
    await t.waitFor([/^:▏/m, PROMPT_FOOTER], 20_000, "an empty line");
    await t.type("show info; set weight be_app/app1 0");
    await t.sendKeys("Enter");
    await t.waitFor(
      [/^:show info; set weight be_app\/app1 0▏ {2}read-only mode: "set weight be_app\/app1" not sent/m],
      20_000,
      "the refusal",
    );
    // Nothing was sent: the weight is unchanged, and no reply pane opened.
    expect(await weight()).toMatch(/^1 \(initial 1\)/);
    expect(await t.screen()).not.toMatch(/│ : show info/);
    // A read goes through, and Tab completes the server from the snapshot.
    await t.sendKeys(...Array.from({ length: 35 }, () => "BSpace"));
    await t.type("get weight be_app/app1");
    await t.sendKeys("Enter");
    await t.waitFor([/│ 1 \(initial 1\)/], 20_000, "the reply");
    await t.sendKeys("Escape");
    await t.waitFor([not(/│ 1 \(initial 1\)/), MAIN_FOOTER], 20_000, "the pane closed");
    await t.type(":");
    await t.type("get weight be_a");
    await t.sendKeys("Tab");
    await t.waitFor([/^:get weight be_app\/app▏ {2}be_app\/app1 {2}be_app\/app_down/m], 20_000, "completion");
  });
});
