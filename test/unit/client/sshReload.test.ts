/**
 * A remote socket is never taken for a local one when haptop proves who owns a socket before a
 * reload: an SSH target whose remote path is also a socket held here (Debian's
 * /run/haproxy/admin.sock on both machines, say) is "not owned" by any local process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proveOwner } from "../../../src/actions/reload/ownership.js";
import { parseTarget } from "../../../src/client/target.js";

describe("ownership of an SSH target", () => {
  const dir = mkdtempSync(join(tmpdir(), "haptop-own-"));
  const path = join(dir, "admin.sock");
  let server: Server;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(path, r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("this process owns the local socket, and not the same path over SSH", async () => {
    expect((await proveOwner(process.pid, parseTarget(path))).ok).toBe(true);
    const remote = await proveOwner(process.pid, parseTarget(`lb1:${path}`));
    expect(remote).toEqual({
      ok: false,
      kind: "not-owner",
      message: `ssh://lb1${path} is on another machine (over SSH)`,
    });
  });
});
