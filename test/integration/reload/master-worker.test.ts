/**
 * Master-worker reloads on every release, through the master CLI: 2.7+ answers `reload` with
 * `Success=1`/`Success=0` and the startup logs; 2.6 answers nothing and marks a failure with the
 * `master[ReloadFailed]>` prompt. Success still needs a new worker in `show proc` and a fresh
 * `show info` answering with its pid; a failure carries every [ALERT] line HAProxy gave.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import type { Socket } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { sendMaster } from "../../../src/actions/mcli.js";
import { currentPid, planReload, reload, watchOldProcesses } from "../../../src/actions/reload.js";
import { parseShowProc } from "../../../src/parse/proc.js";
import { type HaproxyLab, httpGets, isAlive, killAllStarted } from "../../helpers/haproxy.js";
import { atLeast, testReleases } from "../../helpers/releases.js";
import { BROKEN, holdConnection, reloadCli, startLab, unbindable } from "./helpers.js";

const labs: HaproxyLab[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const lab of labs.splice(0)) await lab.stop();
});
afterAll(() => killAllStarted());

describe.each(testReleases())("master-worker reload: $label", (release) => {
  const sync = atLeast(release, 2, 7);
  const start = async () => {
    const s = await startLab({ release, masterWorker: true });
    labs.push(s.lab);
    return s;
  };
  const showProc = async (lab: HaproxyLab) =>
    parseShowProc(await sendMaster({ kind: "unix", path: lab.masterSock }, ["show proc"]));

  it("success: the new worker's pid, returned while the old one still drains; then its exit is seen", async () => {
    const { lab, target, fast } = await start();
    const plan = await planReload({ target });
    expect(plan.mode).toBe("master-worker");
    expect(plan.version).toMatchObject({ major: release.major, minor: release.minor });
    const old = plan.oldPid;
    sockets.push(await holdConnection(lab.ports.tcp)); // keeps the old worker draining
    const r = await reload({ target, plan });
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toBe(`reloaded (master-worker): pid ${old} → ${r.newPid}`);
    const proc = await showProc(lab);
    expect(proc.workers.map((w) => w.pid)).toEqual([r.newPid]);
    expect(await currentPid(target)).toBe(r.newPid);
    if (sync) expect(r.reply).toMatch(/^Success=1/);
    // reload() did not wait for the drain: the old worker is still there.
    expect(r.draining).toEqual([old]);
    expect(isAlive(old)).toBe(true);
    const exits: number[][] = [];
    const w = watchOldProcesses(r.draining, { masterSocket: r.masterSocket, onExit: (p) => exits.push(p) });
    expect(w.running()).toEqual([old]);
    for (const s of sockets) s.destroy();
    const done = await w.done;
    expect(done).toMatchObject({ reason: "all-exited", exited: [old], stillRunning: [] });
    expect(exits).toEqual([[old]]);
    expect(isAlive(old)).toBe(false);
    expect(await httpGets(fast, 2)).toBe(2);
  });

  it("a broken config is refused by haproxy -c with its ALERT lines; the master is never asked", async () => {
    const { lab, target, fast } = await start();
    const before = await currentPid(target);
    appendFileSync(lab.cfg, BROKEN);
    const r = await reload({ target });
    expect(r.ok).toBe(false);
    expect(r.mode).toBe("master-worker");
    expect(r.alerts[0]).toMatch(new RegExp(`\\[ALERT\\].*\\[${lab.cfg}:\\d+\\].*unknown keyword 'bindd'`));
    expect(r.commands.some((c) => c.startsWith("reload"))).toBe(false);
    expect((await showProc(lab)).master?.reloads).toBe(0);
    expect(await currentPid(target)).toBe(before);
    expect(await httpGets(fast, 2)).toBe(2);
  });

  it(`config broken after the check: ${sync ? "Success=0 with every ALERT line" : "ReloadFailed"}; old worker serving; then recovers`, async () => {
    const { lab, target, fast } = await start();
    const good = readFileSync(lab.cfg, "utf8");
    const before = await currentPid(target);
    // Edited between `haproxy -c` and the master's reload: only the master can tell.
    const r = await reload({
      target,
      onProgress: (s) => {
        if (s.phase === "reload") appendFileSync(lab.cfg, BROKEN);
      },
    });
    expect(r.ok).toBe(false);
    if (sync) {
      expect(r.message).toMatch(
        /^reload failed: the master answered Success=0: \[ALERT\].*unknown keyword 'bindd'/,
      );
      expect(r.alerts).toHaveLength(3); // all of them, file and line in the first
      expect(r.alerts[0]).toContain(`[${lab.cfg}:`);
      expect(r.alerts[2]).toMatch(/Fatal errors found in configuration/);
    } else {
      expect(r.message).toMatch(/the master reports ReloadFailed \(its ALERT lines are in HAProxy's log/);
    }
    expect(r.message).toMatch(new RegExp(`; old process ${before} still serving$`));
    expect(await currentPid(target)).toBe(before);
    expect(await httpGets(fast, 2)).toBe(2);
    // The ReloadFailed state stays until the next good reload: it must not fail that one.
    writeFileSync(lab.cfg, good);
    const r2 = await reload({ target });
    expect(r2.ok, r2.message).toBe(true);
    expect(r2.newPid).not.toBe(before);
    expect(await httpGets(fast, 2)).toBe(2);
  });

  it("an unbindable address passes -c and fails in the master, with HAProxy's reason where it gives one", async () => {
    const { lab, target, fast } = await start();
    const before = await currentPid(target);
    appendFileSync(lab.cfg, unbindable(lab));
    const r = await reload({ target, timeoutMs: 15_000 });
    expect(r.ok).toBe(false);
    expect(r.newPid).toBeNull();
    if (release.version === "2.8.0") {
      // HAProxy 2.8.0's master exits when a reload fails to bind (its mcli_reload listener cannot be
      // recreated), taking its worker with it: haptop can only say so.
      expect(r.message).toMatch(/^reload failed: .*(exited during the reload|no new worker)/);
      return;
    }
    if (sync) {
      expect(r.message).toMatch(
        /the master answered Success=0: \[ALERT\].*Binding \[.*:\d+\] for frontend fe_unbindable/,
      );
    } else {
      expect(r.message).toMatch(/the master reports ReloadFailed/);
    }
    expect(r.message).toMatch(new RegExp(`; old process ${before} still serving$`));
    expect(await currentPid(target)).toBe(before);
    expect(await httpGets(fast, 2)).toBe(2);
  });

  it("haptop reload prints every ALERT line and exits 1; --dry-run plans only", async () => {
    const { lab, target } = await start();
    const before = await currentPid(target);
    const dry = await reloadCli({ socket: lab.adminSock, dryRun: true });
    expect(dry.code).toBe(0);
    expect(dry.err).toMatch(/mode master-worker/);
    expect(dry.err).toContain(`reload   (on the master CLI ${lab.masterSock})`);
    appendFileSync(lab.cfg, BROKEN);
    const bad = await reloadCli({ socket: lab.adminSock });
    expect(bad.code).toBe(1);
    const printed = bad.err.split("\n").filter((l) => l.includes("[ALERT]") && !l.includes("failed:"));
    expect(printed.length).toBeGreaterThanOrEqual(2);
    expect(printed[0]).toMatch(new RegExp(`\\[${lab.cfg}:\\d+\\]`));
    expect(bad.out).toMatch(/^configuration check failed, nothing reloaded: \[ALERT\]/);
    expect(await currentPid(target)).toBe(before);
  });
});
