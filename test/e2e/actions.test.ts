/**
 * End to end: actions through the real TUI in a real terminal (tmux), against a real HAProxy
 * (daemon mode, `expose-fd listeners` on the admin socket): clear counters, soft reload, and the
 * read-only mode refusing both. What HAProxy did is checked on its own socket, not on the screen.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCommand } from "../../src/client/socket.js";
import type { Target } from "../../src/client/target.js";
import { parseInfo } from "../../src/parse/info.js";
import { parseStat, type StatRow } from "../../src/parse/stat.js";
import { HaproxyLab, isAlive, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease, isDefaultRelease } from "../helpers/matrix.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

// Each release's suite starts its own HAProxy and terminals, all at the same time: on a loaded
// 2-core machine a terminal's first screen can take 10+ s (TmuxTerm.start queues them). These are
// upper bounds for conditions waited on, not pauses.
vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

const sockets: Socket[] = [];

afterAll(() => {
  for (const s of sockets) s.destroy();
  killAllStarted();
});

// Clear counters and reload on every release of the matrix; the read-only refusals (nothing is
// sent, whatever the release) once, on the packaged one.
describeEachRelease("the TUI's actions", (release) => {
  const lab = new HaproxyLab({ release });
  let admin: Target;
  let rw: TmuxTerm;
  let ro: TmuxTerm | null = null;

  async function stat(px: string, sv: string): Promise<StatRow> {
    const rows = parseStat(await runCommand(admin, "show stat", { expectPrefix: "# " }));
    const row = rows.find((r) => r.pxname === px && r.svname === sv);
    if (!row) throw new Error(`no ${px}/${sv} in show stat`);
    return row;
  }

  async function pid(): Promise<number> {
    return parseInfo(await runCommand(admin, "show info", { expectPrefix: "Name:" })).Pid as number;
  }

  /** Holds `n` connections to fe_tcp at once, then closes them: fe_tcp's smax becomes >= n. */
  async function concurrentConnections(n: number): Promise<void> {
    const conns = await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect(lab.ports.tcp, "127.0.0.1");
            sockets.push(s);
            s.once("connect", () => resolve(s));
            s.once("error", reject);
          }),
      ),
    );
    await waitFor(
      async () => Number((await stat("fe_tcp", "FRONTEND")).scur) >= n,
      5000,
      `${n} sessions on fe_tcp`,
    );
    for (const c of conns) c.destroy();
    await waitFor(async () => Number((await stat("fe_tcp", "FRONTEND")).scur) === 0, 5000, "fe_tcp idle");
  }

  const counters = async () => {
    const fe = await stat("fe_tcp", "FRONTEND");
    return { scur: Number(fe.scur), smax: Number(fe.smax), stot: Number(fe.stot) };
  };

  /** The footer: Ink draws it last, so a screen showing it is a whole frame, not one half drawn. */
  const FOOTER = /^(q quit {2}\? help|d maint {2}D drain|Enter confirm {2}Esc cancel)/m;
  const not = (re: RegExp) => (s: string) => !re.test(s);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** The dialog's text: the inner part of every boxed line, joined (long command lines wrap). */
  function dialogText(screen: string): string {
    return screen
      .split("\n")
      .filter((l) => l.startsWith("│") && l.trimEnd().endsWith("│"))
      .map((l) => l.trimEnd().slice(1, -1).trim())
      .join(" ")
      .replace(/\s+/g, " ");
  }

  beforeAll(async () => {
    await lab.start();
    admin = { kind: "unix", path: lab.adminSock };
    await waitFor(async () => (await stat("be_app", "app1")).status === "UP", 8000, "app1 UP");
    [rw, ro] = await Promise.all([
      TmuxTerm.start(haptopArgs(lab.adminSock, "--config", lab.cfg, "--pidfile", lab.pidfile), {
        cols: 120,
        rows: 35,
      }),
      isDefaultRelease(release)
        ? TmuxTerm.start(haptopArgs(lab.adminSock, "--read-only"), { cols: 120, rows: 35 })
        : null,
    ]);
    await Promise.all([
      rw.waitFor([/^fe_tcp\b/m, FOOTER], 20_000, "the first frame"),
      ro?.waitFor([/^fe_tcp\b/m, /READ-ONLY/, FOOTER], 20_000, "the first frame"),
    ]);
    await concurrentConnections(4);
  });

  afterAll(async () => {
    rw?.close();
    ro?.close();
    await lab.stop();
  });

  describe("actions through the TUI", () => {
    // Refused before anything is sent: the release does not matter, shown once.
    if (isDefaultRelease(release)) {
      it("--read-only: `c` sends nothing and says why", async () => {
        const before = await counters();
        expect(before.smax).toBeGreaterThanOrEqual(4);
        await ro!.sendKeys("1", "c");
        await ro!.waitFor(
          [/^clear max: read-only mode/m, not(/Clear max counters/), FOOTER],
          5000,
          "the refusal",
        );
        await ro!.sendKeys("y"); // a stray confirmation does nothing either
        await pause(300);
        expect(await counters()).toEqual(before);
      });

      it("--read-only: `d` on a server row leaves it UP, `r` does not reload", async () => {
        const oldPid = await pid();
        await ro!.sendKeys("2");
        await ro!.waitFor([/^\s+app1\s+UP\b/m, FOOTER], 5000, "app1");
        await ro!.sendKeys("g", "Down"); // the first row (be_app), then app1
        await ro!.sendKeys("d");
        // `d` is "maint" only on a server row: the refusal names it.
        await ro!.waitFor([/^maint: read-only mode/m, not(/Set app1 to maint/), FOOTER], 5000, "the refusal");
        await ro!.sendKeys("y", "r");
        await ro!.waitFor([/^reload: read-only mode/m, FOOTER], 5000, "the reload refusal");
        await pause(300);
        expect((await stat("be_app", "app1")).status).toBe("UP");
        expect(await pid()).toBe(oldPid);
        await ro!.waitFor([/^\s+app1\s+UP\b/m, FOOTER], 5000, "app1 still UP on screen");
      });
    }

    it("`c` then `y` clears the max counters and keeps the totals", async () => {
      const before = await counters();
      expect(before.smax).toBeGreaterThanOrEqual(4);
      expect(before.stot).toBeGreaterThanOrEqual(4);
      await rw.sendKeys("1", "c");
      const dialog = await rw.waitFor(
        [/│ Clear max counters/, /│\s+clear counters\s+│/, /Enter\/y confirm · Esc\/n cancel/, FOOTER],
        5000,
        "the confirm dialog",
      );
      expect(dialogText(dialog)).toBe(
        "Clear max counters resets max values (smax, qmax…); totals are kept sends (exactly): clear counters Enter/y confirm · Esc/n cancel",
      );
      expect((await counters()).smax).toBe(before.smax); // nothing sent before the confirmation
      await rw.sendKeys("y");
      await rw.waitFor(
        [/^max values cleared\b.*totals kept/m, not(/Enter\/y confirm/), FOOTER],
        10_000,
        "the outcome in the status line",
      );
      const after = await counters();
      expect(after.smax).toBeLessThanOrEqual(after.scur);
      expect(after.stot).toBe(before.stot);
    });

    it("`r` shows the exact reload commands, then `y` reloads to a new pid", async () => {
      const oldPid = await pid();
      // The running process's own binary: a 3.2 is reloaded with 3.2, not with the packaged haproxy.
      const bin = escapeRe(release.bin);
      const validate = new RegExp(`${bin} -c -f ${escapeRe(lab.cfg)} `);
      const run = new RegExp(
        `${bin} -D -f ${escapeRe(lab.cfg)} -p ${escapeRe(lab.pidfile)} ` +
          `-x ${escapeRe(lab.adminSock)} -sf ${oldPid}\\b`,
      );
      await rw.sendKeys("r");
      const planned = await rw.waitFor(
        [
          /│ Reload HAProxy \(expose-fd\)/,
          (s) => validate.test(dialogText(s)),
          (s) => run.test(dialogText(s)),
          /Enter\/y confirm/,
          FOOTER,
        ],
        10_000,
        "the plan with its exact commands",
      );
      expect(await pid(), planned).toBe(oldPid); // still only planned

      await rw.sendKeys("y");
      const outcome = new RegExp(`^reloaded \\(expose-fd\\): pid ${oldPid} → (\\d+)`, "m");
      const done = await rw.waitFor([outcome, FOOTER], 20_000, "the reload outcome in the status line");
      const newPid = Number(outcome.exec(done)![1]);
      expect(newPid).not.toBe(oldPid);
      expect(await pid()).toBe(newPid);
      // The header follows at the next poll.
      await rw.waitFor(
        [new RegExp(`^haptop .* pid ${newPid} `), new RegExp(`reloaded: pid ${oldPid} → ${newPid}`), FOOTER],
        5000,
        `pid ${newPid} in the header`,
      );
      await waitFor(() => !isAlive(oldPid), 10_000, `old pid ${oldPid} to exit`);
      expect(lab.pids()).not.toContain(oldPid);
    });
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
