import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parseStat,
  parseStatHeader,
  parseStatReply,
  STAT_TYPE,
  StatParseError,
  type StatRow,
  statTypeOf,
} from "../../../src/parse/stat.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

const find = (rows: StatRow[], pxname: string, svname: string): StatRow => {
  const row = rows.find((r) => r.pxname === pxname && r.svname === svname);
  if (!row) throw new Error(`no row ${pxname}/${svname}`);
  return row;
};

describe("STAT_TYPE", () => {
  it("matches the manual's type column", () => {
    expect(STAT_TYPE).toEqual({ frontend: 0, backend: 1, server: 2, listener: 3 });
  });
});

describe("parseStatHeader", () => {
  it("strips the '# ' and keeps every slot", () => {
    expect(parseStatHeader("# pxname,svname,-,x,")).toEqual(["pxname", "svname", "-", "x", ""]);
  });
});

describe("parseStat on HAProxy 2.6 show stat", () => {
  const text = fixture("haproxy-2.6/show-stat.txt");
  const rows = parseStat(text);
  const headerNames = text.split("\n")[0]!.slice(2).split(",");

  it("returns one row per CSV line", () => {
    expect(rows).toHaveLength(9);
    expect(rows.map((r) => `${r.pxname}/${r.svname}`)).toEqual([
      "fe_main/FRONTEND",
      "fe_tcp/FRONTEND",
      "be_app/app1",
      "be_app/app_down",
      "be_app/BACKEND",
      "be_tcp/tcp1",
      "be_tcp/BACKEND",
      "be_static/FRONTEND",
      "be_static/BACKEND",
    ]);
  });

  it("drops the trailing empty column and the '-' separator, keeps all others", () => {
    expect(headerNames).toHaveLength(129);
    for (const row of rows) {
      expect(Object.keys(row)).toHaveLength(127);
      expect(Object.hasOwn(row, "-")).toBe(false);
      expect(Object.hasOwn(row, "")).toBe(false);
    }
    expect(Object.keys(rows[0]!)).toEqual(headerNames.filter((n) => n !== "" && n !== "-"));
  });

  it("maps the static fields by name", () => {
    const fe = find(rows, "fe_main", "FRONTEND");
    expect(fe).toMatchObject({
      scur: 1,
      smax: 2,
      slim: 500,
      stot: 7,
      bin: 448,
      bout: 456,
      ereq: 1,
      status: "OPEN",
      iid: 2,
      type: STAT_TYPE.frontend,
      rate_max: 6,
      hrsp_2xx: 6,
      hrsp_4xx: 1,
      req_tot: 7,
      mode: "http",
      conn_tot: 7,
    });
    expect(fe.qcur).toBeNull();
    expect(fe.algo).toBeNull();
  });

  it("maps the module counters that follow the '-' column by name", () => {
    const fe = find(rows, "fe_main", "FRONTEND");
    expect(fe.ssl_sess).toBe(0);
    expect(fe.h1_open_connections).toBe(1);
    expect(fe.h1_total_connections).toBe(7);
    expect(fe.h1_total_streams).toBe(7);
    expect(fe.h1_bytes_in).toBe(444);
    expect(fe.h1_bytes_out).toBe(621);
    expect(fe.h1_spliced_bytes_out).toBe(0);
    const be = find(rows, "be_app", "BACKEND");
    expect(be.h1_total_connections).toBe(20);
    expect(be.h1_bytes_in).toBe(1030);
    const srv = find(rows, "be_app", "app1");
    expect(srv.ssl_sess).toBe(0);
    expect(srv.h2_headers_rcvd).toBeNull();
  });

  it("reads servers: status, checks, address, weights", () => {
    const up = find(rows, "be_app", "app1");
    expect(up).toMatchObject({
      status: "UP",
      weight: 1,
      uweight: 1,
      act: 1,
      bck: 0,
      type: STAT_TYPE.server,
      check_status: "L7OK",
      check_code: 200,
      check_duration: 0,
      check_desc: "Layer7 check passed",
      check_rise: 2,
      check_fall: 3,
      check_health: 4,
      addr: "127.0.0.1:18090",
      mode: "http",
      lastsess: 1,
      sid: 1,
      lbtot: 6,
    });
    expect(up.cookie).toBeNull();
    const down = find(rows, "be_app", "app_down");
    expect(down).toMatchObject({
      status: "DOWN",
      check_status: "L4CON",
      check_desc: "Layer4 connection problem",
      last_chk: "Connection refused",
      lastsess: -1,
      chkfail: 1,
      chkdown: 1,
      downtime: 6,
      addr: "127.0.0.1:18099",
    });
    expect(down.check_code).toBeNull();
    expect(find(rows, "be_tcp", "tcp1").status).toBe("no check");
  });

  it("reads backends", () => {
    const be = find(rows, "be_app", "BACKEND");
    expect(be).toMatchObject({ type: STAT_TYPE.backend, algo: "roundrobin", slim: 50, act: 1, status: "UP" });
    expect(be.uweight).toBe(1);
    expect(be.agg_server_status).toBe(0);
    expect(be.agg_check_status).toBe(0);
    expect(find(rows, "be_static", "BACKEND").weight).toBe(0);
  });

  it("returns numbers only in numeric columns and nulls for empty cells", () => {
    for (const row of rows) {
      for (const [key, value] of Object.entries(row)) {
        expect(value === null || typeof value === "number" || typeof value === "string", key).toBe(true);
        expect(value).not.toBe("");
      }
      expect(typeof row.pxname).toBe("string");
      expect(typeof row.svname).toBe("string");
      expect(typeof row.type).toBe("number");
      expect(typeof row.stot).toBe("number");
    }
  });

  it("gives each row its type", () => {
    expect(rows.map(statTypeOf)).toEqual([0, 0, 2, 2, 1, 2, 1, 0, 1]);
    expect(statTypeOf({ type: null })).toBeNull();
    expect(statTypeOf({ type: 7 })).toBeNull();
    expect(statTypeOf({ type: "2" })).toBeNull();
  });
});

