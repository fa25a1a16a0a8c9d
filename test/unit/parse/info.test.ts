import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseInfo, TEXTUAL_INFO_KEYS } from "../../../src/parse/info.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

describe("parseInfo on HAProxy 2.6 show info", () => {
  const info = parseInfo(fixture("haproxy-2.6/show-info.txt"));

  it("keeps keys exactly as HAProxy names them and converts numbers", () => {
    expect(info.CurrConns).toBe(2);
    expect(info.Maxconn).toBe(9982);
    expect(info.Hard_maxconn).toBe(9982);
    expect(info.Pid).toBe(2669);
    expect(info.Uptime_sec).toBe(6);
    expect(info.Idle_pct).toBe(100);
    expect(info.Run_queue).toBe(0);
    expect(info.Tasks).toBe(22);
    expect(info.ConnRate).toBe(1);
    expect(info.SessRate).toBe(1);
    expect(info.CumReq).toBe(9);
    expect(info.Nbthread).toBe(2);
    expect(info["Ulimit-n"]).toBe(19999);
    expect(info["Unstoppable Jobs"]).toBe(0);
    expect(info.Start_time_sec).toBe(1795491265);
    expect(info.PoolAlloc_bytes).toBe(114176);
    expect(info.BytesOutRate).toBe(64);
  });

  it("keeps textual keys as strings", () => {
    expect(info.Name).toBe("HAProxy");
    expect(info.Version).toBe("2.6.12-1+deb12u4");
    expect(info.Release_date).toBe("2026/10/17");
    expect(info.Uptime).toBe("0d 0h00m06s");
    expect(info.node).toBe("vm");
    expect(info["Build info"]).toBe("2.6.12-1+deb12u4");
    expect(info.Tainted).toBe("0");
  });

  it("reads every line of the reply", () => {
    expect(Object.keys(info)).toHaveLength(69);
    expect(Object.keys(info)[0]).toBe("Name");
    expect(Object.keys(info).at(-1)).toBe("Tainted");
  });

  it("has a number or a string for every key, never an empty key", () => {
    for (const [key, value] of Object.entries(info)) {
      expect(key).not.toBe("");
      expect(["number", "string"]).toContain(typeof value);
    }
  });
});

describe("parseInfo edge cases", () => {
  it("splits on the first ': ' only", () => {
    expect(parseInfo("description: backup: site B\n")).toEqual({ description: "backup: site B" });
    expect(parseInfo("Weird: a: 1\n").Weird).toBe("a: 1");
  });

  it("keeps textual keys as strings even when numeric", () => {
    const info = parseInfo("Version: 2.6\nnode: 123\nName: 1\ndescription: 42\nRelease_date: 20231\n");
    expect(info).toEqual({
      Version: "2.6",
      node: "123",
      Name: "1",
      description: "42",
      Release_date: "20231",
    });
    for (const key of [
      "Name",
      "Version",
      "Release_date",
      "Uptime",
      "node",
      "description",
      "Build info",
      "Tainted",
    ]) {
      expect(TEXTUAL_INFO_KEYS.has(key)).toBe(true);
    }
  });

  it("keeps non numeric values of numeric-looking keys as strings", () => {
    expect(parseInfo("Tainted: 0x4\nIdle_pct: 98.5\nMemmax_MB: unlimited\n")).toEqual({
      Tainted: "0x4",
      Idle_pct: 98.5,
      Memmax_MB: "unlimited",
    });
  });

  it("accepts CRLF, empty values and ignores lines without a colon", () => {
    expect(parseInfo("Pid: 12\r\ndescription:\r\ngarbage line\r\nnode: \r\n")).toEqual({
      Pid: 12,
      description: "",
      node: "",
    });
  });

  it("returns an empty record for an empty reply or an error message", () => {
    expect(parseInfo("")).toEqual({});
    expect(parseInfo("\n\n")).toEqual({});
    expect(parseInfo("Permission denied\n\n")).toEqual({});
  });

  it("ignores what follows the blank line ending the reply", () => {
    expect(parseInfo("\nPid: 1\nName: HAProxy\n\nNo such: thing\nPid: 2\n")).toEqual({
      Pid: 1,
      Name: "HAProxy",
    });
  });

  it("stops at the blank line that ends the reply (batched commands)", () => {
    const info = parseInfo(fixture("haproxy-2.6/batch-info-stat.txt"));
    expect(info.CumReq).toBe(17);
    expect(info.Tainted).toBe("0");
    expect(Object.keys(info)).toHaveLength(69);
    expect(Object.keys(info).some((k) => k.includes(","))).toBe(false);
  });
});
