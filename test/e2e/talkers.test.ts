/**
 * End to end, in a real terminal (tmux) on a real HAProxy (the packaged release): the sessions view
 * grouped by source (`o`), then by backend/server; and `i` on a server row opening its state pane.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { runCommand } from "../../src/client/socket.js";
import { parseSess } from "../../src/parse/sess.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { type Holder, startHolder } from "../helpers/holdLab.js";
import { describeOnce } from "../helpers/matrix.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

const terms: TmuxTerm[] = [];

afterAll(() => {
  for (const t of terms) t.close();
  killAllStarted();
});

const FOOTER = /q quit {2}\? help|^Esc close {2}↑ up/m;

describeOnce("top talkers and the server state pane in a real terminal", (release) => {
  let lab: HaproxyLab;
  let holder: Holder;
  let term: TmuxTerm;

  beforeAll(async () => {
    holder = await startHolder();
    lab = new HaproxyLab({ release, extra: holder.config });
    await lab.start();
    for (let i = 0; i < 3; i++) await holder.hold("127.0.0.2");
    await holder.hold("127.0.0.1");
    const admin = { kind: "unix", path: lab.adminSock } as const;
    await waitFor(
      async () =>
        parseSess(await runCommand(admin, "show sess")).filter((s) => s.srv === "hold1").length === 4,
      8000,
      "4 sessions on hold1",
    );
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: 120, rows: 35 });
    terms.push(term);
    await term.waitFor(/fe_tcp/, 20_000, "the first frame");
  });

  afterAll(async () => {
    term?.close();
    await lab?.stop();
    await holder?.close();
  });

  it("`o` in the sessions view shows one row per source, the biggest first; again: per server", async () => {
    await term.sendKeys("3");
    await term.waitFor([/^SOURCE\s+FRONTEND\s+BACKEND\s+SERVER\b/m, FOOTER], 10_000, "the session list");
    await term.sendKeys("o");
    const screen = await term.waitFor(
      [
        /^SOURCE\s+SESS▼\s+FRONTENDS\s+BACKENDS\s+OLDEST\b/m,
        /^\s*127\.0\.0\.2\s+3\s+fe_hold\s+be_hold\s+\S+/m,
        /^\s*127\.0\.0\.1\s+1\s+fe_hold\s+be_hold\s+\S+/m,
        /^sessions: by source$/m,
        FOOTER,
      ],
      10_000,
      "the by-source rows",
    );
    // Count descending: 127.0.0.2 (3) above 127.0.0.1 (1).
    expect(screen.indexOf("127.0.0.2")).toBeLessThan(screen.search(/^\s*127\.0\.0\.1\s/m));
    await term.sendKeys("o");
    await term.waitFor(
      [/^BACKEND\/SERVER\s+SESS▼\s+SOURCES\b/m, /^\s*be_hold\/hold1\s+4\s+2\s+fe_hold\b/m, FOOTER],
      10_000,
      "the by-server rows",
    );
    await term.sendKeys("o");
    await term.waitFor([/^SOURCE\s+FRONTEND\s+BACKEND\s+SERVER\b/m, FOOTER], 10_000, "the list again");
  });

  it("`i` on a server row opens its state in words, with what a reload resets", async () => {
    await term.sendKeys("2");
    await term.waitFor([/^\s+tcp1\s+/m, FOOTER], 10_000, "the backends view");
    await term.sendKeys("/");
    await term.type("tcp1");
    await term.sendKeys("Enter");
    await term.waitFor([/^\s+tcp1\s+/m, FOOTER], 10_000, "tcp1 filtered");
    await term.sendKeys("g", "Down", "i");
    await term.waitFor(
      [
        /Server be_tcp\/tcp1/,
        /admin state: +READY \(in service\)/,
        /operational state: UP \(running\)/,
        /health check: +not configured/,
        /A reload resets nothing visible here/,
      ],
      10_000,
      "the server state pane",
    );
  });
});
