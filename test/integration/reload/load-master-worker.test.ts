/** Master-worker reloads under load (ab, loopback, bounded) on every release: 0 failed requests. */
import { afterAll, afterEach, describe, it } from "vitest";
import type { HaproxyLab } from "../../helpers/haproxy.js";
import { killAllStarted } from "../../helpers/haproxy.js";
import { testReleases } from "../../helpers/releases.js";
import { type AbRun, abAvailable } from "../actions/load.js";
import { expectEveryReloadVerified, expectNoFailedRequest, reloadUnderLoad } from "./load-run.js";

const cleanup: { lab?: HaproxyLab; ab?: AbRun } = {};
afterEach(async () => {
  cleanup.ab?.kill();
  await cleanup.lab?.stop();
  delete cleanup.ab;
  delete cleanup.lab;
});
afterAll(() => killAllStarted());

describe.skipIf(!abAvailable())("master-worker reload under load (ab, loopback)", () => {
  it.each(testReleases())(
    "$label: every reload verified, 0 failed requests",
    { timeout: 30_000 },
    async (release) => {
      const run = await reloadUnderLoad(release, { masterWorker: true }, "master-worker", cleanup);
      expectEveryReloadVerified(run);
      expectNoFailedRequest(run);
    },
  );
});
