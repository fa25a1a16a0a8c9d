/**
 * Reloads under load (ab, loopback, bounded), expose-fd on every release: 0 failed requests. The plain
 * daemon mode (no -x) is measured on the packaged release, not asserted. Master-worker under load:
 * test/integration/reload/load-master-worker.test.ts (a separate file, so the two run in parallel).
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { HaproxyLab } from "../../helpers/haproxy.js";
import { killAllStarted } from "../../helpers/haproxy.js";
import { defaultRelease, testReleases } from "../../helpers/releases.js";
import { expectEveryReloadVerified, expectNoFailedRequest, reloadUnderLoad } from "../reload/load-run.js";
import { type AbRun, abAvailable } from "./load.js";

const cleanup: { lab?: HaproxyLab; ab?: AbRun } = {};
afterEach(async () => {
  cleanup.ab?.kill();
  await cleanup.lab?.stop();
  delete cleanup.ab;
  delete cleanup.lab;
});
afterAll(() => killAllStarted());

describe.skipIf(!abAvailable())("reload under load (ab, loopback)", () => {
  it.each(testReleases())(
    "expose-fd, $label: every reload verified, 0 failed requests",
    { timeout: 30_000 },
    async (release) => {
      const run = await reloadUnderLoad(release, { exposeFd: true }, "expose-fd", cleanup);
      expectEveryReloadVerified(run);
      expectNoFailedRequest(run);
    },
  );

  it("daemon (no expose-fd): reloads verified; failed requests measured, not asserted", {
    timeout: 30_000,
  }, async () => {
    const run = await reloadUnderLoad(defaultRelease(), { exposeFd: false }, "daemon", cleanup);
    expectEveryReloadVerified(run);
    expect(run.reloads[0]!.warnings.join(" ")).toMatch(/expose-fd listeners/);
    expect(run.ab.exitCode).toBe(0);
    expect(Number.isFinite(run.ab.failed)).toBe(true);
  });
});
