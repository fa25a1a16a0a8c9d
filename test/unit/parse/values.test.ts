import { describe, expect, it } from "vitest";
import { isNumeric, parseDuration, splitLines, toValue } from "../../../src/parse/values.js";

describe("toValue", () => {
  it("turns the empty string into null", () => {
    expect(toValue("")).toBeNull();
  });

  it("turns integers, negatives and decimals into numbers", () => {
    expect(toValue("0")).toBe(0);
    expect(toValue("42")).toBe(42);
    expect(toValue("-1")).toBe(-1);
    expect(toValue("3.25")).toBe(3.25);
    expect(toValue("007")).toBe(7);
  });

  it("keeps anything not fully numeric as a string", () => {
    expect(toValue("UP")).toBe("UP");
    expect(toValue("DOWN 1/2")).toBe("DOWN 1/2");
    expect(toValue("1.2.3.4:80")).toBe("1.2.3.4:80");
    expect(toValue("12abc")).toBe("12abc");
    expect(toValue(" 12")).toBe(" 12");
    expect(toValue("1e3")).toBe("1e3");
    expect(toValue("0x10")).toBe("0x10");
    expect(toValue(".5")).toBe(".5");
    expect(toValue("5.")).toBe("5.");
    expect(toValue("-")).toBe("-");
    expect(toValue("+1")).toBe("+1");
  });

  it("agrees with isNumeric", () => {
    expect(isNumeric("-12.5")).toBe(true);
    expect(isNumeric("")).toBe(false);
    expect(isNumeric("1,5")).toBe(false);
  });
});

describe("splitLines", () => {
  it("splits LF and CRLF alike", () => {
    expect(splitLines("a\r\nb\nc")).toEqual(["a", "b", "c"]);
  });
});

describe("parseDuration (HAProxy human_time)", () => {
  it.each([
    ["0s", 0],
    ["1s", 1],
    ["59s", 59],
    ["2m3s", 123],
    ["2m", 120],
    ["1h02m", 3720],
    ["1h2m", 3720],
    ["1h", 3600],
    ["3d4h", 3 * 86400 + 4 * 3600],
    ["3d5m", 3 * 86400 + 300],
    ["24855d23h", 24855 * 86400 + 23 * 3600],
    ["0d00h00m02s", 2],
    ["0d 0h00m06s", 6],
    ["250ms", 0.25],
    ["1s500ms", 1.5],
    ["10us", 0.00001],
  ])("%s → %s seconds", (raw, seconds) => {
    expect(parseDuration(raw)).toBe(seconds);
  });

  it.each(["", "?", "<NEVER>", "abc", "5", "5x", "m5", "1h-2m", "1.5.3s"])("%j → null", (raw) => {
    expect(parseDuration(raw)).toBeNull();
  });
});

describe("isNumeric, written out by hand", () => {
  it("accepts exactly what /^-?\\d+(\\.\\d+)?$/ accepts", () => {
    const re = /^-?\d+(\.\d+)?$/;
    const samples = [
      "0",
      "-0",
      "12",
      "-12",
      "1.5",
      "-1.50",
      "1.",
      ".5",
      "-",
      "",
      "1e3",
      "0x10",
      " 1",
      "1 ",
      "1.2.3",
    ];
    samples.push("--1", "+1", "١", "12a", "a12", "-.5", "00", "9".repeat(40), "Infinity", "NaN", "1,5");
    for (const s of samples) expect(isNumeric(s), JSON.stringify(s)).toBe(re.test(s));
  });
});
