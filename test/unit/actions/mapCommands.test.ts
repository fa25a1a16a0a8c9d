/**
 * The map and ACL command builders: addressed by `#<id>` and `#<ref>` only, arguments escaped the
 * way HAProxy's CLI reads them (checked on a real HAProxy in test/integration/actions/maps.test.ts),
 * what cannot be sent refused with the reason, and the read-back verification.
 */
import { describe, expect, it } from "vitest";
import {
  buildMapChange,
  escapeMapArg,
  MapInputError,
  showEntriesCommand,
  verifyMapChange,
} from "../../../src/actions/mapCommands.js";
import type { MapRef } from "../../../src/actions/plan.js";

const MAP: MapRef = { type: "map", id: 2, file: "/etc/haproxy/block.map" };
const ACL: MapRef = { type: "acl", id: 0, file: "/etc/haproxy/blocked.acl" };

describe("buildMapChange", () => {
  it("add map: `add map #<id> <key> <value>`, the entries read before and after", () => {
    expect(buildMapChange({ kind: "add", map: MAP, key: "10.0.0.1", value: "abuse" })).toEqual({
      action: "map-add-entry",
      commands: ["add map #2 10.0.0.1 abuse"],
      before: ["show map #2"],
      verify: ["show map #2"],
    });
  });

  it("add acl: `add acl #<id> <pattern>`", () => {
    const b = buildMapChange({ kind: "add", map: ACL, key: "10.0.0.0/24", value: null });
    expect(b.commands).toEqual(["add acl #0 10.0.0.0/24"]);
    expect(b.verify).toEqual(["show acl #0"]);
  });

  it("del and set by the entry's reference, never by key", () => {
    expect(buildMapChange({ kind: "del", map: MAP, ref: "0x55d0c2a1b2c0", key: "k" }).commands).toEqual([
      "del map #2 #0x55d0c2a1b2c0",
    ]);
    expect(buildMapChange({ kind: "del", map: ACL, ref: "0xabc", key: "k" }).commands).toEqual([
      "del acl #0 #0xabc",
    ]);
    const set = buildMapChange({ kind: "set", map: MAP, ref: "0xabc", key: "k", value: "new value" });
    expect(set).toMatchObject({
      action: "map-set-entry",
      commands: ["set map #2 #0xabc new\\ value"],
      before: [],
    });
  });

  it("escapes `\\`, `;` and spaces the way HAProxy's CLI un-escapes them", () => {
    const b = buildMapChange({ kind: "add", map: MAP, key: "semi;colon", value: "back\\slash and space" });
    expect(b.commands).toEqual(["add map #2 semi\\;colon back\\\\slash\\ and\\ space"]);
    expect(buildMapChange({ kind: "add", map: ACL, key: "a b", value: null }).commands).toEqual([
      "add acl #0 a\\ b",
    ]);
  });

  it("a command is one line: nothing typed can add a command or end the line", () => {
    const b = buildMapChange({ kind: "add", map: MAP, key: "k;show", value: "v;clear counters all" });
    // Every `;` is escaped: splitting on unescaped `;` gives one command.
    expect(b.commands[0]!.split(/(?<!\\);/)).toHaveLength(1);
  });

  const refused: [string, () => unknown, RegExp][] = [
    ["an empty key", () => buildMapChange({ kind: "add", map: MAP, key: "", value: "v" }), /empty key/],
    ["an empty value", () => buildMapChange({ kind: "add", map: MAP, key: "k", value: "" }), /empty value/],
    [
      "a map key with a space",
      () => buildMapChange({ kind: "add", map: MAP, key: "a b", value: "v" }),
      /space/,
    ],
    ["a newline", () => buildMapChange({ kind: "add", map: MAP, key: "k", value: "v\nshow info" }), /\\x0a/],
    ["a tab", () => buildMapChange({ kind: "add", map: ACL, key: "a\tb", value: null }), /control character/],
    ["a NUL", () => buildMapChange({ kind: "add", map: ACL, key: "a\u0000", value: null }), /\\x00/],
    ["DEL", () => buildMapChange({ kind: "add", map: ACL, key: "a\u007f", value: null }), /\\x7f/],
    ["a payload marker", () => buildMapChange({ kind: "add", map: MAP, key: "k", value: "x<<" }), /payload/],
    [
      "a custom payload marker",
      () => buildMapChange({ kind: "add", map: ACL, key: "<<EOF", value: null }),
      /payload/,
    ],
    [
      "a huge value",
      () => buildMapChange({ kind: "add", map: MAP, key: "k", value: "v".repeat(2000) }),
      /longer/,
    ],
    [
      "a bad reference",
      () => buildMapChange({ kind: "del", map: MAP, ref: "0x1;show", key: "k" }),
      /reference/,
    ],
    [
      "a key as reference",
      () => buildMapChange({ kind: "del", map: MAP, ref: "10.0.0.1", key: "k" }),
      /reference/,
    ],
    [
      "a negative id",
      () => buildMapChange({ kind: "del", map: { ...MAP, id: -1 }, ref: "0x1", key: "k" }),
      /id/,
    ],
    ["a fractional id", () => showEntriesCommand({ type: "map", id: 1.5 }), /id/],
    ["an unknown type", () => showEntriesCommand({ type: "bogus" as "map", id: 1 }), /type/],
    [
      "a value on an ACL",
      () => buildMapChange({ kind: "set", map: ACL, ref: "0x1", key: "k", value: "v" }),
      /ACL/,
    ],
  ];
  it.each(refused)("refuses %s with the reason", (_name, build, reason) => {
    expect(build).toThrow(MapInputError);
    expect(build).toThrow(reason);
  });

  it("allows what is only text: non-ASCII, `#`, quotes, `<` alone", () => {
    expect(escapeMapArg("café#\"'<", "value", { spaces: true })).toBe("café#\"'<");
  });
});

