/**
 * End to end (issue 14, point 2): the real TUI in a real terminal (tmux), reaching a master-worker
 * HAProxy through a real sshd on loopback, started with `--master-socket <ssh target>`: `r` shows the
 * master's `reload` on the forwarded master CLI (the exact command sent) and, confirmed, the new
 * worker's pid, which HAProxy's own stats socket then answers with. One release (the packaged one).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { SshdLab } from "../../lab/sshd.js";
import { currentPid, masterShowProc } from "../../src/actions/reload.js";
import type { Target } from "../../src/client/target.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeOnce } from "../helpers/matrix.js";
import { killMastersUnder, whenSshd } from "../integration/ssh/sshLab.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 90_000 });

const FOOTER = /q quit {2}\? help/m;
/** The screen's rows joined: a long line may wrap at the terminal's edge. */
const flat = (s: string) => s.replace(/\n/g, "");

const terms: TmuxTerm[] = [];
afterAll(() => {
  for (const t of terms) t.close();
  killAllStarted();
});

whenSshd(describeOnce, "reload over SSH in a real terminal", (release) => {
  const lab = new HaproxyLab({ release, masterWorker: true });
  const sshd = new SshdLab();
  const runtime = mkdtempSync(join(tmpdir(), "haptop-xdg-"));
  const local: Target = { kind: "unix", path: "" };

  beforeAll(async () => {
    await Promise.all([lab.start(), sshd.start()]);
    local.path = lab.adminSock;
    const master: Target = { kind: "unix", path: lab.masterSock };
    await waitFor(async () => (await masterShowProc(master, 1000, 0)).workers.length > 0, 8000, "master CLI");
  });

  afterAll(async () => {
    await Promise.all([lab.stop(), sshd.stop()]);
    killMastersUnder(runtime);
    rmSync(runtime, { recursive: true, force: true });
  });

  it("`r` shows the master CLI's reload over SSH; `y`: the new worker's pid, answering on the stats socket", async () => {
    const t = await TmuxTerm.start(
      haptopArgs(`${sshd.alias}:${lab.adminSock}`, "--master-socket", `${sshd.alias}:${lab.masterSock}`),
      {
        cols: 220,
        rows: 40,
        env: { HAPTOP_SSH_CONFIG: sshd.sshConfig, XDG_RUNTIME_DIR: runtime },
      },
    );
    terms.push(t);
    await t.waitFor([/fe_tcp/, FOOTER], 30_000, "the first frame");
    const before = await currentPid(local);
    await t.sendKeys("r");
    const dialog = await t.waitFor(
      [/Reload HAProxy \(master-worker\)/, /Enter\/y confirm/],
      20_000,
      "the reload dialog",
    );
    expect(flat(dialog)).toContain(`reload   (on the master CLI ssh://${sshd.alias}${lab.masterSock})`);
    expect(flat(dialog)).toMatch(/configuration check is HAProxy's own/);
    expect(await currentPid(local)).toBe(before);
    await t.sendKeys("y");
    const after = await waitFor(
      async () => {
        const p = await currentPid(local, 1000);
        return p !== before ? p : null;
      },
      20_000,
      "a new worker",
    );
    await t.waitFor(
      (s) => new RegExp(`(→ ${after}\\b|pid ${after} answers)`).test(flat(s)),
      20_000,
      `the new worker's pid ${after} in the reload's report`,
    );
  });
});
