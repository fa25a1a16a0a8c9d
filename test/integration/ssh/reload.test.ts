/**
 * Reload over SSH (issue 14, point 2) on every release: a real sshd (lab/sshd.ts) in front of a real
 * master-worker HAProxy. With the master CLI given as an SSH target on the same host, the reload is
 * the master's own `reload` through the forwarded socket, verified by the master's `show proc` (a new
 * worker) and the stats socket (`show info` Pid = that worker); a broken configuration is HAProxy's
 * to refuse (2.7+: Success=0 with its ALERT lines) and leaves the old worker serving. Without a
 * master CLI over SSH, both `haptop reload` and the TUI's `r` say exactly what to pass.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { SshdLab } from "../../../lab/sshd.js";
import { createController } from "../../../src/actions/controller.js";
import { sendMaster } from "../../../src/actions/mcli.js";
import type { ActionPlan } from "../../../src/actions/plan.js";
import { masterChildren } from "../../../src/actions/reload/probe.js";
import { currentPid, masterShowProc } from "../../../src/actions/reload.js";
import { closeSshConnections, configureSsh, SSH_RELOAD_UNAVAILABLE } from "../../../src/client/ssh.js";
import { parseTarget, type Target } from "../../../src/client/target.js";
import { parseShowProc } from "../../../src/parse/proc.js";
import { Poller } from "../../../src/store/poller.js";
import { runHaptop } from "../../helpers/cli.js";
import { HaproxyLab, killAllStarted, waitFor } from "../../helpers/haproxy.js";
import { describeEachRelease } from "../../helpers/matrix.js";
import { atLeast } from "../../helpers/releases.js";
import { BROKEN } from "../reload/helpers.js";
import {
  includeLab,
  killMastersUnder,
  processesMentioning,
  removeSharedSshConfig,
  sharedSshConfig,
  whenSshd,
} from "./sshLab.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 120_000 });

/**
 * One in-process reload at a time (reload() refuses a second one per haptop process, and the suites
 * of every release run concurrently in this worker): the TUI tests take turns.
 */
let inProcess: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = inProcess.then(work, work);
  inProcess = run.catch(() => {});
  return run;
}

afterAll(() => {
  closeSshConnections();
  removeSharedSshConfig();
  killAllStarted();
});

