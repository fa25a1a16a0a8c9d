/**
 * The releases whose replies scripts/capture-*.ts saved under test/fixtures/haproxy-<x.y.z>/, for
 * the parser tests that run on every release's captures.
 */
import { readdirSync, readFileSync } from "node:fs";

export const FIXTURES_ROOT = new URL("../fixtures/", import.meta.url);

export interface FixtureRelease {
  /** `haproxy-3.2.0` */
  dir: string;
  version: string;
  major: number;
  minor: number;
}

export const FIXTURE_RELEASES: FixtureRelease[] = readdirSync(FIXTURES_ROOT)
  .map((d) => /^haproxy-(\d+)\.(\d+)\.(\d+)$/.exec(d))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({
    dir: m[0],
    version: m[0].slice("haproxy-".length),
    major: Number(m[1]),
    minor: Number(m[2]),
  }));

/** The release is `major.minor` or newer. */
export const atLeast = (r: { major: number; minor: number }, major: number, minor: number) =>
  r.major > major || (r.major === major && r.minor >= minor);

/** The releases that have this capture. */
export const releasesWith = (file: string) =>
  FIXTURE_RELEASES.filter((r) => readdirSync(new URL(`${r.dir}/`, FIXTURES_ROOT)).includes(file));

/** A capture of the release, read as bytes (latin1: control bytes and invalid UTF-8 kept). */
export const readFixture = (r: FixtureRelease, file: string) =>
  readFileSync(new URL(`${r.dir}/${file}`, FIXTURES_ROOT), "latin1");
