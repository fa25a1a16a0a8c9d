/**
 * Suites over the HAProxy version matrix (releases.ts). Each release gets its own suite and its own
 * lab (unique dir and ports), and the releases run at the same time inside one test file, since most
 * of a suite's time is spent waiting on HAProxy (health checks, timeouts) rather than on the CPU.
 * Inside one release the tests run in order, as written: they share that release's lab.
 */
import { describe } from "vitest";
import { defaultRelease, type Release, testReleases } from "./releases.js";

/**
 * `describe(name)` once per release, inside a suite named after it ("haproxy 3.2.0 > <name> > …"),
 * the releases concurrently.
 * `body` registers the hooks (its own lab) and the tests of one release.
 */
export function describeEachRelease(name: string, body: (release: Release) => void): void {
  // No release at all: fail the file, saying what to install (defaultRelease throws), rather than
  // leave it with no test.
  if (testReleases().length === 0) defaultRelease();
  describe.concurrent.each(testReleases())("$label", (release) => {
    describe.sequential(name, () => body(release));
  });
}

/**
 * `describe(name)` for what needs showing once rather than per release (usage errors, terminal
 * handling): it runs on the packaged release, alongside the matrix suites of the same file.
 */
export function describeOnce(name: string, body: (release: Release) => void): void {
  const release = defaultRelease();
  describe.concurrent(`${release.label} only`, () => {
    describe.sequential(name, () => body(release));
  });
}

/** True for the release `describeOnce` uses: to add one-release tests inside a matrix suite. */
export function isDefaultRelease(release: Release): boolean {
  return release.bin === defaultRelease().bin;
}
