/**
 * Debian 12/13 and Ubuntu 24.04 run HAProxy from systemd as
 * `haproxy -Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid -S /run/haproxy-master.sock`
 * (foreground, master-worker, master CLI without options). With no reload flag at all, haptop must
 * find the master CLI from the master's command line and reload through it. Same layout here, paths
 * under the lab's temp dir, on every release. A build without systemd support (the 2.8.0 used here;
 * Ubuntu's 2.8 has it) refuses -Ws: it runs with -W, the same layout otherwise.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { currentPid, masterShowProc } from "../../../src/actions/reload.js";
import type { Target } from "../../../src/client/target.js";
import { freePorts, HaproxyLab, killAllStarted, killPid, waitFor } from "../../helpers/haproxy.js";
import { testReleases } from "../../helpers/releases.js";
import { reloadCli } from "./helpers.js";

const running: { lab: HaproxyLab; child: ChildProcess }[] = [];
afterEach(async () => {
  for (const { lab, child } of running.splice(0)) {
    if (child.pid) killPid(child.pid);
    await lab.stop(); // every haproxy whose command line mentions the lab's dir, by pid
  }
});
afterAll(() => killAllStarted());

describe.each(testReleases())("Debian/systemd layout, no flags: $label", (release) => {
  /** Starts the master in the foreground like systemd does, with the master CLI at `-S <spec>`. */
  async function startForeground(sockSpec: (dir: string) => string) {
    const lab = new HaproxyLab({ release, masterWorker: true });
    const [http, tcp, origin, closed, stats] = await freePorts(5);
    lab.ports = { http: http!, tcp: tcp!, origin: origin!, closed: closed!, stats: stats! };
    writeFileSync(lab.cfg, lab.config());
    const masterSock = join(lab.dir, "haproxy-master.sock");
    const vv = execFileSync(lab.bin, ["-vv"], { encoding: "utf8" });
    const mw = /-SYSTEMD\b/.test(vv) ? "-W" : "-Ws";
    const child = spawn(lab.bin, [mw, "-f", lab.cfg, "-p", lab.pidfile, "-S", sockSpec(masterSock)], {
      stdio: "ignore",
      detached: true,
    });
    running.push({ lab, child });
    const target: Target = { kind: "unix", path: lab.adminSock };
    const master: Target = { kind: "unix", path: masterSock };
    await waitFor(() => existsSync(masterSock), 8000, "the master CLI");
    const before = await waitFor(() => currentPid(target, 1000), 8000, "the worker's stats socket");
    return { lab, child, target, master, masterSock, before };
  }

  it("haptop reload finds -S from the master's command line and reloads through it", async () => {
    const { lab, child, target, master, masterSock, before } = await startForeground((s) => s);

    const dry = await reloadCli({ socket: lab.adminSock, dryRun: true });
    expect(dry.code, dry.err).toBe(0);
    expect(dry.err).toContain("mode master-worker");
    expect(dry.err).toContain(`reload   (on the master CLI ${masterSock})`);

    const r = await reloadCli({ socket: lab.adminSock });
    expect(r.code, r.err).toBe(0);
    const m = /^reloaded \(master-worker\): pid (\d+) → (\d+)$/m.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m![1])).toBe(before);
    const after = Number(m![2]);
    expect(after).not.toBe(before);
    expect(await currentPid(target)).toBe(after);
    expect((await masterShowProc(master)).workers.map((w) => w.pid)).toEqual([after]);
    expect(child.exitCode).toBeNull(); // the foreground master is the same process throughout
  });

  it("a master CLI below operator level: its refusal is reported at once, nothing reloads", async () => {
    const { lab, target, master, before } = await startForeground((s) => `${s},level,user`);
    const r = await reloadCli({ socket: lab.adminSock, timeoutMs: 15_000 });
    expect(r.code).toBe(1);
    if (release.major >= 3) {
      // 3.x refuses even show proc below operator level: nothing can be planned.
      // (3.2 answers Permission denied, 3.0 nothing at all.)
      expect(r.err).toMatch(/show proc.*"level operator"/);
    } else {
      expect(r.out).toBe("the master refused the reload: Permission denied\n");
      expect((await masterShowProc(master)).master?.reloads).toBe(0);
    }
    expect(await currentPid(target)).toBe(before);
  });
});
