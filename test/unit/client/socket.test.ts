import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CommandError, SocketError } from "../../../src/client/errors.js";
import { checkReply, escapeArg, request, runCommand, splitReplies } from "../../../src/client/socket.js";
import type { Target } from "../../../src/client/target.js";

// A fake HAProxy, only for what a real one cannot produce: garbage, slowness, truncation.
const dir = mkdtempSync(join(tmpdir(), "haptop-fake-"));
let server: Server | null = null;
let n = 0;

async function fake(onLine: (line: string, sock: Socket) => void): Promise<Target> {
  const path = join(dir, `fake${n++}.sock`);
  server = createServer((sock) => {
    let buf = "";
    sock.on("data", (d) => {
      buf += d.toString("latin1");
      const i = buf.indexOf("\n");
      if (i >= 0) onLine(buf.slice(0, i), sock);
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server!.listen(path, r));
  return { kind: "unix", path };
}

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

const err = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as SocketError;
  }
  throw new Error("expected a rejection");
};

describe("splitReplies", () => {
  const t: Target = { kind: "unix", path: "/x" };
  it("splits one output per command, each closed by an empty line", () => {
    expect(splitReplies("a\nb\n\n\nc\n\n", 3, t)).toEqual(["a\nb\n", "", "c\n"]);
  });
  it("treats a reply with fewer outputs than commands as cut short", () => {
    expect(() => splitReplies("a\n\nb\n", 2, t)).toThrow(/closed the connection/);
    expect(() => splitReplies("a\nb", 1, t)).toThrow(SocketError);
  });
});

describe("request against a fake socket", () => {
  it("sends the batch on one line and splits the replies", async () => {
    let seen = "";
    const t = await fake((line, s) => {
      seen = line;
      s.end("level: admin\n\nName: x\n\n");
    });
    expect(await request(t, ["show cli level", "show info"])).toEqual(["level: admin\n", "Name: x\n"]);
    expect(seen).toBe("show cli level;show info");
  });

  it("times out on a silent HAProxy", async () => {
    const t = await fake(() => {});
    const e = await err(request(t, ["show info"], { timeoutMs: 150 }));
    expect(e.code).toBe("timeout");
    expect(e.message).toMatch(/150 ms/);
  });

  it("refuses a reply over the size cap", async () => {
    const t = await fake((_l, s) => s.end("x".repeat(5000)));
    const e = await err(request(t, ["show stat"], { maxBytes: 1000 }));
    expect(e.code).toBe("too-large");
  });

  it("reports a connection closed before the answer ended", async () => {
    const t = await fake((_l, s) => s.end("# pxname,svname\nfe,FRONT"));
    expect((await err(request(t, ["show stat"]))).code).toBe("closed-early");
    const t2 = await fake((_l, s) => s.destroy());
    expect((await err(request(t2, ["show info"]))).code).toBe("closed-early");
  });

  it("turns garbage into a typed error that says it is not HAProxy, escaped, not a crash", async () => {
    const t = await fake((_l, s) => s.end("\x00\x1b[2Jgarbage\n\n"));
    const e = await err(runCommand(t, "show info", { expectPrefix: "Name:" }));
    expect(e).toBeInstanceOf(CommandError);
    expect((e as unknown as CommandError).code).toBe("not-haproxy");
    expect(e.message).toContain("not as HAProxy's Runtime API does");
    expect(e.message).toContain("\\x00\\x1b[2Jgarbage");
    expect(e.message).not.toMatch(/[\x00-\x1f]/);
  });

  it("decodes the reply as UTF-8 across chunk boundaries (no mojibake), invalid bytes kept escaped", async () => {
    const bytes = Buffer.concat([
      Buffer.from("node: caf\u00e9 \u6771\u4eac "),
      Buffer.from([0xff]),
      Buffer.from("\n\n"),
    ]);
    const t = await fake((_l, s) => {
      // "é" is c3 a9: the first chunk ends between the two bytes.
      s.write(bytes.subarray(0, 10));
      setTimeout(() => s.end(bytes.subarray(10)), 30);
    });
    const [out] = await request(t, ["show info"]);
    expect(out).toBe("node: caf\u00e9 \u6771\u4eac \udcff\n");
  });

  it("refuses commands with line breaks (no second command can be smuggled in)", async () => {
    const t = await fake((_l, s) => s.end("\n"));
    await expect(request(t, ["show info\nshutdown frontend x"])).rejects.toThrow(/line break/);
  });
});

describe("socket faults", () => {
  it("names a missing socket", async () => {
    const e = await err(request({ kind: "unix", path: join(dir, "nope.sock") }, ["show info"]));
    expect(e.code).toBe("socket-missing");
    expect(e.message).toContain("nope.sock");
  });

  it("names a file that is not a socket", async () => {
    const f = join(dir, "plain-file");
    writeFileSync(f, "x");
    expect((await err(request({ kind: "unix", path: f }, ["show info"]))).code).toBe("not-a-socket");
  });

  it("names a refused TCP connection", async () => {
    const srv = createServer();
    const port = await new Promise<number>((r) =>
      srv.listen(0, "127.0.0.1", () => r((srv.address() as { port: number }).port)),
    );
    await new Promise<void>((r) => srv.close(() => r()));
    const e = await err(request({ kind: "tcp", host: "127.0.0.1", port }, ["show info"]));
    expect(e.code).toBe("connection-refused");
    expect(e.message).toContain(`127.0.0.1:${port}`);
  });

  it("suggests the socket's group or sudo on permission denied", async () => {
    if (process.getuid?.() === 0) {
      // root bypasses file permissions: check the mapping itself.
      const { fromNodeError } = await import("../../../src/client/errors.js");
      const e = fromNodeError(Object.assign(new Error("x"), { code: "EACCES" }), {
        kind: "unix",
        path: "/s",
      });
      expect(e.code).toBe("permission-denied");
      expect(e.hint).toMatch(/group.*sudo/);
      return;
    }
    const t = await fake(() => {});
    const { chmodSync } = await import("node:fs");
    chmodSync((t as { path: string }).path, 0);
    expect((await err(request(t, ["show info"]))).code).toBe("permission-denied");
  });
});

describe("checkReply and escapeArg", () => {
  it("recognises HAProxy's refusals", () => {
    expect(() => checkReply("show sess", "Permission denied\n")).toThrow(/Permission denied/);
    expect(() => checkReply("show foo", "Unknown command, but maybe...\n  show x\n")).toThrow(
      /does not know/,
    );
    expect(() => checkReply("show stat x -1 -1", "No such proxy.\n", "# ")).toThrow(/No such proxy/);
    expect(checkReply("show stat", "# pxname\n", "# ")).toBe("# pxname\n");
  });
  it("escapes ; and \\", () => {
    expect(escapeArg("a;b\\c")).toBe("a\\;b\\\\c");
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("splitReplies keeps the last output whole", () => {
  const t: Target = { kind: "unix", path: "/x" };
  it("even when it has empty lines of its own", () => {
    expect(splitReplies("a\n\nerr1\n\nerr2\n\n", 2, t)).toEqual(["a\n", "err1\n\nerr2\n"]);
  });
  it("and a lone empty line is an empty output", () => {
    expect(splitReplies("\n", 1, t)).toEqual([""]);
    expect(splitReplies("a\n\n\n", 2, t)).toEqual(["a\n", ""]);
  });
});
