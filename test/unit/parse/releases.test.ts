/**
 * Every parser on the replies captured from every HAProxy release (issue 8, point 3): the fixture
 * directories test/fixtures/haproxy-<x.y.z>/ written by scripts/capture-fixtures.ts from a real
 * HAProxy of each release (traffic, a DOWN server, servers in MAINT and DRAIN, a check reason that
 * needs CSV quoting, a live session, a captured error).
 */
import { describe, expect, it } from "vitest";
import { buildSnapshot, type ServerEntry } from "../../../src/model/snapshot.js";
import { parseErrors, parseErrorsSliced } from "../../../src/parse/errors.js";
import { parseInfo } from "../../../src/parse/info.js";
import { parseCliLevel } from "../../../src/parse/level.js";
import { parseReleaseVersion } from "../../../src/parse/proc.js";
import { parseServersState } from "../../../src/parse/servers-state.js";
import { parseSess, parseSessSliced } from "../../../src/parse/sess.js";
import { parseStatReply, parseStatReplySliced, STAT_TYPE, type StatRow } from "../../../src/parse/stat.js";
import { atLeast, FIXTURE_RELEASES, readFixture } from "../../helpers/fixtureReleases.js";

const releases = FIXTURE_RELEASES;

it("finds the captured releases", () => {
  expect(releases.map((r) => r.version)).toEqual(
    expect.arrayContaining(["2.6.12", "2.8.0", "3.0.0", "3.2.0"]),
  );
});

