/**
 * Every class of control character from a hostile peer, through every output path haptop has
 * outside the TUI: `--once` text, `--json`, messages on stderr, and the `--log` file. In-process
 * here (every class × every path); test/unit/batch/cli-hostile.test.ts runs the real CLI.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { snapshotToJsonText } from "../../../src/batch/json.js";
import { snapshotToText } from "../../../src/batch/text.js";
import { CommandError, formatError, notHaproxy } from "../../../src/client/errors.js";
import { checkReply, splitReplies } from "../../../src/client/socket.js";
import { buildSnapshot } from "../../../src/model/snapshot.js";
import { parseInfo } from "../../../src/parse/info.js";
import { parseStat } from "../../../src/parse/stat.js";
import { decodeReply } from "../../../src/text/utf8.js";
import { eventLogger } from "../../../src/ui/eventLogger.js";
import { FIXTURES, fixture, fixtureFiles } from "../../fuzz/fake.js";
import {
  CONTROL_CLASSES,
  firstNonAsciiByte,
  firstRawControl,
  firstRawControlInBytes,
  hostileReplies,
  INVALID_UTF8,
} from "../../fuzz/hostile.js";

const dir = mkdtempSync(join(tmpdir(), "haptop-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A line break in an info value or a CSV field would end it: those travel elsewhere. */
const inLine = (s: string) => s.replace(/[\n,"]/g, "");

const cases = [
  ...Object.entries(CONTROL_CLASSES).map(([name, s]) => [name, Buffer.from(inLine(s), "utf8")] as const),
  ...Object.entries(INVALID_UTF8),
];

describe.each(cases)("a reply carrying %s", (_name, bad) => {
  const { info, stat } = hostileReplies(bad);
  const snap = buildSnapshot(parseInfo(decodeReply(info)), parseStat(decodeReply(stat)), 0, "admin");

  it("reaches the snapshot (so the test is not vacuous)", () => {
    // parseInfo trims a value: the markers keep blanks such as CR or TAB inside it.
    expect(String(snap.info.Pid)).toBe(`x${decodeReply(bad)}x`);
    expect(snap.backends.some((be) => be.name === `be${decodeReply(bad)}app`)).toBe(true);
  });

  it("--once text: no raw control byte, every field escaped (Pid, Uptime, Version, names)", () => {
    const out = snapshotToText("/run/haproxy/admin.sock", snap, false);
    expect(firstRawControlInBytes(Buffer.from(out, "utf8"))).toBeNull();
    expect(out.split("\n")[0]).toMatch(/^HAProxy \S* {2}pid \S* {2}node/);
  });

  it("--json: printable ASCII only, and it parses back to HAProxy's exact text", () => {
    const out = snapshotToJsonText("t", snap);
    expect(firstNonAsciiByte(Buffer.from(out, "utf8"))).toBeNull();
    const doc = JSON.parse(out) as { info: Record<string, unknown>; backends: { name: string }[] };
    expect(doc.info.Pid).toBe(`x${decodeReply(bad)}x`);
    expect(doc.backends.map((x) => x.name)).toContain(`be${decodeReply(bad)}app`);
  });

  it("stderr messages: a refused or foreign reply is quoted escaped and cut short", () => {
    const reply = decodeReply(Buffer.concat([bad, Buffer.from("x".repeat(5000))]));
    const messages = [
      formatError(new CommandError("command-error", "show stat", reply)),
      formatError(new CommandError("not-haproxy", "show info", reply)),
      formatError(notHaproxy({ kind: "unix", path: "/s" }, reply)),
    ];
    for (const m of messages) {
      expect(firstRawControl(m, false)).toBeNull();
      expect(m.length).toBeLessThan(300);
    }
  });

  it("the --log file: printable ASCII JSON lines that parse back", () => {
    const file = join(dir, `log-${Math.random().toString(36).slice(2)}.jsonl`);
    const text = decodeReply(Buffer.concat([Buffer.from("be"), bad, Buffer.from("/s1 UP → DOWN")]));
    eventLogger(file, () => {})({
      at: 0,
      kind: "state",
      name: "be/s1",
      from: "UP",
      to: "DOWN",
      severity: "bad",
      text,
    });
    const raw = readFileSync(file);
    expect(firstNonAsciiByte(raw)).toBeNull();
    expect(JSON.parse(raw.toString("utf8")).text).toBe(text);
  });
});

describe("a line break from the peer", () => {
  it("in a foreign reply's quote is shown as \\n, not as a new line", () => {
    const e = notHaproxy({ kind: "unix", path: "/s" }, "HTTP/1.1 400 Bad Request\r\nServer: x\r\n\r\n");
    expect(formatError(e)).not.toContain("\n");
    expect(formatError(e)).toContain("HTTP/1.1 400 Bad Request\\r\\n");
  });
  it("in a log event is escaped inside the JSON line", () => {
    const file = join(dir, "lf.jsonl");
    eventLogger(file, () => {})({ at: 0, kind: "link", up: false, error: "x", text: "a\nb\u2028c" });
    expect(readFileSync(file, "utf8").trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("replies that are not HAProxy's", () => {
  const t = { kind: "unix", path: "/s" } as const;
  it("an HTTP answer is named as such, with its first bytes", () => {
    const raw = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n";
    expect(() => splitReplies(raw, 3, t, ["show cli level", "show info", "show stat"])).toThrow(
      /the target answered, but not as HAProxy's Runtime API does \(first bytes: "HTTP\/1\.1 400/,
    );
  });
  it("a truncated HAProxy reply is still 'closed early', not foreign", () => {
    const raw = fixture("show-cli-level.txt") + fixture("show-info.txt").slice(0, 100);
    expect(() => splitReplies(raw, 3, t, ["show cli level", "show info", "show stat"])).toThrow(
      /closed the connection before the answer was complete/,
    );
    expect(() => splitReplies("adm", 2, t, ["show cli level", "show info"])).toThrow(/closed the connection/);
  });
  it("no real reply of any release is ever called foreign (fixtures of 1.4 to 3.2)", () => {
    const real: [string, string][] = [
      ["show-cli-level.txt", "show cli level"],
      ["user-show-cli-level.txt", "show cli level"],
      ["show-info.txt", "show info"],
      ["show-stat.txt", "show stat"],
      ["show-errors.txt", "show errors"],
      ["show-sess.txt", "show sess"],
      ["no-such-proxy.txt", "show stat nope 4 -1"],
    ];
    const old = readdirSync(join(FIXTURES, "old-versions")).map((f) => [
      readFileSync(join(FIXTURES, "old-versions", f), "utf8"),
      f.includes("show-stat") ? "show stat" : f.includes("show-errors") ? "show errors" : "show sess",
    ]);
    const cases = [...real.flatMap(([f, cmd]) => fixtureFiles(f).map((x) => [x.text, cmd])), ...old];
    expect(cases.length).toBeGreaterThan(30);
    for (const [text, cmd] of cases) {
      try {
        checkReply(cmd!, text!);
      } catch (e) {
        expect((e as CommandError).code, `${cmd}: ${text!.slice(0, 40)}`).not.toBe("not-haproxy");
      }
    }
  });

  it("a whole reply of the wrong shape is foreign; HAProxy's own refusals are not", () => {
    expect(() => checkReply("show cli level", "SSH-2.0-OpenSSH_9.2\n")).toThrow(/not as HAProxy's/);
    expect(() => checkReply("show info", "hello\n", "Name:")).toThrow(/not as HAProxy's/);
    expect(() => checkReply("show stat x 4 -1", "No such proxy.\n", "# ")).toThrow(/HAProxy answered/);
    expect(() => checkReply("show info", "Permission denied\n", "Name:")).toThrow(/Permission denied/);
    expect(checkReply("show cli level", fixture("show-cli-level.txt"))).toBe("admin\n\n");
  });
});
