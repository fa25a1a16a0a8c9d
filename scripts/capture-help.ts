/**
 * Captures the `help` reply of every HAProxy release of the test matrix into
 * test/fixtures/haproxy-<version>/help.txt, for the prompt's Tab completion (src/parse/help.ts).
 * The reply is asked on the lab's user, operator and admin sockets and must be the same at every
 * level (HAProxy lists every command whatever the level): the script fails otherwise.
 * Run: `npx tsx scripts/capture-help.ts` (add release binaries with HAPTOP_TEST_HAPROXY).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { testReleases } from "../lab/releases.js";
import { HaproxyLab } from "../lab/test-lab.js";
import { sendRaw } from "../src/client/socket.js";

const FIXTURES = fileURLToPath(new URL("../test/fixtures/", import.meta.url));

for (const release of testReleases()) {
  const lab = new HaproxyLab({ release });
  await lab.start();
  try {
    const replies = await Promise.all(
      [lab.userSock, lab.operatorSock, lab.adminSock].map((path) => sendRaw({ kind: "unix", path }, "help")),
    );
    if (new Set(replies).size !== 1) throw new Error(`${release.version}: help differs per level`);
    const dir = `${FIXTURES}haproxy-${release.version}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/help.txt`, replies[0]!);
    process.stdout.write(`${release.version}: ${replies[0]!.split("\n").length} lines\n`);
  } finally {
    await lab.stop();
  }
}
