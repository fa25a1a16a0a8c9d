/**
 * A bounded traffic generator for the lab (loopback only). Mix:
 * - a steady stream of HTTP requests to fe_web and fe_api (static files, pages, API calls, some
 *   404/403/401/400/429 and server 500/503), slowly swelling and ebbing, with a burst every ~15 s;
 * - requests to be_slow (1–2 s) and a few very slow requests held open (5–15 s), so `show sess`
 *   always lists live HTTP streams;
 * - every ~20 s a few seconds of pressure on fe_api (more concurrent clients than its maxconn);
 * - long-lived TCP connections to fe_tcp that send a line now and then;
 * - now and then a malformed request (raw bytes over TCP), and a request whose response is
 *   malformed, so `show errors` has events on both sides.
 * Never more than `maxRate` requests/s and `maxInFlight` requests at once; `stop()` ends it all.
 */
import { Agent, type ClientRequest, request } from "node:http";
import { connect, type Socket } from "node:net";

export interface TrafficTargets {
  web: number;
  api: number;
  tcp: number;
}

export interface TrafficOptions {
  /** Hard cap on new HTTP requests per second (default 200). */
  maxRate?: number;
  /** Base request rate (default 45/s); bursts go to ~3.5 times that, within maxRate. */
  baseRate?: number;
  /** Cap on HTTP requests in flight (default 160). */
  maxInFlight?: number;
  /** Long-lived TCP connections to fe_tcp (default 8). */
  tcpConnections?: number;
  /** Slow HTTP requests held open at all times (default 6). */
  heldRequests?: number;
}

export interface TrafficStats {
  started: number;
  answered: number;
  byClass: Record<"2xx" | "3xx" | "4xx" | "5xx", number>;
  failed: number;
  malformed: number;
  tcpOpened: number;
  inFlight: number;
}

const HOST = "127.0.0.1";
const rand = (min: number, max: number) => min + Math.random() * (max - min);
const randInt = (min: number, max: number) => Math.floor(rand(min, max + 1));

interface Req {
  port: number;
  method: "GET" | "POST";
  path: string;
  agent: Agent;
  body?: string;
}

/** Raw requests HAProxy refuses with 400 and records in `show errors`. */
const MALFORMED = [
  "GET /\x01bad HTTP/1.1\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: demo\r\nBad Header: yes\r\n\r\n",
  "G@T /index.html HTTP/1.1\r\nHost: demo\r\n\r\n",
  "GET /search?q=a b HTTP/1.1\r\nHost: demo\r\n\r\n",
  "POST /cart HTTP/1.1\r\nHost: demo\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  "POST /login HTTP/1.1\r\nHost: demo\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
];

