import { describe, expect, it } from "vitest";
import { backendKey, frontendKey, keyKind, listenerKey, serverKey } from "../../../src/model/keys.js";
import { buildSnapshot } from "../../../src/model/snapshot.js";

describe("entry keys", () => {
  it("builds each kind's key from names", () => {
    expect(frontendKey("www")).toBe("fe/www");
    expect(backendKey("api")).toBe("be/api");
    expect(serverKey("api", "s1")).toBe("sv/api/s1");
    expect(listenerKey("www", "l1")).toBe("li/www/l1");
  });

  it("tells the kind back from the key, and nothing from another string", () => {
    expect(keyKind(frontendKey("x"))).toBe("frontend");
    expect(keyKind(backendKey("x"))).toBe("backend");
    expect(keyKind(serverKey("be/x", "sv/y"))).toBe("server");
    expect(keyKind(listenerKey("x", "y"))).toBe("listener");
    expect(keyKind("xx/y")).toBeNull();
    expect(keyKind("")).toBeNull();
  });

  it("keeps names apart: a backend named like a server key is not that server", () => {
    expect(backendKey("sv/a/b")).not.toBe(serverKey("a", "b"));
    expect(serverKey("a/b", "c")).toBe(serverKey("a/b", "c"));
    expect(frontendKey("a")).not.toBe(backendKey("a"));
  });

  it("is what the snapshot keys its entries by", () => {
    const row = (pxname: string, svname: string, type: number) => ({ pxname, svname, type, status: "UP" });
    const s = buildSnapshot(
      {},
      [row("www", "FRONTEND", 0), row("www", "l1", 3), row("api", "s1", 2), row("api", "BACKEND", 1)],
      0,
      null,
    );
    expect(s.frontends.map((e) => e.key)).toEqual([frontendKey("www")]);
    expect(s.backends.map((e) => e.key)).toEqual([backendKey("api")]);
    expect(s.backends[0]?.servers.map((e) => e.key)).toEqual([serverKey("api", "s1")]);
    expect(keyKind(s.frontends[0]!.key)).toBe("frontend");
  });
});