whenSshd(describeEachRelease, "reload over SSH", (release) => {
  const sync = atLeast(release, 2, 7);
  const lab = new HaproxyLab({ release, masterWorker: true });
  const sshd = new SshdLab();
  const runtime = mkdtempSync(join(tmpdir(), "haptop-xdg-"));
  const env = () => ({ HAPTOP_SSH_CONFIG: sshd.sshConfig, XDG_RUNTIME_DIR: runtime });
  const local: Target = { kind: "unix", path: "" };
  const master: Target = { kind: "unix", path: "" };
  const stats = () => `${sshd.alias}:${lab.adminSock}`;
  const masterSsh = () => `${sshd.alias}:${lab.masterSock}`;
  const workers = async () =>
    parseShowProc(await sendMaster(master, ["show proc"])).workers.map((w) => w.pid);
  let good = "";

  beforeAll(async () => {
    await Promise.all([lab.start(), sshd.start()]);
    includeLab(sshd);
    configureSsh({ configFile: sharedSshConfig() });
    local.path = lab.adminSock;
    master.path = lab.masterSock;
    good = readFileSync(lab.cfg, "utf8");
    await waitFor(async () => (await masterShowProc(master, 1000, 0)).workers.length > 0, 5000, "master CLI");
  });

  afterAll(async () => {
    await Promise.all([lab.stop(), sshd.stop()]);
    killMastersUnder(runtime);
    rmSync(runtime, { recursive: true, force: true });
  });

  it("haptop reload <ssh stats> --master-socket <ssh master>: exit 0, the master's reload, a new worker answering", async () => {
    const before = await currentPid(local);
    const dry = await runHaptop(["reload", "--dry-run", stats(), "--master-socket", masterSsh()], {
      env: env(),
    });
    expect(dry.stderr).toContain(`haptop reload: mode master-worker, running pid ${before}`);
    expect(dry.stderr).toContain(`  $ reload   (on the master CLI ssh://${sshd.alias}${lab.masterSock})\n`);
    expect(dry.stderr).toMatch(/note: over SSH the configuration check is HAProxy's own/);
    expect(dry.code).toBe(0);
    expect(await currentPid(local)).toBe(before);

    // The ssh:// spelling for the master CLI does the same.
    const r = await runHaptop(
      ["reload", stats(), "--master-socket", `ssh://${sshd.alias}${lab.masterSock}`],
      { env: env() },
    );
    expect(r.code, r.stderr).toBe(0);
    const m = /^reloaded \(master-worker\): pid (\d+) → (\d+)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBe(before);
    const after = Number(m![2]);
    expect(after).not.toBe(before);
    // What HAProxy says, directly: the new worker is the master's only current one and answers.
    expect(await currentPid(local)).toBe(after);
    expect(await workers()).toEqual([after]);
    // No local configuration check, nothing but the master's reload.
    expect(r.stderr).not.toMatch(/haproxy -c|checking the configuration/);
    expect(r.stderr).toMatch(/validate: no local configuration check/);
    if (sync) expect(r.stderr).toMatch(/the master answered Success=1/);
    expect(readdirSync(runtime)).toEqual([]);
    expect(processesMentioning(runtime)).toEqual([]);
  });

  it("a broken configuration: exit 1, HAProxy's own refusal (ALERT lines on 2.7+), the old worker still serving", async () => {
    const before = await currentPid(local);
    appendFileSync(lab.cfg, BROKEN);
    try {
      const r = await runHaptop(["reload", stats(), "--master-socket", masterSsh()], { env: env() });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      if (sync) {
        expect(r.stdout).toMatch(
          /^reload failed: the master answered Success=0: \[ALERT\].*unknown keyword 'bindd'/,
        );
        expect(r.stderr).toMatch(
          new RegExp(`\\n {2}\\[ALERT\\].*\\[${lab.cfg}:\\d+\\].*unknown keyword 'bindd'`),
        );
        expect(r.stderr).toMatch(/\[ALERT\].*Fatal errors found in configuration/);
      } else {
        expect(r.stdout).toMatch(/^reload failed: the master reports ReloadFailed/);
      }
      expect(r.stdout).toMatch(new RegExp(`; old process ${before} still serving\\n$`));
      expect(await currentPid(local)).toBe(before);
      // Still the master's child (3.2 lists it among the old workers after a failed reload).
      const proc = parseShowProc(await sendMaster(master, ["show proc"]));
      expect(masterChildren(proc)).toContain(before);
    } finally {
      writeFileSync(lab.cfg, good);
    }
    // Fixed: the next reload goes through (a ReloadFailed state left on 2.6 must not fail it).
    const r2 = await runHaptop(["reload", stats(), "--master-socket", masterSsh()], { env: env() });
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    expect(await currentPid(local)).not.toBe(before);
  });

  it("without a master CLI over SSH: exit 1 before any ssh runs, naming --master-socket", async () => {
    const none = await runHaptop(["reload", stats()], { env: env() });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`haptop reload: ${SSH_RELOAD_UNAVAILABLE}\n`);
    expect(none.stderr).toContain("--master-socket <ssh target of the master CLI>");
    const localPath = await runHaptop(["reload", stats(), "--master-socket", lab.masterSock], {
      env: env(),
    });
    expect(localPath.code).toBe(1);
    expect(localPath.stderr).toMatch(
      /^haptop reload: --master-socket \S+ is not an SSH target, but HAProxy runs on haptop-\S+ .*pass --master-socket <ssh target of the master CLI>/,
    );
    const cmd = await runHaptop(["reload", stats(), "--reload-cmd", "true"], { env: env() });
    expect(cmd.code).toBe(1);
    expect(cmd.stderr).toMatch(/--reload-cmd cannot reload \S+: it would run on this machine/);
    expect(readdirSync(runtime)).toEqual([]);
  });

  it("the TUI's r: planned with the exact command, confirmed, the new pid answers", async () => {
    const target = parseTarget(stats());
    const poller = new Poller({
      target: stats(),
      intervalMs: 1000,
      fetch: () => Promise.reject(new Error("not polled in this test")),
    });
    expect(createController(target, { timeout: 2 }, poller).reloadUnavailable).toBe(SSH_RELOAD_UNAVAILABLE);
    const c = createController(target, { timeout: 2, masterSocket: masterSsh() }, poller);
    try {
      expect(c.reloadUnavailable).toBeNull();
      const before = await currentPid(local);
      const plan = (await c.plan("reload", { kind: null })) as ActionPlan;
      expect(plan, JSON.stringify(plan)).toHaveProperty("run");
      expect(plan.title).toBe("Reload HAProxy (master-worker)");
      expect(plan.commands).toEqual([`reload   (on the master CLI ssh://${sshd.alias}${lab.masterSock})`]);
      expect(plan.notes.join("\n")).toMatch(/configuration check is HAProxy's own/);
      const progress: string[] = [];
      const outcome = await oneAtATime(() => plan.run((l) => progress.push(l)));
      expect(outcome.ok, outcome.message).toBe(true);
      const after = await currentPid(local);
      expect(after).not.toBe(before);
      expect(outcome.message).toBe(`reloaded (master-worker): pid ${before} → ${after}`);
      expect(progress.join("\n")).toContain(`new worker ${after} forked`);
      await outcome.background?.done;
    } finally {
      c.dispose?.();
    }
  });

  it("a confirmed plan whose worker was replaced meanwhile is refused: nothing sent", async () => {
    const target = parseTarget(stats());
    const poller = new Poller({
      target: stats(),
      intervalMs: 1000,
      fetch: () => Promise.reject(new Error("not polled in this test")),
    });
    const c = createController(target, { timeout: 2, masterSocket: masterSsh() }, poller);
    try {
      const before = await currentPid(local);
      const plan = (await c.plan("reload", { kind: null })) as ActionPlan;
      expect(plan).toHaveProperty("run");
      // Someone else reloads HAProxy while the dialog is open.
      await sendMaster(master, ["reload"], 20_000);
      const other = await waitFor(
        async () => {
          const p = await currentPid(local, 1000).catch(() => before);
          return p !== before ? p : null;
        },
        20_000,
        "the other reload's worker",
      );
      const outcome = await oneAtATime(() => plan.run(() => {}));
      expect(outcome.ok).toBe(false);
      expect(outcome.message).toBe(
        `HAProxy's pid changed since the plan was made (${before} → ${other}): plan again`,
      );
      expect(await currentPid(local)).toBe(other);
    } finally {
      c.dispose?.();
    }
  });
});
