import { describe, expect, it } from "vitest";
import {
  CliLevelError,
  parseCliLevel,
  parseDuration,
  parseErrors,
  parseInfo,
  parseSess,
  parseShowProc,
  parseStat,
  STAT_TYPE,
  StatParseError,
  toValue,
} from "../../../src/parse/index.js";

describe("src/parse/index", () => {
  it("re-exports every parser", () => {
    expect(toValue("1")).toBe(1);
    expect(parseDuration("1m")).toBe(60);
    expect(parseInfo("Pid: 3\n")).toEqual({ Pid: 3 });
    expect(parseStat("# pxname,svname,\nfe,FRONTEND,\n")).toEqual([{ pxname: "fe", svname: "FRONTEND" }]);
    expect(parseSess("0x1: fe=GLOBAL\n")[0]!.isCli).toBe(true);
    expect(parseErrors("").events).toEqual([]);
    expect(parseCliLevel("user\n")).toBe("user");
    expect(parseShowProc("").master).toBeNull();
    expect(STAT_TYPE.server).toBe(2);
    expect(new StatParseError("x")).toBeInstanceOf(Error);
    expect(new CliLevelError("x")).toBeInstanceOf(Error);
  });
});