describe.each(releases)("replies of HAProxy $version", (release) => {
  const read = (file: string) => readFixture(release, file);
  const statText = read("show-stat.txt");
  const stat = parseStatReply(statText);
  const info = parseInfo(read("show-info.txt"));
  const find = (px: string, sv: string): StatRow => {
    const row = stat.rows.find((r) => r.pxname === px && r.svname === sv);
    if (!row) throw new Error(`no row ${px}/${sv}`);
    return row;
  };

  it("show info: every field by name, numbers as numbers", () => {
    expect(info.Name).toBe("HAProxy");
    expect(String(info.Version)).toMatch(new RegExp(`^${release.version.replace(/\./g, "\\.")}`));
    expect(parseReleaseVersion(String(info.Version))).toMatchObject({
      major: release.major,
      minor: release.minor,
    });
    expect(info.Pid).toEqual(expect.any(Number));
    expect(info.CurrConns).toEqual(expect.any(Number));
    expect(typeof info.Uptime).toBe("string");
  });

  it("show info: fields of newer releases are numbers where printed, absent (never 0) elsewhere", () => {
    const raw = read("show-info.txt");
    for (const key of ["TotalWarnings", "MaxconnReached", "BootTime_ms", "CurrStreams", "CumStreams"]) {
      if (raw.includes(`\n${key}:`)) expect(info[key], key).toEqual(expect.any(Number));
      else expect(info[key], key).toBeUndefined();
    }
    if (atLeast(release, 2, 8)) {
      expect(info.TotalWarnings).toEqual(expect.any(Number));
      expect(info.MaxconnReached).toEqual(expect.any(Number));
      expect(info.BootTime_ms).toEqual(expect.any(Number));
    } else {
      expect(info).not.toHaveProperty("BootTime_ms");
    }
    if (atLeast(release, 3, 2)) expect(info.CurrStreams).toEqual(expect.any(Number));
  });

  it("show version", () => {
    const v = parseReleaseVersion(read("show-version.txt"));
    expect(v).toMatchObject({ major: release.major, minor: release.minor });
  });

  it("show stat: every row read, none skipped, every column by HAProxy's name", () => {
    const header = statText.split("\n", 1)[0]!.replace(/^# /, "").split(",");
    expect(stat.header).toEqual(header);
    const lines = statText.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(stat.rows).toHaveLength(lines.length);
    expect(stat.skipped).toBe(0);
    const names = header.filter((n) => n !== "" && n !== "-");
    for (const row of stat.rows) expect(Object.keys(row)).toEqual(names);
  });

  it("show stat: module counters after '-' keep their names (ssl, h1, h2)", () => {
    const fe = find("fe_main", "FRONTEND");
    expect(stat.header.indexOf("-")).toBeLessThan(stat.header.indexOf("ssl_sess"));
    expect(fe.ssl_sess).toBe(0);
    expect(fe.h1_total_connections).toEqual(expect.any(Number));
    expect(fe.h1_total_connections as number).toBeGreaterThan(0);
    expect(fe.h1_bytes_in as number).toBeGreaterThan(0);
    expect(fe).toHaveProperty("h2_headers_rcvd");
  });

  it("show stat: a quoted check reason with a comma and quotes", () => {
    const odd = find("be_chk", "odd");
    expect(odd.last_chk).toBe('Down, "really"');
    expect(odd.check_status).toBe("L7STS");
    expect(odd.check_code).toBe(503);
    expect(odd.check_desc).toBe("Layer7 wrong status");
    expect(odd.mode).toBe("http"); // the quoted comma did not shift the next columns
  });

  it("show stat: servers' statuses, backends' aggregated statuses", () => {
    expect(find("be_app", "app1").status).toBe("UP");
    expect(find("be_app", "app_down").status).toBe("DOWN");
    expect(find("be_admin", "s_maint").status).toBe("MAINT");
    expect(find("be_admin", "s_drain").status).toBe("DRAIN");
    const be = find("be_app", "BACKEND");
    expect(be.type).toBe(STAT_TYPE.backend);
    expect(be.agg_server_status).toEqual(expect.any(Number));
    expect(be.agg_check_status).toEqual(expect.any(Number));
    // Columns that appeared in 2.8: present from 2.8 on, absent before (never 0).
    if (atLeast(release, 2, 8)) expect(be.srid === null || typeof be.srid === "number").toBe(true);
    else expect(be).not.toHaveProperty("srid");
    if (atLeast(release, 3, 0)) expect(find("fe_main", "FRONTEND").proto).toBeNull();
  });

  it("show servers state: admin and operational states apart", () => {
    const ss = parseServersState(read("show-servers-state.txt"));
    expect(ss.version).toBe(1);
    expect(ss.skipped).toBe(0);
    expect(ss.header).toContain("srv_admin_state");
    expect(ss.rows.find((r) => r.srv_name === "s_maint")).toMatchObject({
      be_name: "be_admin",
      srv_op_state: 0,
      srv_admin_state: 1,
    });
    expect(ss.rows.find((r) => r.srv_name === "s_drain")).toMatchObject({
      srv_op_state: 2,
      srv_admin_state: 8,
    });
  });

  it("snapshot: each server's admin state (MAINT/DRAIN) apart from its health (UP/DOWN)", () => {
    const ss = parseServersState(read("show-servers-state.txt"));
    const servers = (s: ReturnType<typeof buildSnapshot>) =>
      new Map<string, ServerEntry>(s.backends.flatMap((b) => b.servers.map((v) => [v.key, v])));
    const exact = servers(buildSnapshot(info, stat.rows, 0, "admin", { serversState: ss.rows }));
    const states = (m: Map<string, ServerEntry>, key: string) => {
      const s = m.get(key)!;
      return [s.admin, s.op];
    };
    expect(states(exact, "sv/be_admin/s_maint")).toEqual(["MAINT", "DOWN"]);
    expect(states(exact, "sv/be_admin/s_drain")).toEqual(["DRAIN", "UP"]);
    expect(states(exact, "sv/be_admin/s_ready")).toEqual(["READY", "UP"]);
    expect(states(exact, "sv/be_app/app_down")).toEqual(["READY", "DOWN"]);
    expect(exact.get("sv/be_admin/s_drain")!.serverState?.srv_admin_state).toBe(8);
    // From show stat alone, what its status hides stays unknown (null), never guessed.
    const fromStatus = servers(buildSnapshot(info, stat.rows, 0, "admin"));
    expect(states(fromStatus, "sv/be_admin/s_maint")).toEqual(["MAINT", null]);
    expect(states(fromStatus, "sv/be_admin/s_drain")).toEqual(["DRAIN", "UP"]);
    expect(states(fromStatus, "sv/be_app/app_down")).toEqual([null, "DOWN"]);
  });

  it("show sess: the live TCP session and the CLI's own", () => {
    const sessions = parseSess(read("show-sess.txt"));
    const tcp = sessions.find((s) => s.fe === "fe_tcp");
    expect(tcp).toMatchObject({ proto: "tcpv4", be: "be_tcp", srv: "tcp1", isCli: false });
    expect(tcp!.id).toMatch(/^0x[0-9a-f]+$/);
    expect(tcp!.ageSec).toEqual(expect.any(Number));
    expect(sessions.some((s) => s.isCli)).toBe(true);
  });

  it("show errors: the captured invalid request", () => {
    const report = parseErrors(read("show-errors.txt"));
    expect(report.total).toBe(1);
    expect(report.events).toHaveLength(1);
    expect(report.events[0]).toMatchObject({
      proxy: "fe_main",
      proxyKind: "frontend",
      reason: "invalid request",
      backend: null,
      eventNo: 0,
      position: 35,
    });
    expect(report.events[0]!.capture).toContain("X-Bad\\x01Name: 1");
    expect(report.unknown).toEqual([]);
  });

  it("show cli level, and the refusals of a user-level socket", () => {
    expect(parseCliLevel(read("show-cli-level.txt"))).toBe("admin");
    expect(parseCliLevel(read("user-show-cli-level.txt"))).toBe("user");
    expect(read("user-show-sess.txt").trim()).toBe("Permission denied");
  });

  it("the sliced parsers (what the poll runs) give the same results, and sessions are capped", async () => {
    expect(await parseStatReplySliced(statText)).toEqual(stat);
    expect(await parseSessSliced(read("show-sess.txt"))).toEqual(parseSess(read("show-sess.txt")));
    expect(await parseErrorsSliced(read("show-errors.txt"))).toEqual(parseErrors(read("show-errors.txt")));
    expect(parseSess(read("show-sess.txt"), 1)).toHaveLength(1);
  });
});
