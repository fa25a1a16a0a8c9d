import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseShowProc } from "../../../src/parse/proc.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

const VERSION = "2.6.12-1+deb12u4";

describe("parseShowProc on HAProxy 2.6", () => {
  it("reads the master and its worker", () => {
    const report = parseShowProc(fixture("haproxy-2.6/master-show-proc.txt"));
    expect(report.master).toEqual({
      pid: 2752,
      type: "master",
      reloads: 0,
      failed: 0,
      uptime: "0d00h00m02s",
      version: VERSION,
      uptimeSec: 2,
      relativePid: null,
    });
    expect(report.workers).toEqual([
      {
        pid: 2753,
        type: "worker",
        reloads: 0,
        failed: null,
        uptime: "0d00h00m02s",
        version: VERSION,
        uptimeSec: 2,
        relativePid: null,
      },
    ]);
    expect(report.oldWorkers).toEqual([]);
    expect(report.programs).toEqual([]);
  });

  it("sees the reload counter and the new worker after a reload", () => {
    const report = parseShowProc(fixture("haproxy-2.6/master-show-proc-after-reload.txt"));
    expect(report.master?.reloads).toBe(1);
    expect(report.master?.pid).toBe(2752);
    expect(report.workers.map((w) => w.pid)).toEqual([2764]);
    expect(report.workers[0]!.uptimeSec).toBe(1);
    expect(report.oldWorkers).toEqual([]);
  });

  it("separates old workers from current ones", () => {
    const report = parseShowProc(fixture("haproxy-2.6/master-show-proc-old-workers.txt"));
    expect(report.master).toMatchObject({ pid: 2752, reloads: 2, failed: 0, uptime: "0d00h00m06s" });
    expect(report.workers.map((w) => [w.pid, w.reloads])).toEqual([[2796, 0]]);
    expect(report.oldWorkers.map((w) => [w.pid, w.reloads, w.uptime])).toEqual([[2764, 1, "0d00h00m04s"]]);
    expect(report.oldWorkers[0]!.type).toBe("worker");
    expect(report.programs).toEqual([]);
  });
});

describe("parseShowProc on other layouts", () => {
  it("reads the manual's example with programs and a failed counter", () => {
    const text = [
      "#<PID>          <type>          <reloads>       <uptime>        <version>",
      "1162            master          5 [failed: 1]   0d00h02m07s     2.5-dev13",
      "# workers",
      "1271            worker          1               0d00h00m00s     2.5-dev13",
      "# old workers",
      "1233            worker          3               0d00h00m43s     2.0-dev3-6019f6-289",
      "# programs",
      "1244            foo             0               0d00h00m00s     -",
      "1255            bar             0               0d00h00m00s     -",
      "",
    ].join("\n");
    const report = parseShowProc(text);
    expect(report.master).toMatchObject({ pid: 1162, reloads: 5, failed: 1, version: "2.5-dev13" });
    expect(report.workers.map((w) => w.pid)).toEqual([1271]);
    expect(report.oldWorkers[0]).toMatchObject({ pid: 1233, reloads: 3, version: "2.0-dev3-6019f6-289" });
    expect(report.oldWorkers[0]!.uptimeSec).toBe(43);
    expect(report.programs.map((p) => [p.pid, p.type, p.version])).toEqual([
      [1244, "foo", "-"],
      [1255, "bar", "-"],
    ]);
    expect(report.master!.uptimeSec).toBe(127);
  });

  it("reads the 2.0 layout with a <relative PID> column and no version", () => {
    const report = parseShowProc(fixture("old-versions/haproxy-2.0-master-show-proc.txt"));
    expect(report.master).toEqual({
      pid: 1162,
      type: "master",
      reloads: 5,
      failed: null,
      uptime: "0d00h02m07s",
      version: "",
      uptimeSec: 127,
      relativePid: 0,
    });
    expect(report.workers.map((w) => [w.pid, w.relativePid, w.reloads])).toEqual([
      [1271, 1, 1],
      [1272, 2, 1],
    ]);
    expect(report.oldWorkers).toEqual([
      {
        pid: 1233,
        type: "worker",
        reloads: 3,
        failed: null,
        uptime: "0d00h00m43s",
        version: "",
        uptimeSec: 43,
        relativePid: 1,
      },
    ]);
    expect(report.programs.map((p) => [p.pid, p.type, p.relativePid, p.reloads])).toEqual([
      [1244, "foo", null, 0],
      [1255, "bar", null, 0],
    ]);
  });

  it("returns an empty report on garbage, errors or an empty reply", () => {
    const empty = { master: null, workers: [], oldWorkers: [], programs: [] };
    expect(parseShowProc("")).toEqual(empty);
    expect(parseShowProc("Unknown command.\n\n")).toEqual(empty);
    expect(parseShowProc("# workers\nabc worker 0 0s x\n\n")).toEqual(empty);
  });

  it("accepts CRLF and a missing header line", () => {
    const report = parseShowProc(
      "10 master 0 [failed: 0] 0d00h00m01s 3.0.0\r\n# workers\r\n11 worker 0 0d00h00m01s 3.0.0\r\n",
    );
    expect(report.master?.pid).toBe(10);
    expect(report.master?.version).toBe("3.0.0");
    expect(report.workers[0]?.pid).toBe(11);
  });
});
