import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { sendMaster } from "../../../src/actions/mcli.js";
import {
  currentPid,
  masterShowProc,
  planReload,
  ReloadPlanError,
  type ReloadStep,
  reload,
  runReloadCli,
} from "../../../src/actions/reload.js";
import { runCommand } from "../../../src/client/socket.js";
import type { Target } from "../../../src/client/target.js";
import { parseInfo } from "../../../src/parse/info.js";
import { parseShowProc } from "../../../src/parse/proc.js";
import {
  freePorts,
  HaproxyLab,
  httpGets,
  isAlive,
  killAllStarted,
  readPids,
  sleep,
  waitFor,
} from "../../helpers/haproxy.js";
import { type AbRun, abAvailable, fastFrontend, holdPort, startAb } from "./load.js";

let lab: HaproxyLab | null = null;
let ab: AbRun | null = null;
let held: { close(): Promise<void> } | null = null;

afterEach(async () => {
  ab?.kill();
  ab = null;
  await held?.close();
  held = null;
  await lab?.stop();
  lab = null;
});
afterAll(() => killAllStarted());

async function startLab(opts: { masterWorker?: boolean; exposeFd?: boolean } = {}) {
  const [fast] = await freePorts(1);
  lab = await new HaproxyLab({ ...opts, extra: fastFrontend(fast!) }).start();
  const target: Target = { kind: "unix", path: lab.adminSock };
  if (opts.masterWorker) {
    const master: Target = { kind: "unix", path: lab.masterSock };
    await waitFor(async () => (await masterShowProc(master, 1000, 0)).workers.length > 0, 5000, "master CLI");
  }
  return { lab, target, fast: fast! };
}

const BROKEN = "\nfrontend fe_broken\n    bindd 127.0.0.1:1\n";

describe("reload: refused or failed reloads leave the old process serving", () => {
  it.skipIf(!abAvailable())(
    "expose-fd: a broken config is refused with HAProxy's ALERT, 0 failed requests",
    { timeout: 30_000 },
    async () => {
      const { lab, target, fast } = await startLab();
      const before = await currentPid(target);
      ab = startAb(fast, 3);
      await sleep(500);
      appendFileSync(lab.cfg, BROKEN);
      const steps: ReloadStep[] = [];
      const r = await reload({ target, onProgress: (s) => steps.push(s) });
      expect(r.ok).toBe(false);
      expect(r.mode).toBe("expose-fd");
      expect(r.message).toMatch(/configuration check failed, nothing reloaded/);
      expect(r.alerts.join("\n")).toMatch(/\[ALERT\].*unknown keyword 'bindd'/);
      expect(r.commands).toHaveLength(1); // only haproxy -c ran
      expect(r.commands[0]).toMatch(/ -c -f /);
      expect(steps.map((s) => s.phase)).toEqual(["plan", "plan", "validate", "failed"]);
      const res = await ab.done;
      expect(res.failed).toBe(0);
      expect(res.non2xx).toBe(0);
      expect(res.complete).toBeGreaterThan(1000);
      expect(await currentPid(target)).toBe(before);
      expect(isAlive(before)).toBe(true);
      expect(await httpGets(fast, 3)).toBe(3);
    },
  );

  it("master-worker: a broken config is refused before the master is asked", async () => {
    const { lab, target, fast } = await startLab({ masterWorker: true });
    const before = await currentPid(target);
    appendFileSync(lab.cfg, BROKEN);
    const r = await reload({ target });
    expect(r.ok).toBe(false);
    expect(r.mode).toBe("master-worker");
    expect(r.alerts.join("\n")).toMatch(/unknown keyword 'bindd'/);
    expect(r.commands.some((c) => c.startsWith("reload"))).toBe(false);
    const proc = parseShowProc(await sendMaster({ kind: "unix", path: lab.masterSock }, ["show proc"]));
    expect(proc.master?.reloads).toBe(0);
    expect(await currentPid(target)).toBe(before);
    expect(await httpGets(fast, 2)).toBe(2);
  });

  it("expose-fd: an address already in use passes -c, fails the reload, old process still serving", async () => {
    const { lab, target, fast } = await startLab();
    const before = await currentPid(target);
    const busy = await holdPort();
    held = busy;
    appendFileSync(lab.cfg, `\nfrontend fe_busy\n    bind 127.0.0.1:${busy.port}\n`);
    const r = await reload({ target, timeoutMs: 15_000 });
    expect(r.ok).toBe(false);
    expect(r.commands).toHaveLength(2); // -c passed, the reload ran
    expect(r.alerts.join("\n")).toMatch(/cannot bind socket|Address already in use/);
    expect(r.message).toMatch(/reload failed/);
    expect(r.message).toMatch(new RegExp(`old process ${before} still serving`));
    expect(r.newPid).toBeNull();
    expect(await currentPid(target)).toBe(before);
    expect(isAlive(before)).toBe(true);
    expect(await httpGets(fast, 3)).toBe(3);
  });

  it("master-worker: an address already in use → ReloadFailed reported, old worker serving; then recovers", async () => {
    const { lab, target, fast } = await startLab({ masterWorker: true });
    const good = readFileSync(lab.cfg, "utf8");
    const before = await currentPid(target);
    const busy = await holdPort();
    held = busy;
    appendFileSync(lab.cfg, `\nfrontend fe_busy\n    bind 127.0.0.1:${busy.port}\n`);
    const r = await reload({ target, timeoutMs: 15_000 });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/ReloadFailed/);
    expect(r.message).toMatch(new RegExp(`old process ${before} still serving`));
    expect(await currentPid(target)).toBe(before);
    expect(await httpGets(fast, 3)).toBe(3);
    // The ReloadFailed prompt stays until the next good reload: it must not fail that one.
    writeFileSync(lab.cfg, good);
    const r2 = await reload({ target });
    expect(r2.ok, r2.message).toBe(true);
    expect(r2.newPid).not.toBe(before);
    expect(await httpGets(fast, 2)).toBe(2);
  });
});

