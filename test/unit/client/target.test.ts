import { describe, expect, it } from "vitest";
import { describeTarget, parseTarget, resolveTarget, TargetSyntaxError } from "../../../src/client/target.js";

describe("parseTarget", () => {
  it.each([
    ["/run/haproxy/admin.sock", { kind: "unix", path: "/run/haproxy/admin.sock" }],
    ["unix@/tmp/x.sock", { kind: "unix", path: "/tmp/x.sock" }],
    ["./rel.sock", { kind: "unix", path: "./rel.sock" }],
    ["admin.sock", { kind: "unix", path: "admin.sock" }],
    ["127.0.0.1:9999", { kind: "tcp", host: "127.0.0.1", port: 9999 }],
    ["localhost:9999", { kind: "tcp", host: "localhost", port: 9999 }],
    ["ipv4@10.0.0.1:80", { kind: "tcp", host: "10.0.0.1", port: 80 }],
    ["ipv6@[::1]:9999", { kind: "tcp", host: "::1", port: 9999 }],
    ["[::1]:9999", { kind: "tcp", host: "::1", port: 9999 }],
  ])("%s", (spec, expected) => {
    expect(parseTarget(spec)).toEqual(expected);
  });

  it.each(["", "unix@", "ipv4@host", "ipv4@:80", "host:99999", "ipv6@::1:80", "host:abc"])(
    "rejects %j",
    (spec) => {
      expect(() => parseTarget(spec)).toThrow(TargetSyntaxError);
    },
  );

  it("falls back to $HAPTOP_SOCKET, then Debian's default", () => {
    expect(resolveTarget(undefined, { HAPTOP_SOCKET: "127.0.0.1:1234" })).toEqual({
      kind: "tcp",
      host: "127.0.0.1",
      port: 1234,
    });
    expect(resolveTarget(undefined, {})).toEqual({ kind: "unix", path: "/run/haproxy/admin.sock" });
    expect(resolveTarget("/x.sock", { HAPTOP_SOCKET: "127.0.0.1:1234" })).toEqual({
      kind: "unix",
      path: "/x.sock",
    });
  });

  it("describes targets in HAProxy's syntax", () => {
    expect(describeTarget(parseTarget("ipv6@[::1]:1"))).toBe("[::1]:1");
    expect(describeTarget(parseTarget("unix@/a"))).toBe("/a");
  });
});