describe("parseStat on a captured reply with quoted values and a numeric server name", () => {
  const rows = parseStat(fixture("old-versions/haproxy-2.6-show-stat-quoted.txt"));

  it("keeps a server named '123' and a numeric cookie as strings", () => {
    const srv = find(rows, "be_chk", "123");
    expect(srv.svname).toBe("123");
    expect(srv.svname).not.toBe(123);
    expect(srv.cookie).toBe("c123");
    expect(srv.check_code).toBe(503);
  });

  it("unquotes a CSV field with a comma and doubled quotes", () => {
    const srv = find(rows, "be_chk", "123");
    expect(srv.last_chk).toBe('Down, "really"');
    expect(srv.check_status).toBe("L7STS");
    expect(srv.check_desc).toBe("Layer7 wrong status");
    // The quoted comma did not shift the following columns.
    expect(srv.addr).toBe("127.0.0.1:47814");
    expect(srv.mode).toBe("http");
    expect(srv.check_rise).toBe(2);
  });

  it("reads a server in maintenance", () => {
    expect(find(rows, "be_chk", "s2").status).toBe("MAINT");
    expect(find(rows, "be_chk", "BACKEND").status).toBe("DOWN");
  });
});

describe("parseStat textual columns", () => {
  const header =
    "# pxname,svname,status,weight,check_status,check_desc,last_chk,last_agt,agent_status,agent_desc,addr,cookie,mode,algo,tracked,type,\n";

  it("never converts textual columns to numbers", () => {
    const rows = parseStat(`${header}1,123,0,5,7,8,9,10,11,12,13,14,15,16,17,2,\n`);
    expect(rows[0]).toEqual({
      pxname: "1",
      svname: "123",
      status: "0",
      weight: 5,
      check_status: "7",
      check_desc: "8",
      last_chk: "9",
      last_agt: "10",
      agent_status: "11",
      agent_desc: "12",
      addr: "13",
      cookie: "14",
      mode: "15",
      algo: "16",
      tracked: "17",
      type: 2,
    });
  });

  it("still gives null for empty textual cells", () => {
    expect(parseStat(`${header}px,srv,,,,,,,,,,,,,,2,\n`)[0]!.cookie).toBeNull();
  });
});

