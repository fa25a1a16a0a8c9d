import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { getJson, HttpError, parseHttpUrl } from "../../../src/client/http.js";

let server: Server | null = null;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = null;
});

/** A local HTTP server answering with `handler`; resolves its URL. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return new URL(`http://127.0.0.1:${port}/api/v1/query`);
}

describe("getJson (the Prometheus client)", () => {
  it("parses a JSON answer, and Prometheus's JSON error answers too", async () => {
    const url = await serve((req, res) => {
      res.statusCode = req.url?.includes("bad") ? 400 : 200;
      res.end(
        JSON.stringify({ status: req.url?.includes("bad") ? "error" : "success", error: "parse error" }),
      );
    });
    expect(await getJson(url)).toMatchObject({ status: "success" });
    expect(await getJson(new URL("?q=bad", url))).toMatchObject({ status: "error", error: "parse error" });
  });

  it("settles when a reply stalls half-way (a deadline for the whole exchange)", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write('{"status":'); // and never more
    });
    const t0 = Date.now();
    await expect(getJson(url, { timeoutMs: 300 })).rejects.toThrow(/no answer within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("settles when the reply is cut short", async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write('{"status":', () => req.socket.destroy());
    });
    await expect(getJson(url, { timeoutMs: 5000 })).rejects.toThrow(HttpError);
  });

  it("says what is wrong with a URL, a refused connection, a non-JSON body", async () => {
    expect(() => parseHttpUrl("prom:9090")).toThrow(/not an http\(s\) URL|not a URL/);
    expect(() => parseHttpUrl("ftp://x")).toThrow(/not an http\(s\) URL/);
    const url = await serve((_req, res) => res.end("<html>hello</html>"));
    await expect(getJson(url)).rejects.toThrow(/not with JSON/);
    server?.close();
    await expect(getJson(new URL("http://127.0.0.1:1/"), { timeoutMs: 2000 })).rejects.toThrow(/refused/);
  });
});
