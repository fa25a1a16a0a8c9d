/**
 * The `help` reply of every release (test/fixtures/haproxy-<v>/help.txt, captured from a real
 * HAProxy by scripts/capture-help.ts: the same text at user, operator and admin level) read into
 * command words for Tab.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseHelpCommands } from "../../../src/parse/help.js";

const root = new URL("../../fixtures/", import.meta.url);
const releases = readdirSync(root)
  .filter((d) => /^haproxy-\d+\.\d+\.\d+$/.test(d))
  .filter((d) => readdirSync(new URL(d, root)).includes("help.txt"));

it("has the help of every release of the matrix", () => {
  expect(releases).toEqual(
    expect.arrayContaining(["haproxy-2.6.12", "haproxy-2.8.0", "haproxy-3.0.0", "haproxy-3.2.0"]),
  );
});

describe.each(releases)("help of %s", (dir) => {
  const text = readFileSync(new URL(`${dir}/help.txt`, root), "utf8");
  const commands = parseHelpCommands(text);
  const has = (line: string) => commands.some((c) => c.join(" ") === line);

  it("one entry per listed command, only literal words", () => {
    const listed = text.split("\n").filter((l) => l.startsWith("  ")).length;
    // A few syntaxes share their words (`show sess` twice in some releases): deduplicated.
    expect(commands.length).toBeGreaterThan(listed - 5);
    expect(commands.length).toBeLessThanOrEqual(listed);
    for (const c of commands) for (const w of c) expect(w).toMatch(/^[a-z][a-z0-9_.-]*$/);
  });

  it("knows the commands haptop completes names after", () => {
    for (const line of [
      "get weight",
      "set weight",
      "set server",
      "disable server",
      "enable health",
      "disable agent",
      "show table",
      "clear table",
      "show map",
      "add map",
      "show servers state",
      "shutdown sessions server",
      "set maxconn server",
      "help",
      "quit",
      "show info",
      "show stat",
    ])
      expect(has(line), line).toBe(true);
  });

  it("stops at placeholders and at a colon glued to them", () => {
    expect(has("set severity-output")).toBe(true);
    expect(has("debug dev hash") || !text.includes("debug dev hash")).toBe(true);
    expect(commands.some((c) => c.includes("level"))).toBe(true); // show cli level
    expect(commands.some((c) => c.includes("lower"))).toBe(false); // from a description
  });
});

it("release differences: echo only from 3.2, acme from 3.2, wait from 3.0", () => {
  const of = (v: string) =>
    parseHelpCommands(readFileSync(new URL(`haproxy-${v}/help.txt`, root), "utf8")).map((c) => c.join(" "));
  expect(of("2.6.12")).not.toContain("echo");
  expect(of("3.2.0")).toContain("echo");
  expect(of("3.2.0")).toContain("acme status");
  expect(of("2.8.0")).not.toContain("acme status");
  expect(of("2.8.0")).not.toContain("wait");
  expect(of("3.0.0")).toContain("wait");
});

it("ignores the header and anything not indented", () => {
  expect(parseHelpCommands("The following commands are valid at this level:\nUnknown\n\n")).toEqual([]);
  expect(parseHelpCommands("  show info   : x\n  show info [json] : y\n")).toEqual([["show", "info"]]);
});
