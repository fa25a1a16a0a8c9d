/**
 * The README's screenshots of view 6 (stick tables): the table lab of the tests
 * (test/helpers/tableLab.ts: `fe_track` tracking each source in `st_src` and an `x-user` header in
 * `st_user`) on the packaged HAProxy, fed real requests from 127.0.0.1 and 127.0.0.2; the real TUI
 * in a 120x36 tmux terminal, the list then st_src's entries (Enter), the busier source first.
 * Writes screenshots/tables.{ansi,svg} and screenshots/tables-entries.{ansi,svg}; stops what it started.
 *
 *   npx tsx scripts/screenshot-tables.ts
 */
import { haptopArgs, TmuxTerm } from "../lab/tmux.js";
import { runCommand } from "../src/client/socket.js";
import { TableLab, trackGet, trackGets } from "../test/helpers/tableLab.js";
import { shooter } from "./shot.js";

const COLS = 120;
const ROWS = 36;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const shot = shooter({ cols: COLS, rows: ROWS, timeoutMs: 15_000 });

/** Until be_app's first health check it may answer 503: wait for 3 answers in a row. */
async function waitForOrigin(port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await trackGets(port, "127.0.0.1", 3)) !== 3) {
    if (Date.now() > deadline) throw new Error("fe_track never answered 200");
    await sleep(200);
  }
}

/** Until `key`'s http_req_rate in st_src reaches `min` (a rate over 10 s builds up as traffic flows). */
async function waitForRate(admin: { kind: "unix"; path: string }, key: string, min: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const reply = await runCommand(admin, `show table st_src key ${key}`);
    const rate = Number(/http_req_rate\(10000\)=(\d+)/.exec(reply)?.[1] ?? 0);
    if (rate >= min) return;
    if (Date.now() > deadline) throw new Error(`${key}'s rate stayed at ${rate}`);
    await sleep(250);
  }
}

/** Requests until `stop()`: 127.0.0.2 about 5 a second, 127.0.0.1 about 1, users alice, bob, carol. */
function keepSending(port: number): { stop: () => Promise<void> } {
  let running = true;
  const loop = async (every: number, send: (i: number) => Promise<unknown>) => {
    for (let i = 0; running; i++) {
      await send(i).catch(() => 0);
      await sleep(every);
    }
  };
  const users = ["alice", "bob", "carol", "alice", "alice", "bob", "alice", "alice"];
  const done = Promise.all([
    loop(200, () => trackGet(port, "127.0.0.2")),
    loop(1000, (i) => trackGet(port, "127.0.0.1", { "x-user": users[i % users.length]! })),
  ]);
  return {
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function main(): Promise<void> {
  const lab = new TableLab();
  const admin = { kind: "unix" as const, path: lab.adminSock };
  let term: TmuxTerm | null = null;
  let traffic: { stop: () => Promise<void> } | null = null;
  try {
    await lab.start();
    await waitForOrigin(lab.trackPort);
    await runCommand(admin, "clear table st_src");
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: COLS, rows: ROWS });
    await term.waitFor(/^fe_track\b/m, 30_000, "haptop's first frame");
    await term.sendKeys("6");
    // The rates are over 10 s: traffic keeps flowing while the shots are taken, so they show live
    // rates. A scraper on 127.0.0.2, a quieter client on 127.0.0.1, a few users in the string table.
    traffic = keepSending(lab.trackPort);
    await waitForRate(admin, "127.0.0.2", 25);
    await shot(
      term,
      "tables",
      "haptop: stick tables (view 6)",
      /^(?=[\s\S]*^st_src\s+ip\s+102k\s+2\b)(?=[\s\S]*^st_user\s+string\s+1024\s+3\b)/m,
    );
    // The fullest first: st_user (3 of 1024) above st_src (2 of 102k).
    await term.sendKeys("g", "Down", "Enter");
    await shot(
      term,
      "tables-entries",
      "haptop: a stick table's entries (Enter on st_src)",
      /st_src: 2\/102k[\s\S]*^\s*127\.0\.0\.2\s[\s\S]*^\s*127\.0\.0\.1\s/m,
    );
    await term.sendKeys("q");
    await term.waitExit(10_000);
  } finally {
    await traffic?.stop();
    term?.close();
    await lab.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshot-tables: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
