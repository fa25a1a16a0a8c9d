/**
 * End to end over SSH (issue 14, point 2): the real TUI in a real terminal (tmux), reaching a real
 * HAProxy through a real sshd on loopback (lab/sshd.ts). It shows that HAProxy's backends; sshd
 * killed turns it DISCONNECTED with ssh's error and it reconnects once sshd is back; `r` says why a
 * reload cannot be done remotely; SIGTERM leaves no ssh master nor runtime dir behind. One release
 * (the packaged one): the transport does not depend on HAProxy's release.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { SshdLab } from "../../lab/sshd.js";
import { runCommand } from "../../src/client/socket.js";
import { parseStat } from "../../src/parse/stat.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeOnce } from "../helpers/matrix.js";
import { killMastersUnder, processesMentioning, whenSshd } from "../integration/ssh/sshLab.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 90_000 });

const FOOTER = /q quit {2}\? help/m;
const row = (name: string, rest: string) => new RegExp(`^\\s*${name}\\s+${rest}`, "m");
const not = (re: RegExp) => (s: string) => !re.test(s);

/** haptop's pid: the pane runs a small sh wrapper, and haptop is its node child. */
async function haptopPid(t: TmuxTerm): Promise<number> {
  const shPid = (await t.display("#{pane_pid}")).trim();
  const child = execFileSync("ps", ["-o", "pid=", "--ppid", shPid], { encoding: "utf8" })
    .trim()
    .split(/\s+/)[0];
  return Number(child);
}

const terms: TmuxTerm[] = [];
afterAll(() => {
  for (const t of terms) t.close();
  killAllStarted();
});

whenSshd(describeOnce, "haptop over SSH in a real terminal", (release) => {
  const lab = new HaproxyLab({ release });
  const sshd = new SshdLab();
  const runtime = mkdtempSync(join(tmpdir(), "haptop-xdg-"));
  let t: TmuxTerm;

  beforeAll(async () => {
    await Promise.all([lab.start(), sshd.start()]);
    await waitFor(
      async () => {
        const rows = parseStat(
          await runCommand({ kind: "unix", path: lab.adminSock }, "show stat", { expectPrefix: "# " }),
        );
        const status = (s: string) => rows.find((r) => r.svname === s)?.status;
        return status("app_down") === "DOWN" && status("app1") === "UP";
      },
      10_000,
      "app_down DOWN and app1 UP",
    );
    t = await TmuxTerm.start(haptopArgs(`haptop-test:${lab.adminSock}`), {
      // Wide enough for the status line to hold the SSH error after the lab's long socket path.
      cols: 220,
      rows: 35,
      env: { HAPTOP_SSH_CONFIG: sshd.sshConfig, XDG_RUNTIME_DIR: runtime },
    });
    terms.push(t);
  });

  afterAll(async () => {
    t?.close();
    await Promise.all([lab.stop(), sshd.stop()]);
    killMastersUnder(runtime);
    rmSync(runtime, { recursive: true, force: true });
  });

  it("shows that HAProxy's backends and servers, with the SSH target in the header", async () => {
    await t.waitFor(/fe_tcp/, 30_000, "the first frame");
    await t.sendKeys("2");
    await t.waitFor(
      [
        new RegExp(`ssh://haptop-test${lab.adminSock.replace(/[.]/g, "\\.")}`),
        /^▾ be_app\s+UP\b/m,
        row("app1", "UP\\b"),
        row("app_down", "DOWN\\b"),
        /^▾ be_tcp\b/m,
        FOOTER,
      ],
      15_000,
      "be_app with app1 UP and app_down DOWN, over SSH",
    );
  });

  it("r says that a reload cannot be done over SSH, and does nothing", async () => {
    await t.sendKeys("r");
    await t.waitFor(/reload over SSH needs HAProxy's master CLI: pass --master-socket/, 5000, "the refusal");
  });

  it("sshd killed: DISCONNECTED with the SSH error; sshd back: it reconnects by itself", async () => {
    await sshd.kill();
    await t.waitFor(
      [
        /DISCONNECTED/,
        /ssh:\/\/haptop-test\/\S+: (SSH connection to haptop-test lost|ssh: connect to host)/,
        FOOTER,
      ],
      20_000,
      "DISCONNECTED with the SSH error",
    );
    await sshd.launch();
    await t.waitFor([not(/DISCONNECTED/), row("app1", "UP\\b"), FOOTER], 30_000, "reconnected");
  });

  // SIGINT: the TUI has no handler of its own (a terminal's Ctrl-C is a key there); the SSH
  // cleanup's handler must not keep the process alive (it once did, signal-exit being present).
  it("SIGINT: the ssh master is stopped, the runtime dir removed, and haptop ends (130)", async () => {
    const other = mkdtempSync(join(tmpdir(), "haptop-xdg-"));
    try {
      const t2 = await TmuxTerm.start(haptopArgs(`haptop-test:${lab.adminSock}`), {
        cols: 120,
        rows: 35,
        env: { HAPTOP_SSH_CONFIG: sshd.sshConfig, XDG_RUNTIME_DIR: other },
      });
      terms.push(t2);
      await t2.waitFor([/fe_tcp/, FOOTER], 30_000, "the first frame");
      const dir = join(other, readdirSync(other)[0]!);
      expect(processesMentioning(dir).length).toBeGreaterThan(0);
      process.kill(await haptopPid(t2), "SIGINT");
      expect(await t2.waitExit(10_000)).toBe(130);
      expect(readdirSync(other)).toEqual([]);
      await waitFor(() => processesMentioning(dir).length === 0, 5000, "the ssh master to exit");
    } finally {
      killMastersUnder(other);
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("SIGTERM: the ssh master is stopped and the runtime dir removed", async () => {
    expect(readdirSync(runtime).length).toBe(1);
    const dir = join(runtime, readdirSync(runtime)[0]!);
    expect(processesMentioning(dir).length).toBeGreaterThan(0);
    process.kill(await haptopPid(t), "SIGTERM");
    expect(await t.waitExit(10_000)).toBe(143);
    expect(readdirSync(runtime)).toEqual([]);
    await waitFor(() => processesMentioning(dir).length === 0, 5000, "the ssh master to exit");
  });
});
