/**
 * The README's screenshots of view 9 (the process): a master-worker test lab on the packaged
 * HAProxy, reloaded while a client keeps the old worker alive; the real TUI in a 120x36 tmux
 * terminal shows the master, the worker and the old worker draining, then (Enter on the old worker)
 * the whole UI watching it through the master CLI. Writes screenshots/process.{ansi,svg} and
 * screenshots/process-watched.{ansi,svg}; stops what it started.
 *
 *   npx tsx scripts/screenshot-process.ts
 */
import { connect } from "node:net";
import { HaproxyLab, httpGets } from "../lab/test-lab.js";
import { haptopArgs, TmuxTerm } from "../lab/tmux.js";
import { sendMaster } from "../src/actions/mcli.js";
import { parseShowProc } from "../src/parse/proc.js";
import { shooter } from "./shot.js";

const COLS = 120;
const ROWS = 36;
const shot = shooter({ cols: COLS, rows: ROWS, timeoutMs: 15_000 });

async function main(): Promise<void> {
  const lab = new HaproxyLab({ masterWorker: true });
  const master = { kind: "unix" as const, path: lab.masterSock };
  let term: TmuxTerm | null = null;
  const client = { socket: null as ReturnType<typeof connect> | null };
  try {
    await lab.start();
    await httpGets(lab.ports.http, 20);
    // haptop first: the lab's `hard-stop-after 10s` ends an old worker 10 s after the reload.
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: COLS, rows: ROWS });
    await term.waitFor(/fe_main/, 30_000, "haptop's first frame");
    await term.sendKeys("9");
    const oldPid = parseShowProc(await sendMaster(master, ["show proc"])).workers[0]!.pid;
    client.socket = connect({ host: "127.0.0.1", port: lab.ports.tcp });
    client.socket.on("error", () => {});
    await new Promise<void>((r) => client.socket!.once("connect", () => r()));
    await sendMaster(master, ["reload"], 10_000).catch(() => "");
    await term.waitFor(new RegExp(`old worker ${oldPid}`), 15_000, "the old worker draining");
    await term.sendKeys("Home", "Down", "Down", "Down");
    await shot(
      term,
      "process",
      "haptop: the process (view 9)",
      new RegExp(`Enter: watch old worker ${oldPid}`),
    );
    await term.sendKeys("Enter");
    await shot(
      term,
      "process-watched",
      "haptop: watching an old worker through the master CLI",
      new RegExp(
        `pid ${oldPid} [^]*VIA MASTER @!${oldPid}[^]*old worker ${oldPid} ◀ watched[^]*Stopping\\s+1`,
      ),
    );
    await term.sendKeys("q");
    await term.waitExit(10_000);
  } finally {
    client.socket?.destroy();
    term?.close();
    await lab.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshot-process: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
