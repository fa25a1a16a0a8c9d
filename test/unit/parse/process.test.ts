/**
 * The process view's parsers (`show activity`, `show pools`, `show info` in groups, the master's
 * `show proc` while an old worker drains) on the replies captured from every HAProxy release by
 * scripts/capture-process-fixtures.ts.
 */
import { describe, expect, it } from "vitest";
import { ReplyError } from "../../../src/client/errors.js";
import { checkReply } from "../../../src/client/socket.js";
import { NO_SUCH_WORKER } from "../../../src/client/workerRoute.js";
import { activityCounter, parseActivity } from "../../../src/parse/activity.js";
import { parseInfo } from "../../../src/parse/info.js";
import { groupInfo, INFO_GROUPS, infoGroupOf } from "../../../src/parse/infoGroups.js";
import { biggestPools, parsePools } from "../../../src/parse/pools.js";
import { parseShowProc } from "../../../src/parse/proc.js";
import { atLeast, FIXTURE_RELEASES, readFixture } from "../../helpers/fixtureReleases.js";

const releases = FIXTURE_RELEASES;

it("has process fixtures for every release of the matrix", () => {
  expect(releases.map((r) => r.version)).toEqual(
    expect.arrayContaining(["2.6.12", "2.8.0", "3.0.0", "3.2.0"]),
  );
});

describe.each(releases)("process replies of HAProxy $version", (release) => {
  const read = (file: string) => readFixture(release, file);

  it("show activity: one counter per line, the total and one value per thread", () => {
    const a = parseActivity(read("show-activity.txt"));
    expect([1, 2]).toContain(a.threadId);
    expect(a.threads).toBe(2);
    expect(a.facts.date_now).toMatch(/^\d+\.\d+$/);
    for (const name of [
      "ctxsw",
      "tasksw",
      "loops",
      "wake_tasks",
      "wake_signal",
      "poll_io",
      "cpust_ms_tot",
      "avg_loop_us",
    ]) {
      const c = activityCounter(a, name);
      expect(c, name).not.toBeNull();
      expect(c!.perThread, name).toHaveLength(2);
      expect(c!.total, name).toEqual(expect.any(Number));
    }
    // Sums are sums (avg_* are averages: not checked).
    const loops = activityCounter(a, "loops")!;
    expect(loops.perThread[0]! + loops.perThread[1]!).toBe(loops.total);
    // Release differences: 2.8 adds uptime_now and avg_cpu_pct, 3.0 curr_rq and the check counters.
    expect("uptime_now" in a.facts).toBe(atLeast(release, 2, 8));
    expect(activityCounter(a, "avg_cpu_pct") !== null).toBe(atLeast(release, 2, 8));
    expect(activityCounter(a, "curr_rq") !== null).toBe(atLeast(release, 3, 0));
    expect(a.counters.map((c) => c.name)).not.toContain("date_now");
  });

  it("show activity at user level: answered on 2.6, refused from 2.8 on", () => {
    const reply = read("user-show-activity.txt");
    if (atLeast(release, 2, 8)) {
      expect(() => checkReply("show activity", reply)).toThrow(/Permission denied/);
    } else {
      expect(parseActivity(checkReply("show activity", reply)).counters.length).toBeGreaterThan(10);
    }
  });

  it("show pools: every pool line, and the Total line whose sums they make", () => {
    const p = parsePools(read("show-pools.txt"));
    expect(p.totals).not.toBeNull();
    expect(p.pools.length).toBe(p.totals!.pools);
    expect(p.pools.reduce((n, x) => n + x.allocatedBytes, 0)).toBe(p.totals!.allocatedBytes);
    expect(p.totals!.cachedBytes).toEqual(expect.any(Number));
    const buffer = p.pools.find((x) => x.name === "buffer");
    expect(buffer).toMatchObject({ itemSize: 16384, shared: true, failures: 0 });
    expect(buffer!.allocatedBytes).toBe(buffer!.allocated * 16384);
    const top = biggestPools(p, 3);
    expect(top).toHaveLength(3);
    expect(top[0]!.allocatedBytes).toBeGreaterThanOrEqual(top[1]!.allocatedBytes);
    // The user level can read the pools on every release.
    expect(parsePools(read("user-show-pools.txt")).totals).not.toBeNull();
  });

  it("show info: every field in exactly one group, known fields in theirs", () => {
    const info = parseInfo(read("show-info.txt"));
    const groups = groupInfo(info);
    const seen = groups.flatMap((g) => g.fields.map(([k]) => k));
    expect(seen.sort()).toEqual(Object.keys(info).sort());
    expect(groups.map((g) => g.id)).toEqual(
      INFO_GROUPS.map((g) => g.id).filter((id) => groups.some((g) => g.id === id)),
    );
    const ids = (id: string) => groups.find((g) => g.id === id)?.fields.map(([k]) => k) ?? [];
    expect(ids("connections")).toEqual(expect.arrayContaining(["CurrConns", "Maxconn", "CumReq"]));
    expect(ids("ssl")).toEqual(expect.arrayContaining(["CurrSslConns", "SslFrontendKeyRate"]));
    expect(ids("compression")).toEqual(expect.arrayContaining(["CompressBpsIn", "CompressBpsOut"]));
    expect(ids("memory")).toEqual(expect.arrayContaining(["PoolAlloc_MB", "PoolUsed_MB"]));
    expect(ids("tasks")).toEqual(expect.arrayContaining(["Tasks", "Run_queue", "Idle_pct", "Nbthread"]));
    expect(ids("rates")).toEqual(expect.arrayContaining(["ConnRate", "SessRate"]));
    // Nothing of these releases is left unclassified.
    expect(
      ids("other").filter(
        (k) => !["DroppedLogs", "FailedResolutions", "CumRecvLogs", "BlockedTrafficWarnings"].includes(k),
      ),
    ).toEqual([]);
  });

  it("master CLI: show proc while an old worker drains, that worker through @!<pid>, then gone", () => {
    const proc = parseShowProc(read("master-show-proc-draining.txt"));
    expect(proc.master?.type).toBe("master");
    expect(proc.workers).toHaveLength(1);
    expect(proc.oldWorkers).toHaveLength(1);
    const old = proc.oldWorkers[0]!;
    expect(old.reloads).toBe(1);
    const through = read("master-at-old-worker-show-info.txt");
    const info = parseInfo(through);
    expect(info.Pid).toBe(old.pid);
    expect(info.Stopping).toBe(1);
    // The second command of the line (its own @!<pid> prefix) reached the same worker.
    expect(through.slice(through.indexOf("\n\n") + 2)).toMatch(/^thread_id: /);
    expect(read("master-at-gone-worker.txt")).toBe(`${NO_SUCH_WORKER} '@!${old.pid}'\n`);
  });
});

