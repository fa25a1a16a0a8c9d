/**
 * The master CLI's replies captured from every release (test/integration/reload/capture-master.test.ts):
 * `reload` (success, broken config, unbindable address), `show proc` before/after, in prompt mode after
 * a failed reload, and `show startup-logs`. Also the release detection from `show info`/`show version`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePromptReply } from "../../../../src/actions/mcli.js";
import { parseInfo } from "../../../../src/parse/info.js";
import {
  hasSyncMasterReload,
  parseMasterReload,
  parseReleaseVersion,
  parseShowProc,
} from "../../../../src/parse/proc.js";

const FIXTURES = new URL("../../../fixtures/", import.meta.url);
const read = (dir: string, name: string) => readFileSync(new URL(`${dir}/${name}`, FIXTURES), "utf8");
const releases = readdirSync(FIXTURES)
  .filter((d) => /^haproxy-\d+\.\d+\.\d+$/.test(d))
  .filter((d) => readdirSync(new URL(d, FIXTURES)).includes("master-reload-success.txt"));

it("has master CLI captures of 2.6, 2.8, 3.0 and 3.2", () => {
  expect(releases).toEqual(["haproxy-2.6.12", "haproxy-2.8.0", "haproxy-3.0.0", "haproxy-3.2.0"]);
});

describe.each(releases)("%s", (dir) => {
  const version = dir.slice("haproxy-".length);
  const v = parseReleaseVersion(version)!;
  const sync = hasSyncMasterReload(v);

  it("release from show info's Version, show version and show proc's master line", () => {
    const info = parseInfo(read(dir, "show-info.txt"));
    expect(parseReleaseVersion(String(info.Version))).toMatchObject({ major: v.major, minor: v.minor });
    expect(parseReleaseVersion(read(dir, "show-version.txt"))).toMatchObject({
      major: v.major,
      minor: v.minor,
    });
    const master = parseShowProc(read(dir, "master-show-proc.txt")).master!;
    expect(parseReleaseVersion(master.version)).toMatchObject({ major: v.major, minor: v.minor });
    expect(sync).toBe(v.major > 2 || v.minor >= 7);
  });

  it("show proc: one master, one worker; after a reload a new worker and one more reload", () => {
    const before = parseShowProc(read(dir, "master-show-proc.txt"));
    const after = parseShowProc(read(dir, "master-show-proc-after-reload.txt"));
    expect(before.master).toMatchObject({ type: "master", reloads: 0, failed: 0 });
    expect(before.workers).toHaveLength(1);
    expect(after.master!.pid).toBe(before.master!.pid);
    expect(after.master!.reloads).toBe(1);
    expect(after.workers).toHaveLength(1);
    expect(after.workers[0]!.pid).not.toBe(before.workers[0]!.pid);
  });

  it("prompt mode after a failed reload: master[ReloadFailed]>, the serving worker still listed", () => {
    const r = parsePromptReply(read(dir, "master-show-proc-reload-failed.txt"));
    expect(r.prompt).toBe("master[ReloadFailed]>");
    expect(r.reloadFailed).toBe(true);
    const proc = parseShowProc(r.output);
    expect(proc.master).toMatchObject({ reloads: 2, failed: 1 });
    const serving = parseShowProc(read(dir, "master-show-proc-after-reload.txt")).workers[0]!.pid;
    // 3.2 lists it under "# old workers" once a reload failed; earlier releases under "# workers".
    expect([...proc.workers, ...proc.oldWorkers].map((w) => w.pid)).toEqual([serving]);
  });

  it("reload, success: Success=1 (2.7+) naming the new worker; nothing on 2.6", () => {
    const r = parseMasterReload(read(dir, "master-reload-success.txt"));
    const after = parseShowProc(read(dir, "master-show-proc-after-reload.txt"));
    if (!sync) {
      expect(r).toEqual({ status: "none", logs: [], alerts: [], newWorkerPid: null });
      return;
    }
    expect(r.status).toBe("success");
    expect(r.alerts).toEqual([]);
    expect(r.newWorkerPid).toBe(after.workers[0]!.pid);
  });

  it("reload, broken config: Success=0 with every [ALERT] line, file and line number (2.7+)", () => {
    const r = parseMasterReload(read(dir, "master-reload-failure.txt"));
    if (!sync) {
      expect(r.status).toBe("none");
      return;
    }
    expect(r.status).toBe("failure");
    expect(r.alerts.length).toBe(3);
    expect(r.alerts[0]).toMatch(/^\[ALERT\] .*parsing \[\/\S+haproxy\.cfg:\d+\] : unknown keyword 'bindd'/);
    expect(r.alerts.at(-1)).toMatch(/Fatal errors found in configuration/);
    expect(r.logs.filter((l) => l.includes("[ALERT]"))).toEqual(r.alerts);
    expect(r.logs.some((l) => l.startsWith("--") || l.startsWith("Success="))).toBe(false);
  });

  it("show startup-logs: the failed reload's ALERT lines (2.7+); an unknown command on 2.6", () => {
    const text = read(dir, "master-show-startup-logs.txt");
    const r = parseMasterReload(text);
    expect(r.status).toBe("none");
    if (!sync) {
      expect(text).toMatch(/^Unknown command/);
      expect(r.alerts).toEqual([]);
      return;
    }
    expect(r.alerts).toEqual(parseMasterReload(read(dir, "master-reload-failure.txt")).alerts);
  });

  it("reload, unbindable address: Success=0 with the Binding ALERT; 2.8.0's master dies (empty reply)", () => {
    const r = parseMasterReload(read(dir, "master-reload-bind-failure.txt"));
    if (!sync || version === "2.8.0") {
      expect(r.status).toBe("none");
      expect(r.logs).toEqual([]);
      return;
    }
    expect(r.status).toBe("failure");
    expect(r.alerts[0]).toMatch(
      /Binding \[\/\S+haproxy\.cfg:\d+\] for frontend fe_unbindable: .*cannot bind UNIX socket/,
    );
  });
});

describe("parseMasterReload / parseReleaseVersion edge cases", () => {
  it("Success without `--`, CRLF, trailing blanks", () => {
    expect(parseMasterReload("Success=1\r\n\r\n")).toEqual({
      status: "success",
      logs: [],
      alerts: [],
      newWorkerPid: null,
    });
    expect(parseMasterReload("Success=0\n[ALERT]    (1) : x\n").alerts).toEqual(["[ALERT]    (1) : x"]);
  });
  it("a reply that is not a status is kept as logs, never as success", () => {
    expect(parseMasterReload("Permission denied\n")).toMatchObject({
      status: "none",
      logs: ["Permission denied"],
    });
    expect(parseMasterReload("Success=1x\n").status).toBe("none");
  });
  it("versions", () => {
    expect(parseReleaseVersion("2.7-dev7-4827fb-69")).toMatchObject({ major: 2, minor: 7 });
    expect(parseReleaseVersion("")).toBeNull();
    expect(hasSyncMasterReload(null)).toBe(false);
    expect(hasSyncMasterReload(parseReleaseVersion("2.6.12-1+deb12u4"))).toBe(false);
    expect(hasSyncMasterReload(parseReleaseVersion("10.0"))).toBe(true);
  });
});
