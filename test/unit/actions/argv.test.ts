import { describe, expect, it } from "vitest";
import { CommandSyntaxError, formatCommand, quoteArg, splitCommand } from "../../../src/actions/argv.js";

describe("splitCommand (no shell)", () => {
  it("splits on blanks", () => {
    expect(splitCommand("systemctl reload haproxy")).toEqual(["systemctl", "reload", "haproxy"]);
    expect(splitCommand("  a \t b  ")).toEqual(["a", "b"]);
  });
  it("handles quotes and escapes like a POSIX shell", () => {
    expect(splitCommand(`sudo -n "/usr/local/bin/my reload" 'x y'`)).toEqual([
      "sudo",
      "-n",
      "/usr/local/bin/my reload",
      "x y",
    ]);
    expect(splitCommand(`a"b c"d`)).toEqual(["ab cd"]);
    expect(splitCommand(`'it'\\''s'`)).toEqual(["it's"]);
    expect(splitCommand(`"a \\"q\\" \\\\ \\$HOME"`)).toEqual([`a "q" \\ $HOME`]);
    expect(splitCommand(`"a\\b"`)).toEqual(["a\\b"]);
    expect(splitCommand(`a\\ b`)).toEqual(["a b"]);
    expect(splitCommand(`'$(x);|&'`)).toEqual(["$(x);|&"]);
    expect(splitCommand(`x "" ''`)).toEqual(["x", "", ""]);
  });
  it("refuses what only a shell does, and broken quoting", () => {
    for (const bad of [
      "",
      "   ",
      "a | b",
      "a;b",
      "a && b",
      "a > /tmp/x",
      "a < x",
      "$(reboot)",
      "`id`",
      "echo $HOME",
      `echo "$HOME"`,
      "(a)",
      "'unterminated",
      '"unterminated',
      "trailing\\",
      "a\nb",
      "a\u0000b",
    ]) {
      expect(() => splitCommand(bad), JSON.stringify(bad)).toThrow(CommandSyntaxError);
    }
  });
  it("quotes for display so that splitting gives the same argv back", () => {
    const argvs = [
      ["haproxy", "-f", "/etc/haproxy/haproxy.cfg"],
      ["a b", "it's", "", "$x;y", "ok"],
    ];
    for (const argv of argvs) expect(splitCommand(formatCommand(argv))).toEqual(argv);
    expect(quoteArg("/run/haproxy/admin.sock")).toBe("/run/haproxy/admin.sock");
    expect(quoteArg("a b")).toBe("'a b'");
  });
});
