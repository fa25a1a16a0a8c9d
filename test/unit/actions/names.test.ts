import { describe, expect, it } from "vitest";
import {
  applyRelativeWeight,
  checkProxyName,
  checkServerName,
  checkSessionId,
  InvalidNameError,
  parseGetWeight,
  parseWeight,
  serverRef,
  weightArg,
} from "../../../src/actions/names.js";
import { ACTION_LEVEL, checkAllowed } from "../../../src/actions/policy.js";

/** Inputs that would add a command, change one, or are not HAProxy identifiers. */
const HOSTILE = [
  "",
  " ",
  "be_app;clear counters all",
  "be_app; shutdown sessions server be/srv",
  "be_app\nclear counters all",
  "be_app\r\nshow sess",
  "be_app\\",
  "be_app\\;x",
  "be app",
  "be\tapp",
  "be_app/app1",
  "#1",
  "@1",
  "@!123",
  "$(reboot)",
  "`id`",
  "a'b",
  'a"b',
  "a,b",
  "a=b",
  "bé",
  "be\u0000",
  "be\u2028x",
  "x".repeat(257),
];

describe("identifier names", () => {
  it("accepts HAProxy's charset", () => {
    for (const ok of ["be_app", "app-1", "api.v2", "ipv6:::1", "A_B-c.d:e", "0", "x".repeat(256)]) {
      expect(checkProxyName(ok)).toBe(ok);
      expect(checkServerName(ok)).toBe(ok);
    }
    expect(serverRef("be_app", "app1")).toBe("be_app/app1");
  });

  it("refuses hostile input with a typed error", () => {
    for (const h of HOSTILE) {
      expect(() => checkProxyName(h), JSON.stringify(h)).toThrow(InvalidNameError);
      expect(() => checkServerName(h), JSON.stringify(h)).toThrow(InvalidNameError);
      expect(() => serverRef("be_app", h)).toThrow(InvalidNameError);
      expect(() => serverRef(h, "app1")).toThrow(InvalidNameError);
    }
    for (const notString of [undefined, null, 1, {}, ["be"]]) {
      expect(() => checkProxyName(notString)).toThrow(InvalidNameError);
    }
    try {
      checkServerName("a;b");
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidNameError);
      expect((e as InvalidNameError).kind).toBe("server");
      expect((e as InvalidNameError).message).toMatch(/invalid server name "a;b"/);
    }
  });
});

describe("session ids", () => {
  it("accepts show sess ids, lower-cased, colon dropped", () => {
    expect(checkSessionId("0x55cd242e49c0")).toBe("0x55cd242e49c0");
    expect(checkSessionId("0x55CD242E49C0:")).toBe("0x55cd242e49c0");
  });
  it("refuses anything else", () => {
    for (const h of [
      ...HOSTILE,
      "0x",
      "0x12;show sess",
      "0x12 0x13",
      "12ab",
      "0xg1",
      "0x1\n",
      `0x${"f".repeat(17)}`,
      "-0x1",
      "0X12",
    ]) {
      expect(() => checkSessionId(h), JSON.stringify(h)).toThrow(InvalidNameError);
    }
  });
});

describe("weights", () => {
  it("parses absolute 0-256, N%, +N%, -N%", () => {
    expect(parseWeight(0)).toEqual({ kind: "absolute", value: 0 });
    expect(parseWeight(256)).toEqual({ kind: "absolute", value: 256 });
    expect(parseWeight("42")).toEqual({ kind: "absolute", value: 42 });
    expect(parseWeight("50%")).toEqual({ kind: "percent", value: 50 });
    expect(parseWeight("+10%")).toEqual({ kind: "relative", percent: 10 });
    expect(parseWeight("-10%")).toEqual({ kind: "relative", percent: -10 });
    expect(weightArg({ kind: "percent", value: 50 })).toBe("50%");
    expect(weightArg({ kind: "absolute", value: 7 })).toBe("7");
  });
  it("refuses out of range and hostile values", () => {
    for (const bad of [
      -1,
      257,
      1.5,
      Number.NaN,
      "257",
      "-1",
      "1.5",
      "10 %",
      "+10",
      "%",
      "25601%",
      "1;clear counters all",
      "1\nshow sess",
      "0x10",
      " 10",
      "",
      ...HOSTILE,
    ]) {
      expect(() => parseWeight(bad), JSON.stringify(bad)).toThrow(InvalidNameError);
    }
  });
  it("relative changes move at least by one and stay in 0-256", () => {
    expect(applyRelativeWeight(10, 10)).toBe(11);
    expect(applyRelativeWeight(100, -10)).toBe(90);
    expect(applyRelativeWeight(1, 10)).toBe(2);
    expect(applyRelativeWeight(1, -10)).toBe(0);
    expect(applyRelativeWeight(0, -10)).toBe(0);
    expect(applyRelativeWeight(250, 10)).toBe(256);
    expect(applyRelativeWeight(20, 0)).toBe(20);
  });
  it("reads get weight", () => {
    expect(parseGetWeight("10 (initial 50)\n")).toEqual({ current: 10, initial: 50 });
    expect(parseGetWeight("No such server.\n")).toBeNull();
  });
});

describe("levels", () => {
  it("maps actions to the level HAProxy needs", () => {
    expect(ACTION_LEVEL["clear-counters"]).toBe("operator");
    for (const a of [
      "clear-counters-all",
      "set-server-state",
      "set-weight",
      "shutdown-session",
      "shutdown-sessions-server",
    ] as const) {
      expect(ACTION_LEVEL[a]).toBe("admin");
    }
  });
  it("refuses read-only first, then a known low level; an unknown level is left to HAProxy", () => {
    expect(checkAllowed("clear-counters", "admin", true)).toEqual({
      refusal: "read-only",
      message: "read-only mode",
    });
    expect(checkAllowed("set-weight", "operator", false)?.message).toMatch(/^needs admin level/);
    expect(checkAllowed("clear-counters", "user", false)?.message).toMatch(/^needs operator level/);
    expect(checkAllowed("clear-counters", "operator", false)).toBeNull();
    expect(checkAllowed("set-weight", null, false)).toBeNull();
  });
});
