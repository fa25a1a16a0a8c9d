import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CliLevelError, levelAtLeast, parseCliLevel } from "../../../src/parse/level.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

describe("parseCliLevel", () => {
  it("reads the captured replies", () => {
    expect(parseCliLevel(fixture("haproxy-2.6/show-cli-level-admin.txt"))).toBe("admin");
    expect(parseCliLevel(fixture("haproxy-2.6/show-cli-level-user.txt"))).toBe("user");
  });

  it("accepts operator and surrounding blanks / CRLF", () => {
    expect(parseCliLevel("operator\n\n")).toBe("operator");
    expect(parseCliLevel("  admin\r\n")).toBe("admin");
  });

  it.each([
    "",
    "Permission denied\n",
    "Admin\n",
    "root\n",
    "user admin\n",
    "Unknown command, but maybe one of the following ones is a better match:\n",
  ])("throws CliLevelError on %j", (text) => {
    expect(() => parseCliLevel(text)).toThrow(CliLevelError);
  });

  it("reports what it got", () => {
    expect(() => parseCliLevel(fixture("haproxy-2.6/operator-clear-counters-all.txt"))).toThrow(
      /Permission denied/,
    );
  });
});

describe("levelAtLeast", () => {
  it("orders user < operator < admin", () => {
    expect(levelAtLeast("admin", "operator")).toBe(true);
    expect(levelAtLeast("operator", "operator")).toBe(true);
    expect(levelAtLeast("user", "operator")).toBe(false);
    expect(levelAtLeast("operator", "admin")).toBe(false);
    expect(levelAtLeast("user", "user")).toBe(true);
  });
});
