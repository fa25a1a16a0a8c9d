/**
 * The README's screenshots of top talkers and the server state pane: the test lab (packaged
 * HAProxy) with long-lived TCP sessions from several loopback sources (test/helpers/holdLab.ts),
 * the real TUI in a 120x36 tmux terminal: the sessions view grouped by source (`o`), then `i` on
 * be_app/app1 after runtime changes (health checks off, weight 3 of 1, maxconn 40).
 * Writes screenshots/top-talkers.{ansi,svg} and screenshots/server-state.{ansi,svg}; stops what it started.
 *
 *   npx tsx scripts/screenshot-talkers.ts
 */
import { HaproxyLab } from "../lab/test-lab.js";
import { haptopArgs, TmuxTerm } from "../lab/tmux.js";
import { request } from "../src/client/socket.js";
import { startHolder } from "../test/helpers/holdLab.js";
import { shooter } from "./shot.js";

const COLS = 120;
const ROWS = 36;
const shot = shooter({ cols: COLS, rows: ROWS, timeoutMs: 15_000, footer: /q quit {2}\? help|Esc close/ });

async function main(): Promise<void> {
  const holder = await startHolder();
  const lab = new HaproxyLab({ extra: holder.config });
  let term: TmuxTerm | null = null;
  try {
    await lab.start();
    // A few heavy talkers and a tail of light ones.
    const talkers: [string, number][] = [
      ["127.0.0.7", 42],
      ["127.0.0.3", 17],
      ["127.0.0.12", 9],
      ["127.0.0.5", 4],
      ["127.0.0.9", 2],
      ["127.0.0.1", 1],
    ];
    for (const [addr, n] of talkers) for (let i = 0; i < n; i++) await holder.hold(addr);
    await request({ kind: "unix", path: lab.adminSock }, [
      "disable health be_app/app1",
      "set weight be_app/app1 3",
      "set maxconn server be_app/app1 40",
    ]);
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: COLS, rows: ROWS });
    await term.waitFor(/^fe_main\b/m, 30_000, "haptop's first frame");
    await term.sendKeys("3");
    await term.waitFor(/^127\.0\.0\.\d+:\d+/m, 15_000, "the sessions");
    await term.sendKeys("o");
    await shot(term, "top-talkers", "haptop: top talkers (sessions by source, o)", /^127\.0\.0\.7\s+42\b/m);
    await term.sendKeys("2", "/");
    await term.type("app1");
    await term.sendKeys("Enter", "g", "Down", "i");
    await shot(
      term,
      "server-state",
      "haptop: a server's state in words (i)",
      /A reload resets: the weight 3/,
    );
    await term.sendKeys("Escape", "q");
    await term.waitExit(10_000);
  } finally {
    term?.close();
    await lab.stop();
    await holder.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshot-talkers: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
