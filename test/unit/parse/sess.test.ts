import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSess, parseSessLine, tokenizeSessLine } from "../../../src/parse/sess.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

describe("parseSess on HAProxy 2.6 show sess", () => {
  const sessions = parseSess(fixture("haproxy-2.6/show-sess.txt"));

  it("returns one session per line, skipping the final blank line", () => {
    expect(sessions).toHaveLength(2);
  });

  it("parses a TCP stream", () => {
    const s = sessions[0]!;
    expect(s).toMatchObject({
      id: "0x555ab27bcef0",
      proto: "tcpv4",
      src: "127.0.0.1:42334",
      fe: "fe_tcp",
      be: "be_tcp",
      srv: "tcp1",
      ageSec: 1,
      calls: 3,
      rate: 2,
      cpu: 0,
      lat: 0,
      isCli: false,
    });
  });

  it("keeps the id without the colon, as 'shutdown session' takes it", () => {
    expect(sessions.map((s) => s.id)).toEqual(["0x555ab27bcef0", "0x7fb4bc046220"]);
    for (const s of sessions) expect(s.id).not.toContain(":");
  });

  it("recognises the CLI's own session and turns <NONE>/<none> into null", () => {
    const cli = sessions[1]!;
    expect(cli.isCli).toBe(true);
    expect(cli.fe).toBe("GLOBAL");
    expect(cli.be).toBeNull();
    expect(cli.srv).toBeNull();
    expect(cli.proto).toBe("unix_stream");
    expect(cli.src).toBe("unix:1");
    expect(cli.ageSec).toBe(0);
  });

  it("keeps nested [...] groups whole in fields", () => {
    const f = sessions[0]!.fields;
    expect(f.rq).toBe("[f=808000h,i=0,an=00h,rx=8s,wx=,ax=]");
    expect(f.rp).toBe("[f=80008000h,i=0,an=00h,rx=8s,wx=,ax=]");
    expect(f.scf).toBe("[8,0h,fd=17]");
    expect(f.scb).toBe("[8,1h,fd=20]");
    expect(f.exp).toBe("8s");
    expect(f.ts).toBe("00");
    expect(f.epoch).toBe("0");
    expect(f.rc).toBe("0");
    expect(f.c_exp).toBe("");
    // Keys inside the groups do not leak out as top-level fields.
    expect(f).not.toHaveProperty("f");
    expect(f).not.toHaveProperty("fd");
    expect(f).not.toHaveProperty("rx");
    expect(Object.keys(f)).toEqual([
      "proto",
      "src",
      "fe",
      "be",
      "srv",
      "ts",
      "epoch",
      "age",
      "calls",
      "rate",
      "cpu",
      "lat",
      "rq",
      "rp",
      "scf",
      "scb",
      "exp",
      "rc",
      "c_exp",
    ]);
  });
});

describe("parseSess on a captured reply with two TCP streams", () => {
  const sessions = parseSess(fixture("old-versions/haproxy-2.6-show-sess-tcp.txt"));

  it("finds the CLI session in the middle of the list", () => {
    expect(sessions).toHaveLength(3);
    expect(sessions.map((s) => s.isCli)).toEqual([false, true, false]);
    expect(sessions.filter((s) => !s.isCli).map((s) => s.src)).toEqual([
      "127.0.0.1:34982",
      "127.0.0.1:34984",
    ]);
    expect(sessions[2]!.id).toBe("0x7f0670047780");
    expect(sessions[1]!.rate).toBe(1);
    expect(sessions[0]!.ageSec).toBe(2);
  });
});