describe("parseStat robustness", () => {
  it("throws StatParseError without a header line", () => {
    expect(() => parseStat("No such proxy.\n\n")).toThrow(StatParseError);
    expect(() => parseStat("No such proxy.\n\n")).toThrow(/no '# pxname,...' header.*No such proxy/);
    expect(() => parseStat("")).toThrow(StatParseError);
    expect(() => parseStat("fe,FRONTEND,1,2,\n")).toThrow(StatParseError);
  });

  it("the error is an Error with its own name", () => {
    try {
      parseStat("Permission denied\n");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe("StatParseError");
    }
  });

  it("returns no rows for a header alone", () => {
    expect(parseStat("# pxname,svname,scur,\n\n")).toEqual([]);
  });

  it("maps by name whatever the order of the columns", () => {
    const rows = parseStat("# svname,scur,pxname,\nBACKEND,4,be\n");
    expect(rows).toEqual([{ svname: "BACKEND", scur: 4, pxname: "be" }]);
  });

  it("skips and counts a row with too few or too many fields (HAProxy prints every field)", () => {
    const reply = parseStatReply(
      "# pxname,svname,scur,smax,\nfe,FRONTEND,1\nbe,BACKEND,2,3,9,9,9\nok,BACKEND,4,5,\nbare,BACKEND,6,7\n",
    );
    expect(reply.rows).toEqual([
      { pxname: "ok", svname: "BACKEND", scur: 4, smax: 5 },
      { pxname: "bare", svname: "BACKEND", scur: 6, smax: 7 },
    ]);
    expect(reply.skipped).toBe(2);
  });

  it("accepts CRLF line endings", () => {
    expect(parseStat("# pxname,svname,scur,\r\nfe,FRONTEND,5,\r\n\r\n")).toEqual([
      { pxname: "fe", svname: "FRONTEND", scur: 5 },
    ]);
  });

  it("finds the stat header after show info in a batched reply and stops at its end", () => {
    const rows = parseStat(fixture("haproxy-2.6/batch-info-stat.txt"));
    expect(rows.map((r) => `${r.pxname}/${r.svname}`)).toEqual([
      "fe_main/FRONTEND",
      "fe_tcp/FRONTEND",
      "be_app/BACKEND",
      "be_tcp/BACKEND",
      "be_static/FRONTEND",
      "be_static/BACKEND",
    ]);
    expect(find(rows, "be_app", "BACKEND").h1_total_connections).toBe(20);
  });
});

describe("parseStat on old versions", () => {
  it("parses HAProxy 1.4 (51 fields, no '-' column)", () => {
    const rows = parseStat(fixture("old-versions/haproxy-1.4-show-stat.txt"));
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(Object.keys(row)).toHaveLength(51);
      expect(Object.keys(row).at(-1)).toBe("srv_abrt");
      expect(row).not.toHaveProperty("comp_in");
      expect(row).not.toHaveProperty("addr");
    }
    expect(find(rows, "www", "FRONTEND")).toMatchObject({
      type: STAT_TYPE.frontend,
      status: "OPEN",
      stot: 4521,
      req_tot: 4521,
      req_rate_max: 33,
      hrsp_2xx: 4410,
      slim: 2000,
    });
    expect(find(rows, "app", "web1")).toMatchObject({
      status: "UP",
      check_status: "L7OK",
      check_code: 200,
      lbtot: 2301,
      type: STAT_TYPE.server,
    });
    const num = find(rows, "app", "42");
    expect(num.svname).toBe("42");
    expect(num.status).toBe("DOWN 1/2");
    expect(num.econ).toBe(3);
    expect(num.check_code).toBeNull();
    expect(find(rows, "app", "BACKEND")).toMatchObject({ type: STAT_TYPE.backend, act: 2, weight: 2 });
  });

  it("parses HAProxy 1.5 (62 fields up to ttime, quoted last_chk)", () => {
    const rows = parseStat(fixture("old-versions/haproxy-1.5-show-stat.txt"));
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(Object.keys(row)).toHaveLength(62);
      expect(Object.keys(row).at(-1)).toBe("ttime");
    }
    expect(find(rows, "www", "FRONTEND")).toMatchObject({ comp_in: 0, comp_rsp: 0, req_tot: 4521 });
    expect(find(rows, "app", "web1")).toMatchObject({
      last_chk: "OK",
      lastsess: 0,
      ctime: 1,
      rtime: 12,
      ttime: 15,
    });
    const num = find(rows, "app", "42");
    expect(num.last_chk).toBe("Connection refused, port 8080");
    expect(num.last_agt).toBeNull();
    expect(num.qtime).toBe(0);
    expect(num.lastsess).toBe(13);
    const maint = find(rows, "app", "web3");
    expect(maint.status).toBe("MAINT");
    expect(maint.lastsess).toBe(-1);
    expect(find(rows, "app", "BACKEND").ttime).toBe(15);
  });
});
