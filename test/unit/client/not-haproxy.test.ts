/**
 * A target port where another server answers (a real HTTP server on loopback, node:http): the
 * client, the poller behind the TUI's status line and the batch command (cli-hostile.test.ts) all
 * give the same message, which names the target and quotes the first bytes escaped.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatError, SocketError } from "../../../src/client/errors.js";
import { EXIT, exitCodeFor } from "../../../src/client/exit.js";
import { request } from "../../../src/client/socket.js";
import type { Target } from "../../../src/client/target.js";
import { pollOnce } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";
import { waitFor } from "../../helpers/haproxy.js";

let http: Server;
let target: Target;
const expected = (port: number) =>
  `127.0.0.1:${port}: the target answered, but not as HAProxy's Runtime API does` +
  ` (first bytes: "HTTP/1.1 400 Bad Request\\r\\nConnection: close\\r\\n\\r\\n")`;

beforeAll(async () => {
  http = createServer((_req, res) => res.end("hello"));
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  target = { kind: "tcp", host: "127.0.0.1", port: (http.address() as { port: number }).port };
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
});

describe("an HTTP server as the target", () => {
  it("the client: a SocketError 'not-haproxy' (exit 3) with the first bytes escaped", async () => {
    const e = await request(target, ["show cli level", "show info", "show stat"]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SocketError);
    expect((e as SocketError).code).toBe("not-haproxy");
    expect(formatError(e)).toBe(expected(target.kind === "tcp" ? target.port : 0));
    expect(exitCodeFor(e)).toBe(EXIT.socket);
  });

  it("the poller (the TUI's status line and timeline): the very same message", async () => {
    const poller = new Poller({
      target: "t",
      intervalMs: 1000,
      fetch: (demand, withLevel) => pollOnce(target, demand, withLevel, { timeoutMs: 2000 }),
    });
    try {
      poller.start();
      const error = await waitFor(() => poller.store.getSnapshot().error, 10_000, "the poll to fail");
      expect(error).toBe(expected(target.kind === "tcp" ? target.port : 0));
      expect(poller.store.getSnapshot().link).toBe("disconnected");
    } finally {
      poller.stop();
    }
  });
});
