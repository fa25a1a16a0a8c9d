/**
 * End to end, in a real terminal (tmux) on a real HAProxy (the packaged release): the stick tables
 * view (6) lists the lab's tables; Enter on `st_src` shows the two sources that sent requests with
 * their request rates; `f` pushes a data filter to HAProxy; `x` on an entry asks for confirmation
 * showing the exact `clear table` command, and once confirmed the entry leaves the screen.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { runCommand } from "../../src/client/socket.js";
import { killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeOnce } from "../helpers/matrix.js";
import { TableLab, trackGets } from "../helpers/tableLab.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

const terms: TmuxTerm[] = [];

afterAll(() => {
  for (const t of terms) t.close();
  killAllStarted();
});

const FOOTER = /q quit {2}\? help/m;

describeOnce("the stick tables view in a real terminal", (release) => {
  let lab: TableLab;
  let term: TmuxTerm;

  beforeAll(async () => {
    lab = new TableLab({ release });
    await lab.start();
    // Until the first health checks be_app may answer 503: wait for 3 answers in a row.
    await waitFor(async () => (await trackGets(lab.trackPort, "127.0.0.1", 3)) === 3, 10_000, "200s");
    await runCommand({ kind: "unix", path: lab.adminSock }, "clear table st_src");
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: 140, rows: 30 });
    terms.push(term);
    await term.waitFor(/fe_track/, 20_000, "the first frame");
  });

  afterAll(async () => {
    term?.close();
    await lab?.stop();
  });

  // The rates are over 10 s (http_req_rate(10s)): each test sends its requests just before it looks.
  it("view 6 lists the tables with their fill; Enter shows both sources with their request rates", async () => {
    await term.sendKeys("6");
    await term.waitFor(
      [/^TABLE\s+TYPE\s+SIZE\s+USED\s+FILL▼/m, /st_user\s+string/, FOOTER],
      10_000,
      "the list",
    );
    expect(await trackGets(lab.trackPort, "127.0.0.1", 2)).toBe(2);
    expect(await trackGets(lab.trackPort, "127.0.0.2", 6)).toBe(6);
    // The fullest first: st_src (2 of 102400) above the empty ones.
    await term.waitFor(
      [
        /^TABLE\s+TYPE[^\n]*\n\s*st_src\s+ip\s+102k\s+2\s+\S*░+ 2\/102k$/m,
        /^\s*st_empty\s+integer\s+10\s+0\s+░+ 0\/10$/m,
      ],
      10_000,
      "st_src with its 2 entries",
    );
    await term.sendKeys("g", "Enter");
    const screen = await term.waitFor(
      [
        /^KEY\s+EXPIRES\s+GPT0\s+GPC0\s+CONN_RATE\/10s▼\s+CONN_CUR\s+HTTP_REQ_RATE\/10s\b/m,
        // The rates slide over 10 s: counted at once, they may already have decayed by one.
        /^\s*127\.0\.0\.2\s+\d+s\s+0\s+0\s+[56]\s+0\s+[56]\b/m,
        /^\s*127\.0\.0\.1\s+\d+s\s+0\s+0\s+[12]\s+0\s+[12]\b/m,
        /st_src: 2\/102k/,
        FOOTER,
      ],
      10_000,
      "both sources with their rates",
    );
    // Highest rate first.
    expect(screen.search(/^\s*127\.0\.0\.2/m)).toBeLessThan(screen.search(/^\s*127\.0\.0\.1/m));
    // `/` filters the entries by key, here.
    await term.sendKeys("/");
    await term.type("0.0.1");
    await term.sendKeys("Enter");
    await term.waitFor(
      [/^\s*127\.0\.0\.1\s/m, (s) => !/^\s*127\.0\.0\.2\s/m.test(s)],
      10_000,
      "the key filter",
    );
    await term.sendKeys("Escape");
    await term.waitFor([/^\s*127\.0\.0\.1\s/m, /^\s*127\.0\.0\.2\s/m], 10_000, "the key filter cleared");
  });

  it("`f` pushes a data filter to HAProxy; an empty one removes it", async () => {
    expect(await trackGets(lab.trackPort, "127.0.0.2", 6)).toBe(6);
    await term.sendKeys("f");
    await term.waitFor(/Data filter on st_src/, 10_000, "the filter prompt");
    await term.type("http_req_rate gt 2");
    await term.sendKeys("Enter");
    await term.waitFor(
      [
        /HAProxy filter: data\.http_req_rate gt 2/,
        /^\s*127\.0\.0\.2\s/m,
        (s) => !/^\s*127\.0\.0\.1\s/m.test(s),
      ],
      10_000,
      "only the busier source",
    );
    await term.sendKeys("f");
    await term.waitFor(/Data filter on st_src/, 10_000, "the filter prompt again");
    await term.sendKeys("Enter");
    await term.waitFor([/^\s*127\.0\.0\.1\s/m, /^\s*127\.0\.0\.2\s/m], 10_000, "both sources again");
  });

  it("`x` on an entry shows the exact command; confirmed, the entry leaves the screen", async () => {
    await term.sendKeys("/");
    await term.type("127.0.0.2");
    await term.sendKeys("Enter", "g");
    await term.waitFor(
      [/^\s*127\.0\.0\.2\s/m, (s) => !/^\s*127\.0\.0\.1\s/m.test(s)],
      10_000,
      "127.0.0.2 alone",
    );
    await term.sendKeys("x");
    await term.waitFor(
      [/Clear an entry of st_src/, /clear table st_src key 127\.0\.0\.2/],
      10_000,
      "the dialog",
    );
    await term.sendKeys("Enter");
    await term.waitFor(
      [/entry cleared from st_src/, (s) => !/^\s*127\.0\.0\.2\s/m.test(s)],
      10_000,
      "127.0.0.2 gone from the screen",
    );
    await term.sendKeys("Escape");
    await term.waitFor([/^\s*127\.0\.0\.1\s/m, /st_src: 1\/102k/], 10_000, "127.0.0.1 still there");
    const reply = await runCommand({ kind: "unix", path: lab.adminSock }, "show table st_src");
    expect(reply).not.toContain("key=127.0.0.2");
  });
});
