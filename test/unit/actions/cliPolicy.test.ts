import { describe, expect, it } from "vitest";
import {
  checkCliLine,
  holdsSecret,
  LEVEL_RULES,
  mayCrash,
  READ_ONLY_COMMANDS,
  requiredLevel,
  splitCliLine,
  waitDurationMs,
} from "../../../src/actions/cliPolicy.js";
import type { CliLevel } from "../../../src/parse/level.js";

const ro = { level: "admin" as CliLevel, readOnly: true };
const rw = (level: CliLevel | null) => ({ level, readOnly: false });

describe("splitCliLine: the line as HAProxy's CLI reads it", () => {
  it("splits at ; and at spaces and tabs", () => {
    expect(splitCliLine("show info;  get weight  be/s\t")).toEqual([
      { raw: "show info", words: ["show", "info"] },
      { raw: "get weight  be/s", words: ["get", "weight", "be/s"] },
    ]);
  });

  it("keeps an escaped ; or space inside a word, and drops the backslash", () => {
    expect(splitCliLine("show map a\\;b c\\ d")).toEqual([
      { raw: "show map a\\;b c\\ d", words: ["show", "map", "a;b", "c d"] },
    ]);
  });

  it("an escaped backslash does not escape the ; after it", () => {
    expect(splitCliLine("show map a\\\\;set weight x 1").map((c) => c.words)).toEqual([
      ["show", "map", "a\\"],
      ["set", "weight", "x", "1"],
    ]);
  });

  it("drops empty commands", () => {
    expect(splitCliLine(" ; ;show info;;").map((c) => c.words)).toEqual([["show", "info"]]);
  });
});

