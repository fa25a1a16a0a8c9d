/**
 * The HAProxy releases the integration and end-to-end suites run against (the version matrix).
 *
 * - `HAPTOP_TEST_HAPROXY`: binaries separated by `:` or `,` (e.g. set by `.ci/run`); wins when set.
 * - Otherwise: the packaged `haproxy` (PATH, then /usr/sbin) plus every binary that
 *   `../shared/haproxy/versions` prints, when that script exists beside the project.
 * Each binary is asked its version once per worker process; one that does not run is left out.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findHaproxy } from "./haproxy.js";

export interface Release {
  /** Absolute path of the binary. */
  bin: string;
  /** e.g. "2.6.12" or "3.2.0". */
  version: string;
  /** [major, minor] for feature checks: `atLeast(r, 2, 7)`. */
  major: number;
  minor: number;
  /** Short label for test names: "haproxy 3.2.0". */
  label: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Version line of a binary (`HAProxy version 2.6.12-1+deb12u4 …`) → "2.6.12", or null if it does not run. */
export function binaryVersion(bin: string): string | null {
  try {
    const out = execFileSync(bin, ["-v"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 10_000,
    });
    const m = /version (\d+\.\d+(?:\.\d+)?)/i.exec(out);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

function sharedVersions(): string[] {
  const script = join(root, "..", "shared", "haproxy", "versions");
  if (!existsSync(script)) return [];
  try {
    return execFileSync(script, [], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 })
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** The binaries the matrix would use, before checking that they run. */
export function candidateBinaries(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = env.HAPTOP_TEST_HAPROXY?.trim();
  if (listed)
    return listed
      .split(/[,:]/)
      .map((s) => s.trim())
      .filter(Boolean);
  const packaged = findHaproxy(env);
  return [...(packaged ? [packaged] : []), ...sharedVersions()];
}

let cached: Release[] | null = null;

/** Every release of the matrix, oldest first, duplicates (same version) removed. */
export function testReleases(): Release[] {
  if (cached) return cached;
  const seen = new Set<string>();
  const out: Release[] = [];
  for (const bin of candidateBinaries()) {
    const version = binaryVersion(bin);
    if (!version || seen.has(version)) continue;
    seen.add(version);
    const [major, minor] = version.split(".").map(Number) as [number, number];
    out.push({ bin, version, major, minor, label: `haproxy ${version}` });
  }
  out.sort((a, b) => a.major - b.major || a.minor - b.minor);
  cached = out;
  return out;
}

/** True when the release is at least major.minor. */
export function atLeast(r: Release, major: number, minor: number): boolean {
  return r.major > major || (r.major === major && r.minor >= minor);
}

/** The packaged (oldest) release: for tests that need only one HAProxy. */
export function defaultRelease(): Release {
  const r = testReleases()[0];
  if (!r) throw new Error("no haproxy binary found (install Debian's haproxy, or set HAPTOP_TEST_HAPROXY)");
  return r;
}
