/**
 * A test lab whose traffic is filtered by maps and ACLs, as an SRE's live block list is: a
 * frontend `fe_maps` that denies (403) a source found in an ACL file or in a map, a header-keyed
 * map (keys with spaces and backslashes reach HAProxy through the CLI's escaping), and a routing
 * map whose values are used. Used by the map fixtures capture, the integration tests and the e2e.
 */
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { freePort } from "../../lab/index.js";
import { HaproxyLab, type LabOptions } from "../../lab/test-lab.js";

/** What the lab's files hold at start (one entry per line; comments and a blank line too). */
export const MAP_FILES = {
  "blocked.acl": "# blocked sources\n10.66.0.1\n10.66.0.0/24\n\n192.0.2.7\n",
  "block.map": "# source -> reason\n10.77.0.1 abuse\n10.77.0.0/16 scanner\n",
  "hdr.map": "alpha first\nbeta second value\n",
  "routes.map": "example.com be_maps\napi.example.com be_maps\n",
} as const;

export type MapFile = keyof typeof MAP_FILES;

/** The lab with `fe_maps` on `mapsPort` (started by `start()`). */
export class MapLab extends HaproxyLab {
  mapsPort = 0;

  constructor(opts: LabOptions = {}) {
    super(opts);
  }

  /** The absolute path of one of the lab's map/ACL files. */
  file(name: MapFile): string {
    return join(this.dir, name);
  }

  override config(): string {
    const f = (n: MapFile) => this.file(n);
    return `${super.config()}frontend fe_maps
    bind 127.0.0.1:${this.mapsPort}
    http-request deny if { src -f ${f("blocked.acl")} }
    http-request deny if { src,map_ip(${f("block.map")}) -m found }
    http-request deny if { req.hdr(x-client),map(${f("hdr.map")}) -m found }
    http-request set-header x-route %[req.hdr(host),map(${f("routes.map")},be_maps)]
    default_backend be_maps
# Only the answering origin (be_app also has a DOWN server, which fails requests until checked).
backend be_maps
    server origin 127.0.0.1:${this.ports.origin}
`;
  }

  override async start(): Promise<this> {
    const { writeFileSync } = await import("node:fs");
    for (const [name, text] of Object.entries(MAP_FILES)) writeFileSync(join(this.dir, name), text);
    this.mapsPort = await freePort();
    return super.start();
  }
}

/**
 * One GET to `fe_maps` from the local address `from` (any 127.0.0.0/8 address works on Linux
 * loopback), with optional headers; resolves to the HTTP status.
 */
export function mapsGet(
  lab: MapLab,
  from = "127.0.0.1",
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: lab.mapsPort,
        path: "/",
        localAddress: from,
        headers: { connection: "close", ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}
