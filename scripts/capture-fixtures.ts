/**
 * Captures the Runtime API replies of every HAProxy release of the test matrix into
 * test/fixtures/haproxy-<version>/ (issue 8, point 3), so the parsers are tested on what each release
 * really prints. Run: `npx tsx scripts/capture-fixtures.ts` (add release binaries with
 * HAPTOP_TEST_HAPROXY, see test/helpers/releases.ts).
 *
 * Each release runs the test lab (lab/test-lab.ts) on 127.0.0.1 with some traffic, a DOWN
 * server, one server in MAINT and one in DRAIN (administrative states), a backend whose description
 * needs CSV quoting, a live TCP session and a captured protocol error. Only loopback addresses,
 * temp paths and pids end up in the files: nothing to anonymise.
 *
 * The certificate replies (ssl-*.txt: `show ssl cert`, `show ssl crt-list`, `show ssl sni`) need a
 * lab serving certificates made with openssl: scripts/capture-cert-fixtures.ts captures them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { waitFor } from "../lab/index.js";
import type { Release } from "../lab/releases.js";
import { HaproxyLab, httpGets } from "../lab/test-lab.js";
import { runCommand, sendRaw } from "../src/client/socket.js";
import type { Target } from "../src/client/target.js";
import { captureEachRelease, FIXTURES } from "./captureKit.js";

/** The commands captured, and the file each reply goes to. */
export const CAPTURED: readonly { command: string; file: string }[] = [
  { command: "show info", file: "show-info.txt" },
  { command: "show stat", file: "show-stat.txt" },
  { command: "show sess", file: "show-sess.txt" },
  { command: "show errors", file: "show-errors.txt" },
  { command: "show servers state", file: "show-servers-state.txt" },
  { command: "show cli level", file: "show-cli-level.txt" },
  { command: "show version", file: "show-version.txt" },
];

/**
 * The test lab plus servers in administrative states (MAINT, DRAIN) and a server whose health check
 * gets an HTTP reason phrase with a comma and quotes: HAProxy must quote that `last_chk` in CSV.
 */
class CaptureLab extends HaproxyLab {
  oddPort = 0;
  override config(): string {
    const origin = this.ports.origin;
    return `${super.config()}backend be_admin
    server s_maint 127.0.0.1:${origin}
    server s_drain 127.0.0.1:${origin}
    server s_ready 127.0.0.1:${origin}
backend be_chk
    option httpchk GET /
    server odd 127.0.0.1:${this.oddPort} check inter 500ms fall 1
`;
  }
}

/** An origin that answers every request with a 503 whose reason phrase needs CSV quoting. */
async function oddOrigin(): Promise<Server> {
  const srv = createServer((s) => {
    s.on("error", () => {});
    s.once("data", () => s.end('HTTP/1.0 503 Down, "really"\r\nContent-Length: 0\r\n\r\n'));
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return srv;
}

/** An HTTP request HAProxy rejects (a control byte in a header name): `show errors` captures it. */
const BAD_REQUEST = "GET /bad HTTP/1.1\r\nHost: lab\r\nX-Bad\u0001Name: 1\r\n\r\n";

function rawExchange(port: number, payload: string): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port }, () => s.end(payload));
    s.on("data", () => {});
    s.on("error", () => resolve());
    s.on("close", () => resolve());
  });
}

async function capture(release: Release): Promise<string> {
  const lab = new CaptureLab({ release });
  const odd = await oddOrigin();
  lab.oddPort = (odd.address() as AddressInfo).port;
  const held: Socket[] = [];
  try {
    await lab.start();
    const admin: Target = { kind: "unix", path: lab.adminSock };
    await runCommand(admin, "set server be_admin/s_maint state maint");
    await runCommand(admin, "set server be_admin/s_drain state drain");
    await httpGets(lab.ports.http, 20);
    await rawExchange(lab.ports.http, BAD_REQUEST);
    // A live session: a TCP client that stays connected (fe_tcp → be_tcp/tcp1).
    const live = connect({ host: "127.0.0.1", port: lab.ports.tcp });
    live.on("error", () => {});
    held.push(live);
    await waitFor(
      async () => {
        const stat = await runCommand(admin, "show stat");
        const down = /^be_app,app_down,.*,DOWN,/m.test(stat) && stat.includes('"Down, ""really"""');
        const sess = (await runCommand(admin, "show sess")).includes("fe=fe_tcp");
        return down && sess;
      },
      10_000,
      "a DOWN server and a live session",
    );
    const dir = join(FIXTURES, `haproxy-${release.version}`);
    mkdirSync(dir, { recursive: true });
    for (const { command, file } of CAPTURED) {
      // The raw reply, as the socket gives it (ends with the empty line that closes a CLI answer).
      const reply = await sendRaw(admin, command);
      writeFileSync(join(dir, file), reply, "latin1");
    }
    // The same at user level: what a read-only dashboard socket answers.
    writeFileSync(
      join(dir, "user-show-cli-level.txt"),
      await sendRaw({ kind: "unix", path: lab.userSock }, "show cli level"),
      "latin1",
    );
    writeFileSync(
      join(dir, "user-show-sess.txt"),
      await sendRaw({ kind: "unix", path: lab.userSock }, "show sess"),
      "latin1",
    );
    return dir;
  } finally {
    for (const s of held) s.destroy();
    await lab.stop();
    await new Promise<void>((r) => odd.close(() => r()));
  }
}

captureEachRelease(import.meta.url, "capture-fixtures", capture);
