/**
 * lab/haproxy.ts on a real HAProxy of every release: each mode starts and answers on its socket,
 * and `stop()` ends every process of the lab found by its command line — master, new worker and an
 * old worker that a reload left serving a live connection — whatever the binary is called
 * (haproxy, haproxy-3.2.0). A config HAProxy rejects fails the start with HAProxy's own message.
 */
import { writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import {
  cli,
  freePorts,
  type HaproxyMode,
  type HaproxyProcess,
  isAlive,
  makeLabDir,
  pidsMentioning,
  removeLabDir,
  startHaproxy,
  waitFor,
} from "../../../lab/index.js";
import { describeEachRelease } from "../../helpers/matrix.js";

/** A TCP echo origin in this process: a connection through HAProxy to it stays open as long as we want. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  return { server, port: typeof addr === "object" && addr ? addr.port : 0 };
}

function config(dir: string, port: number, origin: number): string {
  return `global
    stats socket ${dir}/admin.sock mode 600 level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend fe_tcp
    bind 127.0.0.1:${port}
    default_backend be_tcp
backend be_tcp
    server echo1 127.0.0.1:${origin}
`;
}

interface Started {
  dir: string;
  haproxy: HaproxyProcess;
  port: number;
}

describeEachRelease("lab: start and stop by pid", (release) => {
  const dirs: string[] = [];
  const procs: HaproxyProcess[] = [];
  const sockets: Socket[] = [];
  let echo: { server: Server; port: number } | undefined;

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(procs.map((p) => p.stop()));
    echo?.server.close();
    for (const d of dirs) removeLabDir(d);
  });

  async function start(mode: HaproxyMode): Promise<Started> {
    echo ??= await echoServer();
    const dir = makeLabDir("haptop-labt-");
    dirs.push(dir);
    const [port] = await freePorts(1, [echo.port]);
    const cfg = join(dir, "haproxy.cfg");
    writeFileSync(cfg, config(dir, port!, echo.port));
    const haproxy = await startHaproxy({
      bin: release.bin,
      cfg,
      mode,
      statsSock: join(dir, "admin.sock"),
      logfile: join(dir, "haproxy.log"),
      pidfile: mode === "daemon" ? join(dir, "haproxy.pid") : undefined,
      masterSock: mode === "master-worker" ? join(dir, "master.sock") : undefined,
    });
    procs.push(haproxy);
    return { dir, haproxy, port: port! };
  }

  /** A TCP connection through HAProxy that has carried data, so the worker serving it is busy. */
  async function liveConnection(port: number): Promise<void> {
    const s = connect({ port, host: "127.0.0.1" });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.once("data", () => resolve());
      s.write("ping\n");
    });
  }

  it("master-worker: stop ends the master, the new worker and the old worker a reload left", async () => {
    const { dir, haproxy, port } = await start("master-worker");
    expect(haproxy.pids().length).toBeGreaterThanOrEqual(2); // master and worker
    await liveConnection(port);
    const before = haproxy.pids();
    await cli(join(dir, "master.sock"), "reload");
    // The old worker keeps serving our open connection: master, old and new worker all run.
    const all = await waitFor(
      () => {
        const now = haproxy.pids();
        return now.length >= 3 && now.some((p) => !before.includes(p)) ? now : null;
      },
      10_000,
      "a new worker beside the old one",
    );
    await haproxy.stop();
    expect(all.filter((p) => isAlive(p))).toEqual([]);
    expect(haproxy.pids()).toEqual([]);
  });

  it("daemon: stop ends the daemon found by its command line (it is not our child)", async () => {
    const { haproxy } = await start("daemon");
    const pids = haproxy.pids();
    expect(haproxy.child).toBeUndefined();
    expect(pids.length).toBeGreaterThanOrEqual(1);
    await haproxy.stop(true);
    expect(pids.filter((p) => isAlive(p))).toEqual([]);
  });

  it("foreground: answers on its socket as our child; stop ends it", async () => {
    const { dir, haproxy } = await start("foreground");
    expect(await cli(join(dir, "admin.sock"), "show info")).toContain(`Pid: ${haproxy.child!.pid}`);
    await haproxy.stop();
    expect(isAlive(haproxy.child!.pid!)).toBe(false);
    expect(haproxy.pids()).toEqual([]);
  });

  it("a config HAProxy rejects: the start fails with HAProxy's alert and leaves no process", async () => {
    const dir = makeLabDir("haptop-labt-");
    dirs.push(dir);
    const cfg = join(dir, "haproxy.cfg");
    writeFileSync(cfg, "global\n    no-such-keyword\n");
    await expect(
      startHaproxy({
        bin: release.bin,
        cfg,
        mode: "master-worker",
        statsSock: join(dir, "admin.sock"),
        logfile: join(dir, "haproxy.log"),
        timeoutMs: 5000,
      }),
    ).rejects.toThrow(/ALERT/);
    expect(pidsMentioning(`${dir}/`, true)).toEqual([]);
  });
});
