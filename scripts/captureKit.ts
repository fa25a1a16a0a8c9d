/**
 * What the fixture-capture scripts share: where fixtures go, and running a capture on every
 * release of the test matrix when the script itself is run (tests import some of them).
 */
import { fileURLToPath } from "node:url";
import { type Release, testReleases } from "../lab/releases.js";

export const FIXTURES = fileURLToPath(new URL("../test/fixtures/", import.meta.url));

/**
 * When `moduleUrl`'s file is the script node runs: `capture` on each release in turn, printing
 * where each went; a failure is one line on stderr and exit code 1.
 */
export function captureEachRelease(
  moduleUrl: string,
  name: string,
  capture: (release: Release) => Promise<string>,
): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  const main = async () => {
    const releases = testReleases();
    if (releases.length === 0) throw new Error("no haproxy binary found");
    for (const r of releases) process.stdout.write(`${r.label}: ${await capture(r)}\n`);
  };
  main().catch((e) => {
    process.stderr.write(`${name}: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
