/**
 * End to end, in a real terminal (tmux) on a real master-worker HAProxy (one release): view 9 shows
 * the master's workers, the threads' activity and the pools' totals; after a reload with a client
 * keeping the old worker alive, Enter on the old worker points the whole UI at it through the master
 * CLI (the header says "VIA MASTER @!<pid>" and shows its pid); `k` on its held session says it goes to
 * that worker and kills it there, so the old worker exits; `b` goes back to the stats socket.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { sendMaster } from "../../src/actions/mcli.js";
import { parseShowProc } from "../../src/parse/proc.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeOnce } from "../helpers/matrix.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

const sockets: Socket[] = [];
let term: TmuxTerm | null = null;

afterAll(() => {
  for (const s of sockets) s.destroy();
  term?.close();
  killAllStarted();
});

describeOnce("view 9: the process and its workers", (release) => {
  let lab: HaproxyLab;
  let master: { kind: "unix"; path: string };

  beforeAll(async () => {
    lab = await new HaproxyLab({ release, masterWorker: true }).start();
    master = { kind: "unix", path: lab.masterSock };
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: 120, rows: 40 });
    await term.waitFor(/fe_main/, 30_000, "the first frame");
  });
  afterAll(async () => lab?.stop());

  it("shows the worker list, the threads' rows and the pools' totals", async () => {
    const t = term!;
    const proc = parseShowProc(await sendMaster(master, ["show proc"]));
    const worker = proc.workers[0]!.pid;
    await t.sendKeys("9");
    const screen = await t.waitFor(
      [/▸ Master and workers/, new RegExp(`worker ${worker} `), /master \d+/],
      20_000,
      "the master's workers",
    );
    expect(screen).toMatch(/Process\b/);
    // The threads and pools sections are further down: a filter brings them on screen.
    await t.sendKeys("/");
    await t.type("loop");
    await t.sendKeys("Enter");
    await t.waitFor(
      [/▸ Threads \(show activity\)\s+2 threads/, /loops\s+\d+\s+\d+ \d+/],
      20_000,
      "the threads' rows",
    );
    await t.sendKeys("/");
    await t.type("alloc");
    await t.sendKeys("Enter");
    await t.waitFor(
      [/▸ Memory pools \(show pools\)/, /allocated\s+[\d.]+[KM]?B?\s+\d+ bytes in \d+ pools/],
      20_000,
      "the pools' totals",
    );
    await t.sendKeys("Escape");
  });

  it("Enter on the old worker watches it through the master CLI; b comes back", async () => {
    const t = term!;
    const oldPid = parseShowProc(await sendMaster(master, ["show proc"])).workers[0]!.pid;
    const client = connect({ host: "127.0.0.1", port: lab.ports.tcp });
    client.on("error", () => {});
    sockets.push(client);
    await new Promise<void>((r) => client.once("connect", () => r()));
    await sendMaster(master, ["reload"], 10_000).catch(() => "");
    await waitFor(
      async () =>
        parseShowProc(await sendMaster(master, ["show proc"])).oldWorkers.some((w) => w.pid === oldPid),
      15_000,
      "the old worker draining",
    );
    await t.waitFor(new RegExp(`old worker ${oldPid}`), 20_000, "the old worker in the list");
    // Rows: the section header, the master, the current worker, then the old worker.
    await t.sendKeys("Home", "Down", "Down", "Down");
    await t.waitFor(new RegExp(`Enter: watch old worker ${oldPid}`), 10_000, "the old worker selected");
    await t.sendKeys("Enter");
    const watched = await t.waitFor(
      [
        new RegExp(`VIA MASTER @!${oldPid}`),
        new RegExp(`pid ${oldPid}`),
        new RegExp(`master\\.sock @!${oldPid}`),
      ],
      20_000,
      "the header naming the watched worker",
    );
    expect(watched).toMatch(new RegExp(`old worker ${oldPid} ◀ watched`));

    // Actions go to the process shown: the sessions view lists the old worker's own session (the
    // held client), and killing it says where it goes; then the old worker can exit.
    await t.sendKeys("3");
    await t.waitFor(/fe_tcp/, 20_000, "the old worker's held session");
    await t.sendKeys("/");
    await t.type("fe_tcp");
    await t.sendKeys("Enter", "k");
    await t.waitFor(
      [new RegExp(`to worker ${oldPid} \\(the process shown\\) through the master`), /shutdown session 0x/],
      10_000,
      "the kill dialog naming the worker",
    );
    await t.sendKeys("y");
    await t.waitFor(/DISCONNECTED/, 20_000, "the old worker gone once its last session is killed");
    await t.sendKeys("Escape", "9");
    await t.sendKeys("b");
    await t.waitFor(
      (s) => !s.includes("VIA MASTER") && new RegExp(`pid (?!${oldPid})\\d+`).test(s),
      20_000,
      "back home",
    );
    client.destroy();
  });
});
