/**
 * MasterRoute (src/actions/masterRoute.ts) without HAProxy: where the master CLI is looked for,
 * that a worker can be watched only once a master CLI is known, and what polls go to.
 * The search in /proc on a real master-worker HAProxy is in test/integration/process.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MasterRoute, routedPolling } from "../../../src/actions/masterRoute.js";
import type { Target } from "../../../src/client/target.js";

const home: Target = { kind: "unix", path: "/nonexistent/admin.sock" };
let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe("MasterRoute", () => {
  it("--master-socket is used as given; then a worker can be watched and polls go through it", async () => {
    const route = new MasterRoute(home, { masterSocket: "/tmp/m.sock", timeoutMs: 100 });
    expect(route.watch(12)).toEqual({ error: expect.stringMatching(/no master CLI known/) });
    expect(await route.findMaster()).toEqual({
      target: { kind: "unix", path: "/tmp/m.sock" },
      how: "--master-socket",
    });
    expect(route.watch(12)).toEqual({
      target: { kind: "worker", master: { kind: "unix", path: "/tmp/m.sock" }, pid: 12 },
    });
    expect(route.current()).toMatchObject({ kind: "worker", pid: 12 });
    expect(route.watch(-3)).toEqual({ error: "not a process id: -3" });
    expect(route.watch(null)).toEqual({ target: home });
    expect(route.current()).toBe(home);
  });

  it("routedPolling's retarget says where the polls go now", async () => {
    const route = new MasterRoute(home, { masterSocket: "/tmp/m.sock", timeoutMs: 100 });
    const io = routedPolling(route, { timeoutMs: 100 });
    expect(io.retarget(5)).toEqual({ error: expect.any(String) });
    await route.findMaster();
    expect(io.retarget(5)).toEqual({
      target: "/tmp/m.sock @!5",
      via: { pid: 5, master: "/tmp/m.sock", home: "/nonexistent/admin.sock" },
    });
    expect(io.retarget(null)).toEqual({ target: "/nonexistent/admin.sock", via: null });
  });

  it("Debian's default path only beside a local UNIX socket, and only when it exists", async () => {
    dir = mkdtempSync(join(tmpdir(), "haptop-mroute-"));
    const path = join(dir, "haproxy-master.sock");
    // The home socket does not answer: no parent to read, so the default path decides.
    const route = () => new MasterRoute(home, { timeoutMs: 100, defaultMasterSocket: path, procRoot: dir! });
    await expect(route().findMaster()).rejects.toThrow(/no master CLI found .*: pass --master-socket/);
    writeFileSync(path, "");
    expect(await route().findMaster()).toEqual({ target: { kind: "unix", path }, how: "default path" });
    const remote = new MasterRoute(
      { kind: "tcp", host: "10.0.0.1", port: 9999 },
      { timeoutMs: 100, defaultMasterSocket: path },
    );
    await expect(remote.findMaster()).rejects.toThrow(/remote target: pass --master-socket/);
  });

  it("a master query without a master CLI is the query's error, not a throw", async () => {
    const route = new MasterRoute({ kind: "tcp", host: "10.0.0.1", port: 9999 }, { timeoutMs: 100 });
    const out = await route.fetchExtra({
      key: "master:x",
      commands: ["show proc"],
      to: "master",
      parse: () => 1,
    });
    expect(out).toEqual({ ok: false, error: expect.stringMatching(/pass --master-socket/) });
    expect(
      await new MasterRoute(home, { masterSocket: "bad:port:x", timeoutMs: 100 }).fetchMaster({
        key: "master:x",
        commands: ["show proc"],
        parse: () => 1,
      }),
    ).toEqual({
      ok: false,
      error: expect.stringMatching(/^--master-socket: /),
    });
  });

  it("a poll through the master must be answered by the pid asked for", async () => {
    dir = mkdtempSync(join(tmpdir(), "haptop-mroute-"));
    const sock = join(dir, "master.sock");
    const fx = (f: string) =>
      readFileSync(new URL(`../../fixtures/haproxy-3.2.0/${f}`, import.meta.url), "latin1");
    const info = fx("show-info.txt");
    const pidInReply = Number(/^Pid: (\d+)$/m.exec(info)![1]);
    const lines: string[] = [];
    // A fake master CLI: reads the request until the client half-closes, answers every command.
    const server = createServer((c) => {
      let req = "";
      c.on("data", (d) => {
        req += d.toString();
      });
      c.on("end", () => {
        lines.push(req);
        c.end(`admin\n\n${info}${fx("show-stat.txt")}${fx("show-servers-state.txt")}`);
      });
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const route = new MasterRoute(home, { masterSocket: sock, timeoutMs: 2000 });
      await route.findMaster();
      const demand = { sessions: false, errors: false };
      route.watch(pidInReply);
      const ok = await route.poll(demand, true, { timeoutMs: 2000 });
      expect(ok.snapshot.info.Pid).toBe(pidInReply);
      expect(lines[0]).toBe(
        `@!${pidInReply} show cli level;@!${pidInReply} show info;@!${pidInReply} show stat;@!${pidInReply} show servers state\n`,
      );
      route.watch(pidInReply + 1);
      await expect(route.poll(demand, true, { timeoutMs: 2000 })).rejects.toThrow(
        new RegExp(`the master relayed to pid ${pidInReply}, not ${pidInReply + 1}`),
      );
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
