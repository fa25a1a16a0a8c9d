/**
 * Every reload mode on every release: what planReload discovers from /proc, the daemon warnings,
 * the command mode (run without a shell, verified by the pid change), read-only and stale plans,
 * and `haptop reload`'s exit codes (0 / 1 / 2 / 3, as the main command's EXIT table).
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { currentPid, planReload, ReloadPlanError, reload } from "../../../src/actions/reload.js";
import { EXIT } from "../../../src/client/exit.js";
import { type HaproxyLab, isAlive, killAllStarted, readPids } from "../../helpers/haproxy.js";
import { testReleases } from "../../helpers/releases.js";
import { BROKEN, reloadCli, startLab } from "./helpers.js";

const labs: HaproxyLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.stop();
});
afterAll(() => killAllStarted());

describe.each(testReleases())("reload modes: $label", (release) => {
  const start = async (opts: { masterWorker?: boolean; exposeFd?: boolean } = {}) => {
    const s = await startLab({ release, ...opts });
    labs.push(s.lab);
    return s;
  };

  it("expose-fd: planReload finds config, pidfile, binary and the expose-fd socket; the reload takes over", async () => {
    const { lab, target } = await start();
    const plan = await planReload({ target });
    const pid = readPids(lab.pidfile)[0]!;
    expect(plan.mode).toBe("expose-fd");
    expect(plan.oldPid).toBe(pid);
    expect(plan.version).toMatchObject({ major: release.major, minor: release.minor });
    expect(plan.binary).toBe(release.bin);
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
    expect(plan.warnings).toEqual([]);
    expect(plan.discovered.join("\n")).toMatch(
      new RegExp(`pid ${pid} holds ${lab.adminSock} \\(socket inode \\d+`),
    );
    const r = await reload({ target, plan });
    expect(r.ok, r.message).toBe(true);
    expect(await currentPid(target)).toBe(r.newPid);
  });

  it("daemon (no expose-fd): warns how to avoid resets, and reloads", async () => {
    const { target } = await start({ exposeFd: false });
    const plan = await planReload({ target });
    expect(plan.mode).toBe("daemon");
    expect(plan.run).not.toContain("-x");
    expect(plan.warnings.join(" ")).toMatch(
      /connections .* may be reset.*expose-fd listeners.*master-worker/,
    );
    const r = await reload({ target, plan });
    expect(r.ok, r.message).toBe(true);
    expect(r.newPid).not.toBe(plan.oldPid);
  });

  it("master-worker: the master CLI from -S, never -sf; a daemon-style reload is refused", async () => {
    const { lab, target } = await start({ masterWorker: true });
    const plan = await planReload({ target });
    expect(plan.mode).toBe("master-worker");
    expect(plan.masterSocket).toEqual({ kind: "unix", path: lab.masterSock });
    expect(plan.masterPid).toBe(readPids(lab.pidfile)[0]); // the pidfile holds the master
    expect(plan.run).toBeNull();
    // As an argument: the lab's random temp dir name may itself contain "-sf".
    expect(plan.commandLines.join("\n")).not.toMatch(/(^|\s)-sf(\s|$)/);
    expect(plan.discovered.join("\n")).toMatch(new RegExp(`pid ${plan.masterPid} holds ${lab.masterSock}`));
    await expect(planReload({ target, mode: "expose-fd" })).rejects.toThrow(ReloadPlanError);
    const r = await reload({ target, mode: "daemon" });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/master-worker/);
    expect(isAlive(plan.masterPid!)).toBe(true);
  });

  it("command: a user command run without a shell, verified by the pid change; failures reported", async () => {
    const { target } = await start({ masterWorker: true });
    const plan = await planReload({ target });
    const before = plan.oldPid;
    const r = await reload({ target, reloadCmd: `kill -USR2 ${plan.masterPid}` });
    expect(r.mode).toBe("command");
    expect(r.ok, r.message).toBe(true);
    expect(r.commands[1]).toBe(`kill -USR2 ${plan.masterPid}`);
    expect(r.newPid).not.toBe(before);
    expect(await currentPid(target)).toBe(r.newPid);
    const now = r.newPid!;
    const r1 = await reload({ target, reloadCmd: "sh -c 'echo nope >&2; exit 4'" });
    expect(r1.ok).toBe(false);
    expect(r1.message).toMatch(/nope|exited with code 4/);
    const r2 = await reload({ target, reloadCmd: "true", timeoutMs: 1000 });
    expect(r2.ok).toBe(false);
    expect(r2.message).toMatch(/no new pid/);
    const r3 = await reload({ target, reloadCmd: "echo a | cat" });
    expect(r3.ok).toBe(false);
    expect(r3.message).toMatch(/no shell/);
    expect(await currentPid(target)).toBe(now);
  });

  it("read-only mode, and a pid changed since the plan: nothing runs", async () => {
    const { target } = await start();
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

  it("haptop reload: plan and progress on stderr, outcome on stdout; exit 0 / 1 / 2 / 3", async () => {
    const { lab, target } = await start();
    const good = readFileSync(lab.cfg, "utf8");
    const ok = await reloadCli({ socket: lab.adminSock });
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.err).toMatch(/mode expose-fd/);
    expect(ok.err).toMatch(/\$ .*haproxy\S* -c -f/);
    expect(ok.err).toMatch(/new-pid: pid \d+ answers/);
    expect(ok.out).toMatch(/^reloaded \(expose-fd\): pid \d+ → \d+\n$/);
    appendFileSync(lab.cfg, BROKEN);
    const bad = await reloadCli({ socket: lab.adminSock });
    expect(bad.code).toBe(EXIT.failed);
    expect(bad.err).toMatch(/^ {2}\[ALERT\].*unknown keyword 'bindd'/m);
    // HAProxy echoes the config's bytes in its ALERT lines: they reach the terminal escaped.
    writeFileSync(lab.cfg, `${good}\nfrontend fe_esc\n    bindd\x1b[2J\x07 127.0.0.1:1\n`);
    const esc = await reloadCli({ socket: lab.adminSock });
    expect(esc.code).toBe(EXIT.failed);
    expect(esc.err + esc.out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(esc.err).toContain("unknown keyword 'bindd\\x1b[2J\\x07'");
    expect((await reloadCli({ socket: `${lab.dir}/nope.sock` })).code).toBe(EXIT.socket);
    const usage = await reloadCli({ socket: "ipv6@nope" });
    expect(usage.code).toBe(EXIT.usage);
    expect(usage.err).toMatch(/not an IPv6 address/);
    const missing = await reloadCli({
      socket: lab.adminSock,
      configFiles: [],
      haproxyBin: "/nonexistent/haproxy",
    });
    expect(missing.code).toBe(EXIT.failed);
    expect(isAlive(await currentPid(target))).toBe(true);
  });
});