export class Traffic {
  private readonly maxRate: number;
  private readonly baseRate: number;
  private readonly maxInFlight: number;
  private readonly webAgent = new Agent({ keepAlive: true, maxSockets: 48, maxFreeSockets: 16 });
  private readonly apiAgent = new Agent({ keepAlive: true, maxSockets: 26, maxFreeSockets: 6 });
  private readonly slowAgent = new Agent({ keepAlive: false, maxSockets: 16 });
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<ClientRequest>();
  private readonly sockets = new Set<Socket>();
  private readonly t0 = Date.now();
  private tokens = 0;
  private owed = 0;
  private burstUntil = 0;
  private pressureUntil = 0;
  private stopped = false;
  private readonly counts: TrafficStats = {
    started: 0,
    answered: 0,
    byClass: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 },
    failed: 0,
    malformed: 0,
    tcpOpened: 0,
    inFlight: 0,
  };

  constructor(
    private readonly to: TrafficTargets,
    private readonly opts: TrafficOptions = {},
  ) {
    this.maxRate = opts.maxRate ?? 200;
    this.baseRate = Math.min(opts.baseRate ?? 45, this.maxRate);
    this.maxInFlight = opts.maxInFlight ?? 160;
  }

  start(): this {
    const tickMs = 50;
    this.every(tickMs, () => this.tick(tickMs));
    this.after(rand(12_000, 18_000), () => this.burst());
    this.after(rand(8_000, 12_000), () => this.pressure());
    // The first malformed request and broken response come early, so `show errors` fills at once.
    this.after(300, () => this.malformed(true));
    this.after(800, () => this.brokenResponse());
    for (let i = 0; i < (this.opts.heldRequests ?? 6); i++) this.after(i * 150, () => this.held());
    for (let i = 0; i < (this.opts.tcpConnections ?? 8); i++) this.after(i * 100, () => this.tcpClient(i));
    return this;
  }

  stats(): TrafficStats {
    return { ...this.counts, byClass: { ...this.counts.byClass }, inFlight: this.requests.size };
  }

  /** Ends every timer, request and connection. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    this.timers.clear();
    for (const r of this.requests) r.destroy();
    this.requests.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.webAgent.destroy();
    this.apiAgent.destroy();
    this.slowAgent.destroy();
  }

  // ---- scheduling -------------------------------------------------------------------------------

  private after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  /** Current wanted rate: a slow swell (period ~2 min), times 3.5 during a burst. */
  private rate(now: number): number {
    const swell = 1 + 0.35 * Math.sin(((now - this.t0) / 120_000) * 2 * Math.PI);
    const r = this.baseRate * swell * (now < this.burstUntil ? 3.5 : 1);
    return Math.min(r, this.maxRate);
  }

  private tick(tickMs: number): void {
    const now = Date.now();
    // Token bucket: the hard cap over every HTTP request, held ones and pressure included.
    this.tokens = Math.min(this.tokens + (this.maxRate * tickMs) / 1000, this.maxRate / 10);
    this.owed += (this.rate(now) * tickMs) / 1000;
    while (this.owed >= 1) {
      this.owed -= 1;
      if (!this.take()) {
        this.owed = 0;
        break;
      }
      this.send(this.pick());
    }
  }

  /** Takes one token if the rate and in-flight caps allow another request. */
  private take(): boolean {
    if (this.stopped || this.tokens < 1 || this.requests.size >= this.maxInFlight) return false;
    this.tokens -= 1;
    return true;
  }

  private burst(): void {
    this.burstUntil = Date.now() + rand(2500, 4000);
    this.after(rand(13_000, 17_000), () => this.burst());
  }

  /** Several seconds with more concurrent clients on fe_api than its maxconn (20). */
  private pressure(): void {
    this.pressureUntil = Date.now() + rand(4000, 7000);
    for (let i = 0; i < 24; i++) this.after(i * 40, () => this.pressureLoop());
    this.after(rand(18_000, 25_000), () => this.pressure());
  }

  private pressureLoop(): void {
    if (Date.now() >= this.pressureUntil) return;
    const again = () => this.after(rand(0, 30), () => this.pressureLoop());
    if (!this.take()) {
      this.after(50, () => this.pressureLoop());
      return;
    }
    this.send(
      {
        port: this.to.api,
        method: "GET",
        path: `/api/v1/report?id=${randInt(1, 999)}`,
        agent: this.apiAgent,
      },
      again,
    );
  }

  /** One request held open for 5–15 s on be_slow; replaced when it ends. */
  private held(): void {
    const next = () => this.after(rand(100, 800), () => this.held());
    if (!this.take()) {
      next();
      return;
    }
    this.send(
      {
        port: this.to.web,
        method: "GET",
        path: `/slow/hold?ms=${randInt(5000, 15_000)}`,
        agent: this.slowAgent,
      },
      next,
    );
  }

  // ---- the mix ----------------------------------------------------------------------------------

  private pick(): Req {
    const web = (path: string, method: "GET" | "POST" = "GET", body?: string): Req => ({
      port: this.to.web,
      method,
      path,
      agent: this.webAgent,
      body,
    });
    const api = (path: string, method: "GET" | "POST" = "GET", body?: string): Req => ({
      port: this.to.api,
      method,
      path,
      agent: this.apiAgent,
      body,
    });
    const r = Math.random() * 100;
    if (r < 12) return web("/");
    if (r < 34) return web(`/static/${["app.js", "app.css", "logo.png", "font.woff2"][randInt(0, 3)]}`);
    if (r < 50) return web(`/products/${randInt(1, 500)}`);
    if (r < 57) return web(`/search?q=${["haproxy", "ink", "top", "socket"][randInt(0, 3)]}`);
    if (r < 60) return web("/cart", "POST", JSON.stringify({ item: randInt(1, 500), qty: randInt(1, 3) }));
    if (r < 62.5) return web("/login", "POST", "user=demo&password=secret");
    if (r < 64.5) return web(`/missing/${randInt(1, 50)}`);
    if (r < 65.3) return web("/admin");
    if (r < 67) return web("/old-page");
    if (r < 68) return web(`/backup-${randInt(1, 9)}.bak`);
    if (r < 71) return web(`/slow/report?id=${randInt(1, 99)}`);
    if (r < 84) return api("/api/v1/items");
    if (r < 92) return api(`/api/v1/items/${randInt(1, 2000)}`);
    if (r < 98.5) return api("/api/v1/orders", "POST", JSON.stringify({ sku: randInt(1, 2000) }));
    return api(`/missing/api/${randInt(1, 20)}`);
  }

  private send(q: Req, done?: () => void): void {
    this.counts.started++;
    let finished = false;
    const finish = (status?: number) => {
      if (finished) return;
      finished = true;
      this.requests.delete(req);
      if (status === undefined) this.counts.failed++;
      else {
        this.counts.answered++;
        const cls = `${Math.floor(status / 100)}xx` as keyof TrafficStats["byClass"];
        if (cls in this.counts.byClass) this.counts.byClass[cls]++;
      }
      if (!this.stopped) done?.();
    };
    const headers: Record<string, string | number> = { host: "demo.local", "user-agent": "haptop-demo/1.0" };
    if (q.body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(q.body);
    }
    const req = request({
      host: HOST,
      port: q.port,
      method: q.method,
      path: q.path,
      agent: q.agent,
      headers,
    });
    this.requests.add(req);
    req.setTimeout(30_000, () => req.destroy());
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => finish(res.statusCode));
      res.on("error", () => finish());
      res.on("aborted", () => finish());
    });
    req.on("error", () => finish());
    req.on("close", () => finish());
    req.end(q.body);
  }

  // ---- raw requests -----------------------------------------------------------------------------

  /** A request HAProxy refuses (400) and captures in `show errors`; then the next one in 6–12 s. */
  private malformed(first = false): void {
    const payload = MALFORMED[first ? 0 : randInt(0, MALFORMED.length - 1)]!;
    const port = first || Math.random() < 0.7 ? this.to.web : this.to.api;
    const s = connect({ host: HOST, port });
    this.sockets.add(s);
    s.setTimeout(5000, () => s.destroy());
    s.on("connect", () => s.write(payload, "latin1"));
    s.on("data", () => s.end());
    s.on("error", () => s.destroy());
    s.on("close", () => this.sockets.delete(s));
    this.counts.malformed++;
    this.after(rand(6000, 12_000), () => this.malformed());
  }

  /** A request whose server answers with an invalid response (502, `show errors` response side). */
  private brokenResponse(): void {
    if (this.take()) this.send({ port: this.to.web, method: "GET", path: "/broken", agent: this.slowAgent });
    this.after(rand(20_000, 40_000), () => this.brokenResponse());
  }

  /** A long-lived TCP connection that sends a line every 1–3 s, lives 20–90 s, then reconnects. */
  private tcpClient(i: number): void {
    if (this.stopped) return;
    const s = connect({ host: HOST, port: this.to.tcp });
    this.sockets.add(s);
    this.counts.tcpOpened++;
    let n = 0;
    let ping: NodeJS.Timeout | undefined;
    const end = setTimeout(() => s.end(), rand(20_000, 90_000));
    this.timers.add(end);
    s.on("connect", () => {
      const loop = () => {
        if (s.destroyed) return;
        s.write(`ping ${i}.${n++} ${"x".repeat(randInt(0, 200))}\n`);
        ping = setTimeout(loop, rand(1000, 3000));
      };
      // Connection 0 stays silent: an idle long-lived session.
      if (i !== 0) loop();
    });
    s.on("data", () => {});
    s.on("error", () => s.destroy());
    s.on("close", () => {
      clearTimeout(ping);
      clearTimeout(end);
      this.timers.delete(end);
      this.sockets.delete(s);
      this.after(rand(500, 2000), () => this.tcpClient(i));
    });
  }
}

export function startTraffic(to: TrafficTargets, opts: TrafficOptions = {}): Traffic {
  return new Traffic(to, opts).start();
}
