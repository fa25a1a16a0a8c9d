/**
 * The README's screenshots of view 7 (maps and ACLs): the map lab of the tests
 * (test/helpers/mapLab.ts: a deny map, a deny ACL file, a header map, a routing map) on the packaged
 * HAProxy, the real TUI in a 120x36 tmux terminal, the list then block.map's entries after an add.
 * Writes screenshots/maps.{ansi,svg} and screenshots/map-entries.{ansi,svg}; stops what it started.
 *
 *   npx tsx scripts/screenshot-maps.ts
 */
import { haptopArgs, TmuxTerm } from "../lab/tmux.js";
import { runCommand } from "../src/client/socket.js";
import { MapLab } from "../test/helpers/mapLab.js";
import { shooter } from "./shot.js";

const COLS = 120;
const ROWS = 36;
const shot = shooter({ cols: COLS, rows: ROWS, timeoutMs: 10_000 });

async function main(): Promise<void> {
  const lab = new MapLab();
  let term: TmuxTerm | null = null;
  try {
    await lab.start();
    const block = (await runCommand({ kind: "unix", path: lab.adminSock }, "show map"))
      .split("\n")
      .find((l) => l.includes("/block.map)"))
      ?.split(" ", 1)[0];
    for (const [ip, why] of [
      ["203.0.113.9", "credential-stuffing"],
      ["198.51.100.23", "scraper"],
    ]) {
      await runCommand({ kind: "unix", path: lab.adminSock }, `add map #${block} ${ip} ${why}`);
    }
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: COLS, rows: ROWS });
    await term.waitFor(/^fe_maps\b/m, 30_000, "haptop's first frame");
    await term.sendKeys("7");
    await shot(term, "maps", "haptop: maps and ACLs (view 7)", /block\.map\s+4\b/);
    await term.sendKeys("g", "Enter");
    await shot(term, "map-entries", "haptop: a map's entries (Enter on a map)", /198\.51\.100\.23\s+scraper/);
    await term.sendKeys("q");
    await term.waitExit(10_000);
  } finally {
    term?.close();
    await lab.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshot-maps: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
