/**
 * Captures the master CLI's replies of every release into test/fixtures/haproxy-<version>/master-*.txt
 * (the fixtures of test/unit/actions/reload/master-reply.test.ts). Opt-in: HAPTOP_CAPTURE=1.
 *   HAPTOP_CAPTURE=1 npx vitest run test/integration/reload/capture-master.test.ts
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { masterCommandWithPrompt, sendMaster } from "../../../src/actions/mcli.js";
import type { Target } from "../../../src/client/target.js";
import { parseShowProc } from "../../../src/parse/proc.js";
import { HaproxyLab, killAllStarted, waitFor } from "../../helpers/haproxy.js";
import { testReleases } from "../../helpers/releases.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures");
afterAll(() => killAllStarted());

describe.skipIf(!process.env.HAPTOP_CAPTURE).each(testReleases())(
  "capture master CLI replies: $label",
  (release) => {
    it("writes master-*.txt", { timeout: 60_000 }, async () => {
      const lab = await new HaproxyLab({ release, masterWorker: true }).start();
      const dir = join(FIXTURES, `haproxy-${release.version}`);
      mkdirSync(dir, { recursive: true });
      const save = (name: string, text: string) => writeFileSync(join(dir, name), text);
      const master: Target = { kind: "unix", path: lab.masterSock };
      const showProc = () => sendMaster(master, ["show proc"]);
      const workers = async () => parseShowProc(await showProc()).workers.map((w) => w.pid);
      try {
        await waitFor(async () => (await workers()).length > 0, 5000, "master CLI");
        save("master-show-proc.txt", await showProc());
        const first = await workers();
        save("master-reload-success.txt", await sendMaster(master, ["reload"], 20_000));
        await waitFor(async () => (await workers()).some((p) => !first.includes(p)), 10_000, "new worker");
        save("master-show-proc-after-reload.txt", await showProc());
        const good = readFileSync(lab.cfg, "utf8");
        appendFileSync(lab.cfg, "\nfrontend fe_broken\n    bindd 127.0.0.1:1\n");
        save("master-reload-failure.txt", await sendMaster(master, ["reload"], 20_000));
        const prompt = await waitFor(
          async () => {
            const r = await masterCommandWithPrompt(master, "show proc");
            return r.reloadFailed ? r : null;
          },
          10_000,
          "ReloadFailed",
        );
        save("master-show-proc-reload-failed.txt", `${prompt!.prompt} ${prompt!.output}`);
        save("master-show-startup-logs.txt", await sendMaster(master, ["show startup-logs"]));
        writeFileSync(lab.cfg, `${good}\nfrontend fe_unbindable\n    bind unix@${lab.dir}/missing/x.sock\n`);
        save("master-reload-bind-failure.txt", await sendMaster(master, ["reload"], 20_000));
      } finally {
        await lab.stop();
      }
    });
  },
);