describe("reload: modes, plan and refusals", () => {
  it("planReload discovers config, pidfile, binary and expose-fd socket from /proc", async () => {
    const { lab, target } = await startLab();
    const plan = await planReload({ target });
    const pid = readPids(lab.pidfile)[0]!;
    expect(plan.mode).toBe("expose-fd");
    expect(plan.oldPid).toBe(pid);
    expect(plan.configFiles).toEqual([lab.cfg]);
    expect(plan.pidfile).toBe(lab.pidfile);
    expect(plan.validate.slice(1)).toEqual(["-c", "-f", lab.cfg]);
    expect(plan.run!.slice(1)).toEqual([
      "-D",
      "-f",
      lab.cfg,
      "-p",
      lab.pidfile,
      "-x",
      lab.adminSock,
      "-sf",
      String(pid),
    ]);
    expect(plan.commandLines).toHaveLength(2);
    expect(plan.warnings).toEqual([]);
  });

  it("planReload in master-worker finds the master CLI from -S, never plans -sf", async () => {
    const { lab, target } = await startLab({ masterWorker: true });
    const plan = await planReload({ target });
    expect(plan.mode).toBe("master-worker");
    expect(plan.masterSocket).toEqual({ kind: "unix", path: lab.masterSock });
    expect(plan.masterPid).toBe(readPids(lab.pidfile)[0]); // the pidfile holds the master
    expect(plan.run).toBeNull();
    expect(plan.commandLines.join("\n")).not.toMatch(/-sf/);
    // Forcing a daemon-style reload on a master-worker HAProxy is refused (it would -sf outside the master).
    await expect(planReload({ target, mode: "expose-fd" })).rejects.toThrow(ReloadPlanError);
    const r = await reload({ target, mode: "daemon" });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/master-worker/);
    expect(isAlive(plan.masterPid!)).toBe(true);
  });

  it("daemon mode warns how to avoid resets and reloads", async () => {
    const { target } = await startLab({ exposeFd: false });
    const plan = await planReload({ target });
    expect(plan.mode).toBe("daemon");
    expect(plan.run).not.toContain("-x");
    expect(plan.warnings.join(" ")).toMatch(
      /connections .* may be reset.*expose-fd listeners.*master-worker/,
    );
    const r = await reload({ target });
    expect(r.ok, r.message).toBe(true);
  });

  it("command mode: a user command run without a shell, verified by the pid change", async () => {
    const { target } = await startLab({ masterWorker: true });
    const plan = await planReload({ target });
    const before = plan.oldPid;
    const r = await reload({ target, reloadCmd: `kill -USR2 ${plan.masterPid}` });
    expect(r.mode).toBe("command");
    expect(r.ok, r.message).toBe(true);
    expect(r.commands[1]).toBe(`kill -USR2 ${plan.masterPid}`);
    expect(r.newPid).not.toBe(before);
    expect(await currentPid(target)).toBe(r.newPid);
  });

  it("command mode: a failing command, or one that changes nothing, is a failed reload", async () => {
    const { target } = await startLab();
    const before = await currentPid(target);
    const r1 = await reload({ target, reloadCmd: "sh -c 'echo nope >&2; exit 4'" });
    expect(r1.ok).toBe(false);
    expect(r1.message).toMatch(/nope|exited with code 4/);
    const r2 = await reload({ target, reloadCmd: "true", timeoutMs: 1000 });
    expect(r2.ok).toBe(false);
    expect(r2.message).toMatch(/no new pid/);
    const r3 = await reload({ target, reloadCmd: "echo a | cat" });
    expect(r3.ok).toBe(false);
    expect(r3.message).toMatch(/no shell/);
    expect(await currentPid(target)).toBe(before);
  });

  it("read-only mode and a changed pid since the plan: nothing runs", async () => {
    const { target } = await startLab();
    const before = await currentPid(target);
    const r = await reload({ target, readOnly: true });
    expect(r).toMatchObject({ ok: false, message: "read-only mode", commands: [] });
    const plan = await planReload({ target });
    expect((await reload({ target })).ok).toBe(true);
    const stale = await reload({ target, plan });
    expect(stale.ok).toBe(false);
    expect(stale.message).toMatch(/changed since the plan/);
    expect(stale.commands).toEqual([]);
    expect(before).not.toBe(await currentPid(target));
  });

  it("runReloadCli: plan and progress on stderr, exit 0 / 1 / 3", async () => {
    const { lab, target } = await startLab();
    const cli = async (opts: Parameters<typeof runReloadCli>[0]) => {
      const out = new PassThrough();
      const err = new PassThrough();
      let o = "";
      let e = "";
      out.on("data", (c) => {
        o += c;
      });
      err.on("data", (c) => {
        e += c;
      });
      const code = await runReloadCli({ ...opts, stdout: out, stderr: err });
      return { code, out: o, err: e };
    };
    const ok = await cli({ socket: lab.adminSock });
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/mode expose-fd/);
    expect(ok.err).toMatch(/\$ .*haproxy -c -f/);
    expect(ok.err).toMatch(/new-pid: pid \d+ answers/);
    expect(ok.out).toMatch(/^reloaded \(expose-fd\): pid \d+ → \d+/);
    const dry = await cli({ socket: lab.adminSock, dryRun: true });
    expect(dry.code).toBe(0);
    expect(dry.err).toMatch(/-x /);
    appendFileSync(lab.cfg, BROKEN);
    const bad = await cli({ socket: lab.adminSock });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/\[ALERT\]/);
    const gone = await cli({ socket: `${lab.dir}/nope.sock` });
    expect(gone.code).toBe(3);
    const pid = parseInfo(await runCommand(target, "show info")).Pid;
    expect(isAlive(pid as number)).toBe(true);
  });
});
