/**
 * vitest globalSetup: resolves the HAProxy version matrix once, before any test file, prints it (so
 * every run says which releases it covered), and hands the resolved binaries to the workers through
 * HAPTOP_TEST_HAPROXY, so they do not each run `../shared/haproxy/versions` again.
 */
import { candidateBinaries, testReleases } from "./releases.js";

export default function setup(): void {
  const releases = testReleases();
  if (releases.length === 0) {
    const tried = candidateBinaries();
    console.log(
      `HAProxy releases under test: none (tried: ${tried.join(", ") || "no haproxy on PATH nor in /usr/sbin"}); ` +
        "the integration and end-to-end tests will fail. Install Debian's haproxy or set HAPTOP_TEST_HAPROXY.",
    );
    return;
  }
  console.log(`HAProxy releases under test: ${releases.map((r) => `${r.version} (${r.bin})`).join(", ")}`);
  const used = new Set(releases.map((r) => r.bin));
  const left = candidateBinaries().filter((b) => !used.has(b));
  // A binary that does not run, or a second binary of a release already in the matrix.
  if (left.length > 0)
    console.log(`HAProxy binaries left out (not runnable, or a duplicate release): ${left.join(", ")}`);
  process.env.HAPTOP_TEST_HAPROXY = releases.map((r) => r.bin).join(":");
}
