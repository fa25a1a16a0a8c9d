/**
 * End to end, in a real terminal (tmux), on HAProxy 3.2 in master-worker mode, with no reload flag
 * (the master CLI comes from the master's -S): a broken configuration shows HAProxy's [ALERT] line
 * with its file and line number, in the TUI after `r` `y` and in `haptop reload`'s output; a good
 * reload reports the new worker's pid. What HAProxy did is checked on its own sockets.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentPid, masterShowProc } from "../../src/actions/reload.js";
import type { Target } from "../../src/client/target.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { testReleases } from "../helpers/releases.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

const release = testReleases().find((r) => r.major === 3 && r.minor === 2);
const BROKEN = "\nfrontend fe_broken\n    bindd 127.0.0.1:1\n";
const FOOTER = /^q quit/m;
/** The screen's rows joined: a long line may wrap at the terminal's edge. */
const flat = (s: string) => s.replace(/\n/g, "");
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.skipIf(!release)("reload on HAProxy 3.2 master-worker, in a terminal", () => {
  const lab = new HaproxyLab({ release: release!, masterWorker: true });
  let target: Target;
  let good = "";
  const terms: TmuxTerm[] = [];
  const alertAt = () => new RegExp(`\\[ALERT\\].*\\[${escapeRe(lab.cfg)}:\\d+\\].*unknown keyword 'bindd'`);

  beforeAll(async () => {
    await lab.start();
    target = { kind: "unix", path: lab.adminSock };
    const master: Target = { kind: "unix", path: lab.masterSock };
    await waitFor(async () => (await masterShowProc(master, 1000, 0)).workers.length > 0, 8000, "master CLI");
    await waitFor(() => currentPid(target, 1000), 8000, "the stats socket");
    good = readFileSync(lab.cfg, "utf8");
  });
  afterAll(async () => {
    for (const t of terms) t.close();
    await lab.stop();
    killAllStarted();
  });

  it("the TUI: `r` `y` on a broken config shows the [ALERT] with file:line; then a good reload shows the new worker's pid", {
    timeout: 90_000,
  }, async () => {
    const tui = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: 220, rows: 40 });
    terms.push(tui);
    await tui.waitFor([/fe_main/, FOOTER], 30_000, "the first frame");
    const before = await currentPid(target);

    appendFileSync(lab.cfg, BROKEN);
    await tui.sendKeys("r");
    await tui.waitFor([/Reload HAProxy \(master-worker\)/, /Enter\/y confirm/], 20_000, "the reload dialog");
    await tui.sendKeys("y");
    const failed = await tui.waitFor(
      (s) => alertAt().test(flat(s)),
      20_000,
      "HAProxy's ALERT line on screen",
    );
    expect(flat(failed)).toMatch(/configuration check failed/);
    expect(await currentPid(target)).toBe(before);

    writeFileSync(lab.cfg, good);
    await tui.sendKeys("Escape");
    await tui.sendKeys("r");
    await tui.waitFor([/Reload HAProxy \(master-worker\)/, /Enter\/y confirm/], 20_000, "the reload dialog");
    await tui.sendKeys("y");
    const after = await waitFor(
      async () => {
        const p = await currentPid(target, 1000);
        return p !== before ? p : null;
      },
      20_000,
      "a new worker",
    );
    await tui.waitFor(
      (s) => new RegExp(`(→ ${after}\\b|pid ${after} answers)`).test(flat(s)),
      20_000,
      `the new worker's pid ${after} in the reload's report`,
    );
  });

  it("haptop reload: every [ALERT] line with file:line and exit 1; then the new worker's pid and exit 0", {
    timeout: 90_000,
  }, async () => {
    appendFileSync(lab.cfg, BROKEN);
    const before = await currentPid(target);
    const bad = await TmuxTerm.start(haptopArgs("reload", lab.adminSock), { cols: 220, rows: 40 });
    terms.push(bad);
    expect(await bad.waitExit(30_000)).toBe(1);
    const screen = flat(await bad.screen());
    expect(screen).toMatch(alertAt());
    expect(screen).toMatch(/Fatal errors found in configuration/);
    expect(await currentPid(target)).toBe(before);

    writeFileSync(lab.cfg, good);
    const ok = await TmuxTerm.start(haptopArgs("reload", lab.adminSock), { cols: 220, rows: 40 });
    terms.push(ok);
    expect(await ok.waitExit(30_000)).toBe(0);
    const after = await currentPid(target);
    expect(after).not.toBe(before);
    expect(flat(await ok.screen())).toContain(`reloaded (master-worker): pid ${before} → ${after}`);
  });
});
