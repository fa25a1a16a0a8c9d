/**
 * Captures the process view's replies of every HAProxy release of the test matrix into
 * test/fixtures/haproxy-<version>/ (issue 13, point 5): `show activity` and `show pools` at admin
 * and user level, and under master-worker the master CLI's `show proc` while an old worker drains
 * (a reload with a TCP connection held open), that old worker's `show info` through `@!<pid>`, and
 * the master's answer once it has exited. Only loopback addresses, temp paths, pids and heap
 * addresses end up in the files. Run: `npx tsx scripts/capture-process-fixtures.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { waitFor } from "../lab/index.js";
import type { Release } from "../lab/releases.js";
import { HaproxyLab } from "../lab/test-lab.js";
import { sendRaw } from "../src/client/socket.js";
import type { Target } from "../src/client/target.js";
import { parseShowProc } from "../src/parse/proc.js";
import { captureEachRelease, FIXTURES } from "./captureKit.js";

async function capture(release: Release): Promise<string> {
  const lab = new HaproxyLab({ release, masterWorker: true });
  const dir = join(FIXTURES, `haproxy-${release.version}`);
  mkdirSync(dir, { recursive: true });
  const save = (file: string, text: string) => writeFileSync(join(dir, file), text, "latin1");
  try {
    await lab.start();
    const admin: Target = { kind: "unix", path: lab.adminSock };
    const user: Target = { kind: "unix", path: lab.userSock };
    const master: Target = { kind: "unix", path: lab.masterSock };
    const mcli = (line: string) => sendRaw(master, line, { halfClose: true });
    save("show-activity.txt", await sendRaw(admin, "show activity"));
    save("show-pools.txt", await sendRaw(admin, "show pools"));
    save("user-show-activity.txt", await sendRaw(user, "show activity"));
    save("user-show-pools.txt", await sendRaw(user, "show pools"));
    const before = parseShowProc(await mcli("show proc"));
    const old = before.workers[0]!.pid;
    // A client that stays connected keeps the old worker alive after the reload.
    const held = connect({ host: "127.0.0.1", port: lab.ports.tcp });
    held.on("error", () => {});
    await new Promise<void>((r) => held.once("connect", () => r()));
    await mcli("reload");
    const draining = await waitFor(
      async () => {
        const reply = await mcli("show proc").catch(() => "");
        return parseShowProc(reply).oldWorkers.some((w) => w.pid === old) &&
          parseShowProc(reply).workers.length > 0
          ? reply
          : null;
      },
      10_000,
      "the old worker listed as draining",
    );
    save("master-show-proc-draining.txt", draining);
    save("master-at-old-worker-show-info.txt", await mcli(`@!${old} show info;@!${old} show activity`));
    held.destroy();
    await waitFor(
      async () => !parseShowProc(await mcli("show proc").catch(() => "")).oldWorkers.length,
      15_000,
      "the old worker gone",
    );
    save("master-at-gone-worker.txt", await mcli(`@!${old} show info;@!${old} show stat`));
    return dir;
  } finally {
    await lab.stop();
  }
}

captureEachRelease(import.meta.url, "capture-process-fixtures", capture);
