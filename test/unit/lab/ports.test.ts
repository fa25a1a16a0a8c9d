/** lab/ports.ts: distinct free ports, none of those excluded, all bindable on 127.0.0.1. */
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { freePorts } from "../../../lab/index.js";

describe("freePorts", () => {
  it("gives n distinct ports that can all be bound at once", async () => {
    const ports = await freePorts(30);
    expect(ports).toHaveLength(30);
    expect(new Set(ports).size).toBe(30);
    const servers: Server[] = [];
    try {
      for (const p of ports) {
        const srv = createServer();
        await new Promise<void>((resolve, reject) => {
          srv.once("error", reject);
          srv.listen(p, "127.0.0.1", resolve);
        });
        servers.push(srv);
      }
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  });

  it("asks again when the source repeats a port or gives an excluded one", async () => {
    const given = [5000, 5000, 6000, 5000, 7000, 8000];
    const ask = async () => given.shift()!;
    expect(await freePorts(3, [6000], ask)).toEqual([5000, 7000, 8000]);
    expect(given).toEqual([]);
  });
});
