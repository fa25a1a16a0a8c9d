/**
 * The lab's origin servers: small Node HTTP servers with a latency profile and a status mix, and a
 * TCP echo server. All listen on 127.0.0.1; every socket they accept is tracked so `close()` ends
 * them at once.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createTcpServer, type Server as NetServer, type Socket } from "node:net";

export interface HttpProfile {
  /** Server name in the HAProxy config (also sent back in `x-served-by`). */
  name: string;
  /** Normal latency range, ms. */
  latencyMs: [number, number];
  /** Share of requests that take 3–6 times longer (the slow tail). */
  tailShare?: number;
  /** Share of requests answered 500 (the server "crashes"). */
  share500?: number;
  /** Share of requests answered 503 (the server is "overloaded"). */
  share503?: number;
}

/** Something that can be stopped; `close()` resolves once every socket is gone. */
export interface Closable {
  readonly name: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface Flapper extends Closable {
  /** True while the listener is open. */
  readonly up: boolean;
}

const rand = (min: number, max: number) => min + Math.random() * (max - min);
const randInt = (min: number, max: number) => Math.floor(rand(min, max + 1));

/** Body of `n` bytes, so bytes in/out vary between requests. */
const FILLER = "haptop demo payload ".repeat(4096);
const body = (n: number) => FILLER.slice(0, n);

/** What an origin answers for a path: status, size, extra delay. Independent of the server. */
function route(req: IncomingMessage, p: HttpProfile): { status: number; bytes: number; delayMs: number } {
  const url = new URL(req.url ?? "/", "http://origin");
  const path = url.pathname;
  let delayMs = rand(p.latencyMs[0], p.latencyMs[1]);
  if (p.tailShare && Math.random() < p.tailShare) delayMs *= rand(3, 6);
  if (path === "/health") return { status: 200, bytes: 3, delayMs: 0 };
  if (path.startsWith("/slow/hold")) {
    const ms = Math.min(Number(url.searchParams.get("ms")) || 5000, 30_000);
    return { status: 200, bytes: 512, delayMs: ms };
  }
  // Errors the server itself produces, whatever the path.
  const r = Math.random();
  if (r < (p.share500 ?? 0)) return { status: 500, bytes: 64, delayMs };
  if (r < (p.share500 ?? 0) + (p.share503 ?? 0)) return { status: 503, bytes: 64, delayMs: delayMs / 4 };
  if (path.startsWith("/missing") || path.endsWith(".bak")) return { status: 404, bytes: 128, delayMs };
  if (path.startsWith("/admin")) return { status: 403, bytes: 96, delayMs };
  if (path === "/old-page") return { status: 301, bytes: 0, delayMs };
  if (path === "/login") return { status: Math.random() < 0.3 ? 401 : 200, bytes: 256, delayMs };
  if (path === "/api/v1/orders" && req.method === "POST") {
    return { status: Math.random() < 0.08 ? 400 : 201, bytes: 300, delayMs };
  }
  if (path.startsWith("/api/v1/items/"))
    return { status: Math.random() < 0.06 ? 404 : 200, bytes: 700, delayMs };
  if (path.startsWith("/api/")) {
    return { status: Math.random() < 0.02 ? 429 : 200, bytes: randInt(400, 6000), delayMs };
  }
  if (path.startsWith("/static/")) return { status: 200, bytes: randInt(2000, 40_000), delayMs: delayMs / 3 };
  return { status: 200, bytes: randInt(800, 12_000), delayMs };
}

function handler(p: HttpProfile, timers: Set<NodeJS.Timeout>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.resume(); // drain request bodies (POSTs)
    if (req.url?.startsWith("/broken")) {
      // An invalid response (a control character in a header name): HAProxy answers 502 and records
      // it in `show errors` as an invalid response from this server.
      req.socket.end("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Bro\x01ken: yes\r\n\r\nhello");
      return;
    }
    const { status, bytes, delayMs } = route(req, p);
    const t = setTimeout(() => {
      timers.delete(t);
      if (res.destroyed) return;
      const headers: Record<string, string | number> = {
        "content-type": "text/plain",
        "content-length": bytes,
        "x-served-by": p.name,
      };
      if (status === 301) headers.location = "/";
      res.writeHead(status, headers);
      res.end(body(bytes));
    }, delayMs);
    timers.add(t);
  };
}

function listen(srv: Server | NetServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    srv.once("error", onError);
    srv.listen(port, "127.0.0.1", () => {
      srv.off("error", onError);
      const addr = srv.address();
      if (addr && typeof addr === "object") resolve(addr.port);
      else reject(new Error("no address"));
    });
  });
}

function closeServer(srv: Server | NetServer, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  sockets.clear();
  return new Promise((r) => (srv.listening ? srv.close(() => r()) : r()));
}

function makeHttpServer(p: HttpProfile, timers: Set<NodeJS.Timeout>, sockets: Set<Socket>): Server {
  const srv = createHttpServer(handler(p, timers));
  // Longer than HAProxy keeps idle server connections, so HAProxy closes them first (fewer 502s).
  srv.keepAliveTimeout = 15_000;
  srv.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  srv.on("clientError", (_e, s: Socket) => s.destroy());
  return srv;
}

/** An HTTP origin on a kernel-chosen port. */
export async function startHttpBackend(p: HttpProfile): Promise<Closable> {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const srv = makeHttpServer(p, timers, sockets);
  const port = await listen(srv, 0);
  return {
    name: p.name,
    port,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeServer(srv, sockets);
    },
  };
}

/**
 * An HTTP origin that closes its listener (and its connections) for a while and reopens it on the
 * same port, so HAProxy's health checks flip the server DOWN and UP again.
 */
export async function startFlappingBackend(
  p: HttpProfile,
  opts: { upMs: [number, number]; downMs: [number, number]; log?: (s: string) => void },
): Promise<Flapper> {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let srv = makeHttpServer(p, timers, sockets);
  const port = await listen(srv, 0);
  let up = true;
  let closed = false;
  let cycle: NodeJS.Timeout | undefined;

  const schedule = (fn: () => void, range: [number, number]) => {
    if (closed) return;
    cycle = setTimeout(fn, rand(range[0], range[1]));
  };
  const goDown = () => {
    up = false;
    opts.log?.(`${p.name}: listener closed (the server will go DOWN)`);
    for (const t of timers) clearTimeout(t);
    timers.clear();
    void closeServer(srv, sockets);
    schedule(goUp, opts.downMs);
  };
  const goUp = () => {
    srv = makeHttpServer(p, timers, sockets);
    listen(srv, port).then(
      () => {
        up = true;
        opts.log?.(`${p.name}: listening again on ${port}`);
        schedule(goDown, opts.upMs);
      },
      // The port can be taken for a moment (e.g. as a client's ephemeral port): try again soon.
      () => schedule(goUp, [500, 1000]),
    );
  };
  schedule(goDown, opts.upMs);

  return {
    name: p.name,
    port,
    get up() {
      return up;
    },
    close: async () => {
      closed = true;
      clearTimeout(cycle);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeServer(srv, sockets);
    },
  };
}

/** A TCP echo server (for the TCP-mode frontend); answers each chunk with the same bytes. */
export async function startEchoBackend(name: string): Promise<Closable> {
  const sockets = new Set<Socket>();
  const srv = createTcpServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
    s.on("data", (d) => s.write(d));
  });
  const port = await listen(srv, 0);
  return { name, port, close: () => closeServer(srv, sockets) };
}
