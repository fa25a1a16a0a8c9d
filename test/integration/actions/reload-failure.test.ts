/**
 * Refused and failed reloads in the daemon modes (expose-fd, daemon -sf), on every release: a broken
 * config is refused by `haproxy -c` with HAProxy's ALERT (file and line), and an address that cannot
 * be bound passes `-c`, fails the reload with the Binding ALERT, and leaves the old process serving.
 * The unbindable address is a UNIX socket in a missing directory: on 3.x a TCP port held elsewhere
 * may still be bound (SO_REUSEPORT). Master-worker: test/integration/reload/master-worker.test.ts.
 */
import { appendFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { currentPid, type ReloadStep, reload } from "../../../src/actions/reload.js";
import type { Target } from "../../../src/client/target.js";
import { freePorts, HaproxyLab, httpGets, isAlive, killAllStarted } from "../../helpers/haproxy.js";
import { testReleases } from "../../helpers/releases.js";
import { fastFrontend } from "./load.js";

const labs: HaproxyLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.stop();
});
afterAll(() => killAllStarted());

const BROKEN = "\nfrontend fe_broken\n    bindd 127.0.0.1:1\n";
const unbindable = (lab: HaproxyLab) => `\nfrontend fe_unbindable\n    bind unix@${lab.dir}/missing/x.sock\n`;

describe.each(testReleases())("reload failures, daemon modes: $label", (release) => {
  async function startLab(exposeFd: boolean) {
    const [fast] = await freePorts(1);
    const lab = await new HaproxyLab({ release, exposeFd, extra: fastFrontend(fast!) }).start();
    labs.push(lab);
    const target: Target = { kind: "unix", path: lab.adminSock };
    return { lab, target, fast: fast!, before: await currentPid(target) };
  }

  it.each([
    ["expose-fd", true],
    ["daemon", false],
  ] as const)(
    "%s: a broken config is refused with HAProxy's ALERT (file:line), nothing else runs",
    async (mode, exposeFd) => {
      const { lab, target, fast, before } = await startLab(exposeFd);
      appendFileSync(lab.cfg, BROKEN);
      const steps: ReloadStep[] = [];
      const r = await reload({ target, onProgress: (s) => steps.push(s) });
      expect(r.ok).toBe(false);
      expect(r.mode).toBe(mode);
      expect(r.message).toMatch(
        /configuration check failed, nothing reloaded: \[ALERT\].*unknown keyword 'bindd'/,
      );
      expect(r.alerts[0]).toContain(`[${lab.cfg}:`);
      expect(r.alerts.length).toBeGreaterThanOrEqual(2); // every ALERT line, not just the first
      expect(r.commands).toHaveLength(1); // only haproxy -c ran
      expect(r.commands[0]).toMatch(/ -c -f /);
      expect(steps.map((s) => s.phase)).toEqual(["plan", "plan", "validate", "failed"]);
      expect(await currentPid(target)).toBe(before);
      expect(await httpGets(fast, 2)).toBe(2);
    },
  );

  it.each([
    ["expose-fd", true],
    ["daemon", false],
  ] as const)(
    "%s: an unbindable address passes -c, fails the reload with the Binding ALERT; old process serving",
    async (mode, exposeFd) => {
      const { lab, target, fast, before } = await startLab(exposeFd);
      appendFileSync(lab.cfg, unbindable(lab));
      const r = await reload({ target, timeoutMs: 15_000 });
      expect(r.ok).toBe(false);
      expect(r.mode).toBe(mode);
      expect(r.commands).toHaveLength(2); // -c passed, the reload ran
      expect(r.alerts.join("\n")).toMatch(/cannot bind UNIX socket/);
      expect(r.newPid).toBeNull();
      if (mode === "expose-fd") {
        expect(r.message).toMatch(new RegExp(`^reload failed: .*; old process ${before} still serving$`));
        expect(await currentPid(target)).toBe(before);
      } else {
        // Without -x the failed process bound the stats socket anew before failing: its file now
        // leads nowhere, while the old process still runs and serves traffic. The message says both.
        expect(r.message).toMatch(
          new RegExp(
            `^reload failed: .*; the stats socket does not answer: .*; old process ${before} still running$`,
          ),
        );
      }
      expect(isAlive(before)).toBe(true);
      expect(await httpGets(fast, 2)).toBe(2);
    },
  );
});
