/**
 * A test lab with stick tables fed by real traffic, as an SRE sees them during an attack: a frontend
 * `fe_track` tracking each source address in `st_src` (request rate, gpc0, connection counters…)
 * and an `x-user` header in the string table `st_user` (keys are whatever the client sent: spaces,
 * quotes, `=`, tabs, UTF-8). Used by the table fixtures capture, the integration tests and the e2e.
 */
import { connect } from "node:net";
import { freePort } from "../../lab/index.js";
import { HaproxyLab, type LabOptions } from "../../lab/test-lab.js";

/** What `st_src` stores: the counters a rate-limit setup keeps per source. */
export const ST_SRC_STORE =
  "http_req_rate(10s),gpc0,conn_cur,conn_rate(10s),gpt0,http_err_rate(10s),bytes_out_rate(10s)";

/** The lab with `fe_track` on `trackPort` (started by `start()`). */
export class TableLab extends HaproxyLab {
  trackPort = 0;

  constructor(opts: LabOptions = {}) {
    super(opts);
  }

  override config(): string {
    return `${super.config()}frontend fe_track
    bind 127.0.0.1:${this.trackPort}
    http-request track-sc0 src table st_src
    http-request track-sc1 req.hdr(x-user) table st_user if { req.hdr(x-user) -m found }
    default_backend be_app
backend st_src
    stick-table type ip size 100k expire 60s store ${ST_SRC_STORE}
backend st_user
    stick-table type string len 64 size 1k expire 60s store gpc0,http_req_rate(10s)
backend st_empty
    stick-table type integer size 10 expire 60s store gpc0
`;
  }

  override async start(): Promise<this> {
    this.trackPort = await freePort();
    return super.start();
  }
}

/**
 * One HTTP/1.0 GET to `fe_track` from the local address `from` (any 127.0.0.0/8 address works on
 * Linux loopback), written raw so that header values may hold any byte HAProxy accepts (spaces,
 * quotes, tabs, latin1): resolves to the status code (0 when there is none).
 */
export function trackGet(
  port: number,
  from = "127.0.0.1",
  headers: Record<string, string> = {},
): Promise<number> {
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const payload = Buffer.from(`GET / HTTP/1.0\r\nHost: lab\r\n${head}\r\n`, "latin1");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect({ host: "127.0.0.1", port, localAddress: from }, () => s.write(payload));
    s.on("data", (c: Buffer) => chunks.push(c));
    s.on("error", reject);
    s.on("close", () => {
      const m = /^HTTP\/1\.\d (\d{3})/.exec(Buffer.concat(chunks).toString("latin1"));
      resolve(m ? Number(m[1]) : 0);
    });
  });
}

/** `n` GETs from `from`, one after the other; resolves to how many answered 200. */
export async function trackGets(port: number, from: string, n: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) if ((await trackGet(port, from)) === 200) ok++;
  return ok;
}

/** Header values that make hostile string-table keys (HAProxy prints them raw in `show table`). */
export const HOSTILE_USERS = [
  "alice",
  "bob smith",
  'quote"d',
  "eq=sign use=9 exp=1",
  "tab\there",
  "semi;colon\\back",
  "caf\u00e9",
] as const;