describe("verifyMapChange", () => {
  const before = "0x1 10.0.0.0/8 old\n";
  it("add: a new reference with that key and value", () => {
    const change = { kind: "add", map: MAP, key: "10.0.0.1", value: "abuse" } as const;
    expect(verifyMapChange(change, before, `${before}0x2 10.0.0.1 abuse\n`)).toEqual({
      ok: true,
      message: "verified: 10.0.0.1 abuse is in map #2 (entry 0x2)",
    });
    // The same key and value already there before is not proof of this add.
    const dup = "0x1 10.0.0.1 abuse\n";
    expect(verifyMapChange(change, dup, dup).ok).toBe(false);
    expect(verifyMapChange(change, before, before).message).toMatch(/not among the entries/);
  });

  it("del: the reference gone", () => {
    const change = { kind: "del", map: MAP, ref: "0x1", key: "10.0.0.0/8" } as const;
    expect(verifyMapChange(change, undefined, "").ok).toBe(true);
    expect(verifyMapChange(change, undefined, before)).toEqual({
      ok: false,
      message: "accepted, but entry 0x1 is still in map #2",
    });
  });

  it("set: the reference holds the new value", () => {
    const change = { kind: "set", map: MAP, ref: "0x1", key: "10.0.0.0/8", value: "new" } as const;
    expect(verifyMapChange(change, undefined, "0x1 10.0.0.0/8 new\n").message).toBe(
      "verified: 10.0.0.0/8 → new in map #2",
    );
    expect(verifyMapChange(change, undefined, before).message).toMatch(/reads "old" in map #2, not "new"/);
    expect(verifyMapChange(change, undefined, "").message).toMatch(/no longer in map #2/);
  });

  it("a read-back that is not a list of entries is not a verification", () => {
    const change = { kind: "del", map: MAP, ref: "0x1", key: "k" } as const;
    expect(
      verifyMapChange(change, undefined, "Unknown map identifier. Please use #<id> or <file>.\n"),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^not verified: show map #2 answered "Unknown map/),
    });
    expect(verifyMapChange(change, undefined, undefined).ok).toBe(false);
  });
});