describe("parsers on odd replies", () => {
  it("show activity of one thread: the value alone, read as total and thread 1", () => {
    const a = parseActivity("thread_id: 1 (1..1)\ndate_now: 1.5\nloops: 11\nwake_tasks: 0\n");
    expect(a.threads).toBe(1);
    expect(activityCounter(a, "loops")).toEqual({ name: "loops", total: 11, perThread: [11] });
  });

  it("show activity with a missing total or a garbled value keeps what it can read", () => {
    const a = parseActivity("loops: [ 1 2 ]\nctxsw: 3 [ 1 x 2 ]\n__proto__: 1 [ 1 ]\nnot a line\n");
    expect(activityCounter(a, "loops")).toEqual({ name: "loops", total: null, perThread: [1, 2] });
    expect(activityCounter(a, "ctxsw")!.perThread).toEqual([1, 2]);
    expect(a.counters).toHaveLength(2);
  });

  it("show activity or show pools without data is an error, not an empty report", () => {
    expect(() => parseActivity("Permission denied\n")).toThrow(ReplyError);
    expect(() => parsePools("Unknown command\n")).toThrow(ReplyError);
  });

  it("show pools without the Total line (cut short) keeps the pools", () => {
    const p = parsePools(
      "Dumping pools usage. Use SIGQUIT to flush them.\n  - Pool trash (16416 bytes) : 2 allocated (32832 bytes), 2 used (~1 by thread caches), needed_avg 0, 3 failures, 1 users, @0x1\n",
    );
    expect(p.totals).toBeNull();
    expect(p.pools).toEqual([
      expect.objectContaining({
        name: "trash",
        allocated: 2,
        allocatedBytes: 32832,
        failures: 3,
        shared: false,
      }),
    ]);
  });

  it("a show info field no release printed goes to other", () => {
    expect(infoGroupOf("SomethingNew")).toBe("other");
    expect(infoGroupOf("__proto__")).toBe("other");
    expect(infoGroupOf("TotalSplicdedBytesOut")).toBe("rates");
  });
});