describe("parseSess on HAProxy 1.5", () => {
  const sessions = parseSess(fixture("old-versions/haproxy-1.5-show-sess.txt"));

  it("parses lines that have no rate/cpu/lat", () => {
    expect(sessions).toHaveLength(3);
    const s = sessions[0]!;
    expect(s).toMatchObject({ id: "0x1f6d9b0", fe: "www", be: "app", srv: "web1", ageSec: 123, calls: 5 });
    expect(s.rate).toBeNull();
    expect(s.cpu).toBeNull();
    expect(s.lat).toBeNull();
    expect(s.fields.s0).toBe("[7,8h,fd=9,ex=]");
    expect(s.fields.s1).toBe("[7,118h,fd=10,ex=]");
  });

  it("reads hour ages and IPv6 sources, and a stream without backend yet", () => {
    const s = sessions[1]!;
    expect(s.ageSec).toBe(3720);
    expect(s.src).toBe("::1:52310");
    expect(s.proto).toBe("tcpv6");
    expect(s.be).toBeNull();
    expect(s.srv).toBeNull();
    expect(s.isCli).toBe(false);
    expect(sessions[2]!.isCli).toBe(true);
    expect(sessions[2]!.fields.exp).toBe("");
  });
});

describe("parseSess edge cases", () => {
  it("converts ages in days, hours, minutes", () => {
    const line = (age: string) =>
      parseSess(`0xabc: proto=tcpv4 src=1.2.3.4:5 fe=f be=b srv=s age=${age} calls=1\n`)[0]!.ageSec;
    expect(line("2m3s")).toBe(123);
    expect(line("1h02m")).toBe(3720);
    expect(line("3d4h")).toBe(273600);
    expect(line("45s")).toBe(45);
    expect(line("?")).toBeNull();
    expect(line("weird")).toBeNull();
    expect(line("")).toBeNull();
  });

  it("skips blank lines, prompts, errors and indented detail lines", () => {
    const text = [
      "",
      "Permission denied",
      "> show sess",
      "0x1: proto=tcpv4 src=a fe=f be=b srv=s age=1s",
      "  flags=0x4a, conn_retries=0",
      "  0x2: proto=tcpv4",
      "garbage 0x3: proto=x",
      "",
    ].join("\n");
    const sessions = parseSess(text);
    expect(sessions.map((s) => s.id)).toEqual(["0x1"]);
  });

  it("returns nothing for an empty reply or Permission denied", () => {
    expect(parseSess("")).toEqual([]);
    expect(parseSess(fixture("haproxy-2.6/user-show-sess.txt"))).toEqual([]);
  });

  it("never crashes on odd tokens and keeps the first value of a repeated key", () => {
    const s = parseSessLine("0xdeadbeef: fe=a fe=b lonely =x rq[unclosed calls=notanumber __proto__=x");
    expect(s).not.toBeNull();
    expect(s!.fe).toBe("a");
    expect(s!.calls).toBeNull();
    expect(s!.proto).toBe("");
    expect(s!.src).toBe("");
    expect(s!.fields.rq).toBe("[unclosed calls=notanumber __proto__=x");
    expect(Object.getPrototypeOf(s!.fields)).toBe(Object.prototype);
  });

  it("accepts CRLF and a line with only an id", () => {
    const sessions = parseSess("0x10: proto=tcpv4 fe=x be=<NONE> srv=<none>\r\n0x11:\r\n");
    expect(sessions.map((s) => s.id)).toEqual(["0x10", "0x11"]);
    expect(sessions[0]!.be).toBeNull();
    expect(sessions[0]!.fields.srv).toBe("<none>");
    expect(sessions[1]!.fe).toBe("");
  });

  it("rejects lines that are not session lines", () => {
    expect(parseSessLine("0xZZ: proto=tcpv4")).toBeNull();
    expect(parseSessLine("hello")).toBeNull();
  });
});

describe("tokenizeSessLine", () => {
  it("splits on blanks outside brackets only", () => {
    expect(tokenizeSessLine("a=1  rq[f=1, i=2] scf=[8,0h] b=")).toEqual([
      "a=1",
      "rq[f=1, i=2]",
      "scf=[8,0h]",
      "b=",
    ]);
  });
});
