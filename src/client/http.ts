import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { excerpt } from "../text/sanitize.js";

/** Why an HTTP query (the Prometheus source) failed, in words an operator can act on. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly code: "bad-url" | "timeout" | "too-large" | "status" | "not-json" | "io-error",
    message: string,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  timeoutMs?: number;
  /** Most bytes read from one reply (a runaway answer is refused, not buffered). */
  maxBytes?: number;
}

/** An http(s) URL with no credentials in it, or an HttpError saying why not. */
export function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HttpError("bad-url", `not a URL: ${excerpt(text)} (expected http://host:port)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new HttpError("bad-url", `not an http(s) URL: ${excerpt(text)}`);
  return url;
}

/**
 * GETs a URL and parses its JSON body. Bounded in time and size; a status other than 2xx is an
 * error quoting the start of the body (Prometheus explains a bad query there).
 */
export function getJson(url: URL, opts: HttpOptions = {}): Promise<unknown> {
  const { timeoutMs = 5000, maxBytes = 32 * 1024 * 1024 } = opts;
  const get = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // One deadline for the whole exchange (not only socket idleness): a reply that stalls or is
    // cut without an error event must still settle, or the fleet's refresh would stop for good.
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      f();
    };
    const resolve1 = (v: unknown) => finish(() => resolve(v));
    const reject1 = (e: Error) => finish(() => reject(e));
    const deadline = setTimeout(() => {
      req.destroy();
      reject1(new HttpError("timeout", `${url.host}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    // A fresh connection per request (no keep-alive pool), as for the stats socket.
    const req = get(url, { method: "GET", agent: false, headers: { accept: "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
          reject1(new HttpError("too-large", `${url.host}: reply larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          const why =
            status >= 200 && status < 300 ? "answered, but not with JSON" : `answered HTTP ${status}`;
          reject1(
            new HttpError(
              status >= 200 && status < 300 ? "not-json" : "status",
              `${url.host} ${why}: ${excerpt(body)}`,
            ),
          );
          return;
        }
        // Prometheus answers 4xx/5xx with a JSON {status: "error", error: "..."}: the caller reads it.
        if (status >= 500 && !(parsed && typeof parsed === "object" && "error" in parsed)) {
          reject1(new HttpError("status", `${url.host} answered HTTP ${status}: ${excerpt(body)}`));
          return;
        }
        resolve1(parsed);
      });
      res.on("error", (e) => reject1(new HttpError("io-error", `${url.host}: ${e.message}`)));
      res.on("close", () => {
        if (!res.complete) reject1(new HttpError("io-error", `${url.host}: the reply was cut short`));
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      const why = e.code === "ECONNREFUSED" ? "connection refused" : e.message;
      reject1(new HttpError("io-error", `${url.host}: ${why}`));
    });
    req.end();
  });
}
