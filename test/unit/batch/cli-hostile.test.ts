/**
 * The real CLI (`haptop --once`, `--json`) against hostile peers: every control class at once on
 * stdout and stderr, the exit code table (0 ok, 2 usage, 3 socket/unreadable), and a real HTTP
 * server on loopback as the target. Fake peers only: a real HAProxy never sends these bytes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePeer, fixture, saneReply, startFake } from "../../fuzz/fake.js";
import {
  ALL_CONTROLS,
  firstNonAsciiByte,
  firstRawControl,
  firstRawControlInBytes,
  hostileReplies,
  INVALID_UTF8,
} from "../../fuzz/hostile.js";
import { runMain } from "../../fuzz/inprocess.js";
import { CLI, ROOT } from "../../helpers/cli.js";

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** haptop from source with stdout piped (batch mode); raw bytes of both streams. */
function haptop(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "haptop-cli-hostile-"));
const bad = Buffer.concat([
  Buffer.from(ALL_CONTROLS.replace(/[\n,"]/g, ""), "utf8"),
  ...Object.values(INVALID_UTF8),
]);
const peers: FakePeer[] = [];
const peer = async (behaviour: Parameters<typeof startFake>[1]) => {
  const p = await startFake(dir, behaviour);
  peers.push(p);
  return p.target.kind === "unix" ? p.target.path : "";
};
let http: Server;
let httpPort = 0;

beforeAll(async () => {
  http = createServer((_req, res) => res.end("hello"));
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  httpPort = (http.address() as { port: number }).port;
});

afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe("haptop --once against a peer whose replies carry every control class", () => {
  let sock = "";
  beforeAll(async () => {
    const { info, stat } = hostileReplies(bad);
    sock = await peer((cmds, s) =>
      s.end(
        Buffer.concat(
          cmds.map((c) =>
            c === "show info" ? info : c.startsWith("show stat") ? stat : Buffer.from(saneReply(c)),
          ),
        ),
      ),
    );
  });

  it("text: exit 0, and stdout and stderr hold no raw control byte", async () => {
    const r = await haptop(["--once", sock]);
    expect(r.stderr.toString()).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain("pid x\\x00\\x07\\x08\\r\\t\\x1b[2J");
    expect(firstRawControlInBytes(r.stdout)).toBeNull();
  }, 60_000);

  it("json: exit 0, printable ASCII, and the exact bytes come back through JSON.parse", async () => {
    const r = await haptop(["--once", "--json", sock]);
    expect(r.code).toBe(0);
    expect(firstNonAsciiByte(r.stdout)).toBeNull();
    const doc = JSON.parse(r.stdout.toString("utf8")) as { info: { Pid: string; node: string } };
    expect(doc.info.Pid.startsWith("x\u0000\u0007")).toBe(true);
    expect(doc.info.Pid).toContain("\u202e");
  }, 60_000);
});

describe("exit codes and messages (one table: 0 ok, 1 failed action, 2 usage, 3 socket/unreadable)", () => {
  it("a reply HAProxy refuses with hostile text: exit 3, quoted escaped on stderr", async () => {
    const sock = await peer((cmds, s) =>
      s.end(
        Buffer.concat(
          cmds.map((c) =>
            c.startsWith("show stat")
              ? Buffer.concat([
                  Buffer.from("No such "),
                  bad,
                  Buffer.from("x".repeat(10_000)),
                  Buffer.from("\n\n"),
                ])
              : Buffer.from(saneReply(c)),
          ),
        ),
      ),
    );
    const r = await runMain(["--once", sock]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(firstRawControl(r.stderr)).toBeNull();
    expect(r.stderr).toMatch(/^haptop: .*: HAProxy answered "show stat" with: "No such \\x00/);
    expect(r.stderr.length).toBeLessThan(400);
  });

  it("a reply the parser cannot read (no CSV header) is 3, not 1", async () => {
    const sock = await peer((cmds, s) =>
      s.end(cmds.map((c) => (c.startsWith("show stat") ? "# pxname\n\n" : saneReply(c))).join("")),
    );
    const r = await runMain(["--once", sock]);
    expect(r.stderr).toMatch(/show stat/);
    expect(r.code).toBe(3);
  });

  it("garbage: exit 3, 'not as HAProxy's Runtime API does', first bytes escaped", async () => {
    const sock = await peer((_c, s) => s.end(bad));
    const r = await runMain(["--once", sock]);
    expect(r.code).toBe(3);
    expect(firstRawControl(r.stderr)).toBeNull();
    expect(r.stderr).toContain("the target answered, but not as HAProxy's Runtime API does");
    expect(r.stderr).toContain('(first bytes: "\\x00\\x07\\x08\\r');
  });

  it("a real HTTP server on the target port: exit 3, names it, shows its first bytes", async () => {
    const r = await haptop(["--once", `127.0.0.1:${httpPort}`]);
    expect(r.code).toBe(3);
    expect(r.stderr.toString()).toBe(
      `haptop: 127.0.0.1:${httpPort}: the target answered, but not as HAProxy's Runtime API does` +
        ` (first bytes: "HTTP/1.1 400 Bad Request\\r\\nConnection: close\\r\\n\\r\\n")\n`,
    );
  }, 60_000);

  it("bad usage is 2, with the bad target escaped", async () => {
    const r = await haptop(["--once", "ipv6@\u001b[2J:1"]);
    expect(r.code).toBe(2);
    expect(firstRawControlInBytes(r.stderr)).toBeNull();
    expect(r.stderr.toString()).toContain("\\x1b[2J");
    const opt = await runMain(["--once", "--bogus-\u009b"]);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("--bogus-\\x9b");
    expect(firstRawControl(opt.stderr)).toBeNull();
  }, 60_000);

  it("a missing socket is 3; a sane peer is 0", async () => {
    expect((await runMain(["--once", join(dir, "none.sock")])).code).toBe(3);
    const sock = await peer((cmds, s) => s.end(cmds.map(saneReply).join("")));
    const r = await runMain(["--once", sock]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`pid ${/^Pid: (\d+)/m.exec(fixture("show-info.txt"))![1]}`);
  });
});
