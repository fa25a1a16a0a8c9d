import { describe, expect, it } from "vitest";
import { CommandError, notHaproxy, ReplyError, SocketError } from "../../../src/client/errors.js";
import { EXIT, exitCodeFor } from "../../../src/client/exit.js";
import { TargetSyntaxError } from "../../../src/client/target.js";
import { CliLevelError, parseCliLevel } from "../../../src/parse/level.js";
import { parseStat, StatParseError } from "../../../src/parse/stat.js";

const t = { kind: "unix", path: "/s" } as const;

describe("the exit code table (README: Exit codes)", () => {
  it("has the four documented codes", () => {
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, socket: 3 });
  });

  it("maps every fault kind: usage 2; socket, refusal, foreign or unreadable reply 3; anything else 1", () => {
    expect(exitCodeFor(new TargetSyntaxError("bad"))).toBe(2);
    expect(exitCodeFor(new SocketError("timeout", t, "x"))).toBe(3);
    expect(exitCodeFor(notHaproxy(t, "HTTP/1.1 400"))).toBe(3);
    expect(exitCodeFor(new CommandError("command-refused", "show sess", "Permission denied"))).toBe(3);
    expect(exitCodeFor(new ReplyError("x"))).toBe(3);
    expect(exitCodeFor(new Error("a reload that could not be verified"))).toBe(1);
    expect(exitCodeFor("odd")).toBe(1);
  });

  it("a parse error is 3 (a socket that cannot be read), not 1 (README reserves 1 for failed actions)", () => {
    const stat = (() => {
      try {
        parseStat("no header here\n");
      } catch (e) {
        return e;
      }
    })();
    expect(stat).toBeInstanceOf(StatParseError);
    expect(exitCodeFor(stat)).toBe(3);
    const level = (() => {
      try {
        parseCliLevel("root\n");
      } catch (e) {
        return e;
      }
    })();
    expect(level).toBeInstanceOf(CliLevelError);
    expect(exitCodeFor(level)).toBe(3);
  });
});
