/**
 * Test side of the SSH lab (lab/sshd.ts): whether sshd exists (the suites skip, saying so, only
 * when it cannot be found at all), and one ssh_config for this worker that Includes every lab's,
 * so in-process tests (one process-wide ssh setting) can reach the labs of all releases at once,
 * each through its own alias.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { killPid } from "../../../lab/process.js";
import { findSshd, type SshdLab } from "../../../lab/sshd.js";

export const SSHD = findSshd();
export const NO_SSHD =
  "sshd (OpenSSH server) not found in PATH nor /usr/sbin: the SSH transport tests are skipped " +
  "(Debian: apt-get install openssh-server; .ci/run installs it)";

/**
 * A suite that needs sshd: `suite(title, body)` (describeOnce, describeEachRelease) when sshd is
 * there, else one skipped test that says why (and a warning on the console).
 */
export function whenSshd<R>(
  suite: (title: string, body: (release: R) => void) => void,
  title: string,
  body: (release: R) => void,
): void {
  if (SSHD) {
    suite(title, body);
    return;
  }
  console.warn(NO_SSHD);
  describe(title, () => it.skip(NO_SSHD, () => {}));
}

let shared: { dir: string; file: string } | null = null;

/** The worker's ssh_config: an `Include` of each lab's config, added as labs start. */
export function sharedSshConfig(): string {
  if (!shared) {
    const dir = mkdtempSync(join(tmpdir(), "haptop-sshcfg-"));
    shared = { dir, file: join(dir, "ssh_config") };
    writeFileSync(shared.file, "");
  }
  return shared.file;
}

/** Removes the worker's ssh_config (the file's afterAll, once every suite is done). */
export function removeSharedSshConfig(): void {
  if (shared) rmSync(shared.dir, { recursive: true, force: true });
  shared = null;
}

export function includeLab(lab: SshdLab): void {
  appendFileSync(sharedSshConfig(), `Include ${lab.sshConfig}\n`);
}

/** Processes whose command line mentions `needle` (any program: an ssh master names its runtime dir). */
export function processesMentioning(needle: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Last resort after a suite: ssh masters still running under a runtime dir the suite gave haptop
 * (a haptop killed -9 by a failing test cannot stop its own), killed by pid.
 */
export function killMastersUnder(dir: string): void {
  for (const pid of processesMentioning(dir)) killPid(pid);
}