describe("read-only mode: only the allowlist is sent", () => {
  it.each([
    "show info",
    "show stat",
    "show table",
    "get weight be_app/app1",
    "get map #0 k",
    "help",
    "echo hi",
    "quit",
    "show info; get weight be/s",
    "@1 show info",
    "@!1234 show sess",
  ])("allows %j", (line) => {
    expect(checkCliLine(line, ro)).toMatchObject({ ok: true });
  });

  it.each([
    ["set weight be_app/app1 5", "set weight be_app/app1"],
    ["clear counters", "clear counters"],
    ["disable server be/s", "disable server be/s"],
    ["add map #0 k v", "add map #0"],
    ["shutdown session 0x1", "shutdown session 0x1"],
    ["reload", "reload"],
    ["@1 set weight be/s 1", "set weight be/s"],
  ])("refuses %j naming the command", (line, name) => {
    const r = checkCliLine(line, ro);
    expect(r).toEqual({ ok: false, reason: "read-only", message: `read-only mode: "${name}" not sent` });
  });

  it.each([
    // Chained after an allowed one, in any position, with odd spacing.
    "show info; set weight be/s 5",
    "show info;set weight be/s 5",
    "show info ;  ; clear counters all",
    "get weight be/s;disable server be/s;show info",
    // HAProxy's escapes: `s\et` is `set`, a tab separates words.
    "s\\et weight be/s 5",
    "show info;\tset\tweight be/s 5",
    // Not a known reader: upper case, an escaped space glued into the first word.
    "SHOW info",
    "set\\ weight be/s 5",
    "showx info",
    // Master CLI routing does not hide the command.
    "@1 @2 clear counters",
  ])("refuses the hostile %j", (line) => {
    expect(checkCliLine(line, ro)).toMatchObject({ ok: false, reason: "read-only" });
  });

  it("refuses line breaks and control characters in every mode, before looking at the words", () => {
    for (const line of ["show info\nset weight be/s 5", "show info\rset weight be/s 5", "show info\r\n"])
      expect(checkCliLine(line, ro)).toMatchObject({ ok: false, reason: "invalid" });
    expect(checkCliLine("show info\u0000", rw("admin"))).toMatchObject({ ok: false, reason: "invalid" });
    expect(checkCliLine("show\u001b[2J info", rw("admin"))).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("refuses payloads (<<), interactive mode, empty lines and routing with no command", () => {
    expect(checkCliLine("set ssl cert /x.pem <<", rw("admin"))).toMatchObject({ reason: "invalid" });
    expect(checkCliLine("add map #0 <<EOF", rw("admin"))).toMatchObject({ reason: "invalid" });
    expect(checkCliLine("prompt", rw("admin"))).toMatchObject({ reason: "invalid" });
    expect(checkCliLine("show info; prompt", rw("admin"))).toMatchObject({ reason: "invalid" });
    expect(checkCliLine("   ", rw("admin"))).toMatchObject({ reason: "invalid" });
    expect(checkCliLine(";;", rw("admin"))).toMatchObject({ reason: "invalid" });
    expect(checkCliLine("@1", rw("admin"))).toMatchObject({ reason: "invalid" });
    expect(checkCliLine("x".repeat(5000), rw("admin"))).toMatchObject({ reason: "invalid" });
  });

  it("the allowlist is small and explicit", () => {
    expect(READ_ONLY_COMMANDS).toEqual(["show", "get", "help", "echo", "quit"]);
  });
});

describe("level: a command above the socket's level is refused before sending", () => {
  it("refuses with the level needed and the socket's", () => {
    expect(checkCliLine("set weight be_app/app1 5", rw("operator"))).toEqual({
      ok: false,
      reason: "level",
      message: '"set weight be_app/app1" not sent: needs admin level (socket is operator)',
    });
    expect(checkCliLine("show sess", rw("user"))).toMatchObject({ reason: "level" });
    expect(checkCliLine("show info; show errors", rw("user"))).toMatchObject({ reason: "level" });
  });

  it("the longest prefix wins: clear counters is operator, clear counters all admin", () => {
    expect(requiredLevel(["clear", "counters"])).toBe("operator");
    expect(requiredLevel(["clear", "counters", "all"])).toBe("admin");
    expect(checkCliLine("clear counters", rw("operator"))).toMatchObject({ ok: true });
    expect(checkCliLine("clear counters all", rw("operator"))).toMatchObject({ reason: "level" });
  });

  it("sends what the table does not know, and everything when the level is unknown", () => {
    expect(requiredLevel(["show", "info"])).toBeNull();
    expect(checkCliLine("frobnicate now", rw("user"))).toMatchObject({ ok: true });
    expect(checkCliLine("set weight be/s 5", rw(null))).toMatchObject({ ok: true });
    expect(checkCliLine("set weight be/s 5", rw("admin"))).toMatchObject({ ok: true });
  });

  it("each rule's probe is a command the rule covers (the integration test sends them)", () => {
    for (const r of LEVEL_RULES) {
      const words = splitCliLine(r.probe)[0]!.words;
      expect(requiredLevel(words), r.probe).toBe(r.level);
    }
  });

  it("read-only is checked before the level", () => {
    expect(checkCliLine("set weight be/s 5", { level: "user", readOnly: true })).toMatchObject({
      reason: "read-only",
    });
  });
});

describe("commands that crash a release", () => {
  const on = (version: string | null) => ({ level: "admin" as CliLevel, readOnly: false, version });

  it("refuses show threads on 3.0.0 (its process exits), in any position of the line", () => {
    expect(checkCliLine("show threads", on("3.0.0-5590ada47"))).toEqual({
      ok: false,
      reason: "invalid",
      message: '"show threads" not sent: HAProxy 3.0.0 exits on it (its process dies; measured)',
    });
    expect(checkCliLine("show info; sh\\ow threads", on("3.0.0"))).toMatchObject({ reason: "invalid" });
    expect(checkCliLine("@1 show threads", on("3.0.0"))).toMatchObject({ reason: "invalid" });
  });

  it("sends it to the other releases, and when the version is unknown", () => {
    for (const v of ["2.6.12-1+deb12u4", "2.8.0-fdd8154ed", "3.0.1", "3.0.10", "3.2.0-e134140d2", null])
      expect(checkCliLine("show threads", on(v)), String(v)).toMatchObject({ ok: true });
  });

  it("mayCrash tells when the version is worth asking", () => {
    expect(mayCrash("show info; show threads")).toBe(true);
    expect(mayCrash("show info")).toBe(false);
  });
});

describe("holdsSecret: what never goes to the history file", () => {
  it.each([
    "set ssl cert /etc/x.pem -----BEGIN",
    "set ssl ocsp-response MIIB...",
    "set ssl ca-file /x.pem abc",
    "set ssl crl-file /x.pem abc",
    "set ssl tls-key 0 abc",
    "add ssl crt-list /l /x.pem",
    "add ssl ca-file /x.pem abc",
    "set dynamic-cookie-key backend be k3y",
    "set anon global-key 42",
    "show info; set ssl cert /x.pem abc",
    "add map #0 <<",
    "s\\et ssl cert /x.pem abc",
  ])("%j", (line) => {
    expect(holdsSecret(line)).toBe(true);
  });

  it.each([
    "commit ssl cert /x.pem",
    "show ssl cert",
    "new ssl cert /x.pem",
    "set weight be/s 5",
    "show info",
  ])("keeps %j", (line) => {
    expect(holdsSecret(line)).toBe(false);
  });
});

describe("commands that hold the reply", () => {
  it("refuses show events -w (it streams until the client leaves), sends show events", () => {
    const ctx = { level: "admin" as CliLevel, readOnly: false };
    const w = checkCliLine("show events stderr -w", ctx);
    expect(w.ok).toBe(false);
    expect(!w.ok && w.message).toMatch(/streams until the client leaves/);
    expect(checkCliLine("@!123 show events -n -w", ctx).ok).toBe(false);
    expect(checkCliLine("show events stderr -n", ctx).ok).toBe(true);
  });

  it.each([
    ["wait 1500", 1500],
    ["wait 2s", 2000],
    ["show info; wait 10s; show info", 10_000],
    ["wait 1m srv-removable be/srv; wait 500ms", 60_500],
    ["wait 10us", 0.01],
    ["@!1234 wait 3s", 3000],
    ["wait -h", 0],
    ["wait 10x", 0],
    ["show info", 0],
  ])("wait: %j extends the timeout by %d ms", (line, ms) => {
    expect(waitDurationMs(line)).toBe(ms);
  });
});
