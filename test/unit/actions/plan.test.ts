import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { masterCommandWithPrompt, sendMaster } from "../../../src/actions/mcli.js";
import { expandConfigPaths, readProcess } from "../../../src/actions/procinfo.js";
import { planReload, ReloadPlanError } from "../../../src/actions/reload.js";
import type { Target } from "../../../src/client/target.js";

// A fake /proc and fake sockets: a stats socket answering show info, a master CLI answering show proc.
let dir: string;
let proc: string;
const servers: Server[] = [];

function fakeProcess(
  pid: number,
  opts: { argv: string[]; ppid: number; state?: string; exe?: string; cwd: string; sockets?: number[] },
) {
  const d = join(proc, String(pid));
  mkdirSync(join(d, "fd"), { recursive: true });
  writeFileSync(join(d, "cmdline"), `${opts.argv.join("\0")}\0`);
  writeFileSync(join(d, "stat"), `${pid} (hap (x)) ${opts.state ?? "S"} ${opts.ppid} 1 1 0 -1\n`);
  symlinkSync(opts.exe ?? "/usr/sbin/haproxy", join(d, "exe"));
  symlinkSync(opts.cwd, join(d, "cwd"));
  // Open files: 0-2 plain, then the listening sockets (ownership proof, see ownership.ts).
  symlinkSync("/dev/null", join(d, "fd", "0"));
  for (const [i, inode] of (opts.sockets ?? []).entries()) {
    symlinkSync(`socket:[${inode}]`, join(d, "fd", String(i + 3)));
  }
}

/** <proc>/net/unix: listening sockets by inode and bind path (HAProxy's `.<pid>.tmp` form for some). */
function fakeNetUnix(entries: [number, string][]) {
  mkdirSync(join(proc, "net"), { recursive: true });
  const lines = entries.map(
    ([inode, path]) => `0000000000000000: 00000002 00000000 00010000 0001 01 ${inode} ${path}`,
  );
  writeFileSync(
    join(proc, "net", "unix"),
    `Num       RefCount Protocol Flags    Type St Inode Path\n${lines.join("\n")}\n`,
  );
}

async function fakeSocket(path: string, answer: (line: string) => string): Promise<Target> {
  const srv = createServer((sock) => {
    let buf = "";
    sock.on("data", (c) => {
      buf += c;
      if (!buf.includes("\n")) return;
      sock.end(answer(buf.split("\n")[0]!));
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => srv.listen(path, r));
  servers.push(srv);
  return { kind: "unix", path };
}

const showProc = (master: number, worker: number) =>
  `#<PID>          <type>          <reloads>       <uptime>        <version>      \n${master}            master          0 [failed: 0]   0d00h00m02s     2.6.12\n# workers\n${worker}            worker          0               0d00h00m02s     2.6.12\n# programs\n\n`;

let daemonStats: Target;
let mwStats: Target;
let hiddenStats: Target;
let bareStats: Target;
let liarStats: Target;
let unlistedStats: Target;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "haptop-plan-"));
  proc = join(dir, "proc");
  const etc = join(dir, "etc");
  mkdirSync(join(etc, "conf.d"), { recursive: true });
  writeFileSync(
    join(etc, "haproxy.cfg"),
    `global\n    stats socket ${join(dir, "admin.sock")} mode 600 level admin expose-fd listeners\n`,
  );
  writeFileSync(join(etc, "conf.d", "10-fe.cfg"), "frontend fe\n    bind :80\n");
  writeFileSync(join(etc, "conf.d", "README"), "not a cfg\n");
  writeFileSync(join(etc, "plain.cfg"), "global\n    stats socket /x.sock level admin\n");
  writeFileSync(join(dir, "haproxy.pid"), "4242\n4000\n4300\n4301\n4250\n");

  // Daemon: 4242 answers show info; pidfile also lists a master (4000), a non-haproxy (4300),
  // a zombie haproxy (4301) and another live daemon (4250).
  fakeProcess(4242, {
    argv: ["haproxy", "-D", "-f", "etc/haproxy.cfg", "-f", "etc/conf.d", "-p", "haproxy.pid"],
    ppid: 1,
    cwd: dir,
    sockets: [1001],
  });
  fakeProcess(4000, { argv: ["haproxy", "-W", "-f", "x.cfg"], ppid: 1, cwd: dir });
  fakeProcess(4300, { argv: ["sleep", "100"], ppid: 1, exe: "/usr/bin/sleep", cwd: dir });
  fakeProcess(4301, { argv: ["haproxy", "-D"], ppid: 1, state: "Z", cwd: dir });
  fakeProcess(4250, { argv: ["haproxy", "-D", "-f", "etc/haproxy.cfg"], ppid: 1, cwd: dir });
  daemonStats = await fakeSocket(join(dir, "admin.sock"), () => "Name: HAProxy\nPid: 4242\n\n");

  // Master-worker: worker 5001, master 5000 with a relative -S.
  fakeProcess(5000, {
    argv: ["haproxy", "-W", "-S", "master.sock,mode,600", "-f", "etc/plain.cfg", "-p", "mw.pid"],
    ppid: 1,
    cwd: dir,
    sockets: [2002],
  });
  fakeProcess(5001, {
    argv: [
      "haproxy",
      "-sf",
      "4999",
      "-x",
      "sockpair@4",
      "-W",
      "-S",
      "master.sock,mode,600",
      "-f",
      "etc/plain.cfg",
      "-p",
      "mw.pid",
    ],
    ppid: 5000,
    cwd: dir,
    sockets: [2001],
  });
  mwStats = await fakeSocket(join(dir, "mw-admin.sock"), () => "Name: HAProxy\nPid: 5001\n\n");
  await fakeSocket(join(dir, "master.sock"), (line) => (line === "show proc" ? showProc(5000, 5001) : "\n"));

  // A pid not in this /proc (remote or another namespace).
  hiddenStats = await fakeSocket(join(dir, "hidden.sock"), () => "Name: HAProxy\nPid: 7777\n\n");
  // A master-worker started without -S.
  fakeProcess(6000, { argv: ["haproxy", "-Ws", "-f", "etc/plain.cfg"], ppid: 1, cwd: dir });
  fakeProcess(6001, {
    argv: ["haproxy", "-Ws", "-f", "etc/plain.cfg"],
    ppid: 6000,
    cwd: dir,
    sockets: [3001],
  });
  bareStats = await fakeSocket(join(dir, "bare.sock"), () => "Name: HAProxy\nPid: 6001\n\n");
  // A peer that answers with the pid of the daemon above, which does not hold this socket.
  liarStats = await fakeSocket(join(dir, "liar.sock"), () => "Name: HAProxy\nPid: 4242\n\n");
  // A peer whose socket this /proc does not list at all (another network namespace).
  unlistedStats = await fakeSocket(join(dir, "unlisted.sock"), () => "Name: HAProxy\nPid: 4242\n\n");
  fakeNetUnix([
    [1001, `${join(dir, "admin.sock")}.4240.tmp`], // bound by the daemon's parent, renamed
    [2001, join(dir, "mw-admin.sock")],
    [2002, "master.sock.5000.tmp"], // relative, as given to bind() from the master's cwd
    [3001, join(dir, "bare.sock")],
    [9999, join(dir, "liar.sock")],
  ]);
});

afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe("readProcess / expandConfigPaths", () => {
  it("reads argv, ppid, state, exe and cwd (comm with spaces and parentheses)", () => {
    const p = readProcess(5001, proc)!;
    expect(p.ppid).toBe(5000);
    expect(p.state).toBe("S");
    expect(p.exe).toBe("/usr/sbin/haproxy");
    expect(p.cwd).toBe(dir);
    expect(p.argv[0]).toBe("haproxy");
    expect(readProcess(99999, proc)).toBeNull();
  });
  it("expands directories to their sorted *.cfg", () => {
    expect(expandConfigPaths([join(dir, "etc", "haproxy.cfg"), join(dir, "etc", "conf.d")])).toEqual([
      join(dir, "etc", "haproxy.cfg"),
      join(dir, "etc", "conf.d", "10-fe.cfg"),
    ]);
  });
});

describe("planReload with a fake /proc", () => {
  it("daemon with expose-fd: config and pidfile resolved against the process's cwd; -sf only live non-master HAProxy pids", async () => {
    const plan = await planReload({ target: daemonStats, procRoot: proc, haproxyBin: "/usr/sbin/haproxy" });
    const cfg = [join(dir, "etc", "haproxy.cfg"), join(dir, "etc", "conf.d")];
    expect(plan.mode).toBe("expose-fd");
    expect(plan.configFiles).toEqual(cfg);
    expect(plan.cwd).toBe(dir);
    expect(plan.validate).toEqual(["/usr/sbin/haproxy", "-c", "-f", cfg[0], "-f", cfg[1]]);
    expect(plan.oldPids).toEqual([4242, 4250]);
    expect(plan.run).toEqual([
      "/usr/sbin/haproxy",
      "-D",
      "-f",
      cfg[0],
      "-f",
      cfg[1],
      "-p",
      join(dir, "haproxy.pid"),
      "-x",
      join(dir, "admin.sock"),
      "-sf",
      "4242",
      "4250",
    ]);
    expect(plan.commandLines[1]).toContain("-sf 4242 4250");
    expect(plan.discovered).toContain("binary: /usr/sbin/haproxy (--haproxy)"); // the real flag's name
    expect(plan.warnings).toEqual([]);
  });

  it("daemon mode forced: the warning says how to avoid resets", async () => {
    const plan = await planReload({ target: daemonStats, procRoot: proc, mode: "daemon" });
    expect(plan.run).not.toContain("-x");
    expect(plan.warnings[0]).toMatch(/may be reset.*expose-fd listeners.*master-worker/);
  });

  it("master-worker: the master from the parent, its relative -S resolved, no -sf", async () => {
    const plan = await planReload({ target: mwStats, procRoot: proc });
    expect(plan.mode).toBe("master-worker");
    expect(plan.masterPid).toBe(5000);
    expect(plan.masterSocket).toEqual({ kind: "unix", path: join(dir, "master.sock") });
    expect(plan.oldPids).toEqual([5001]);
    expect(plan.run).toBeNull();
    expect(plan.commandLines.join("\n")).not.toMatch(/(^|\s)-sf(\s|$)|5000/);
    await expect(planReload({ target: mwStats, procRoot: proc, mode: "daemon" })).rejects.toThrow(
      /master-worker/,
    );
  });

  it("command mode splits without a shell", async () => {
    const plan = await planReload({
      target: mwStats,
      procRoot: proc,
      reloadCmd: "systemctl reload 'haproxy@main'",
    });
    expect(plan.mode).toBe("command");
    expect(plan.run).toEqual(["systemctl", "reload", "haproxy@main"]);
    await expect(planReload({ target: mwStats, procRoot: proc, reloadCmd: "a; b" })).rejects.toMatchObject({
      flag: "--reload-cmd",
    });
  });

  it("errors say which flag to pass", async () => {
    const hidden = planReload({ target: hiddenStats, procRoot: proc });
    await expect(hidden).rejects.toThrow(ReloadPlanError);
    await expect(hidden).rejects.toMatchObject({ flag: "--config" });
    await expect(hidden).rejects.toThrow(/not visible/);
    await expect(
      planReload({
        target: bareStats,
        procRoot: proc,
        defaultMasterSocket: join(dir, "no-such-master.sock"),
      }),
    ).rejects.toMatchObject({ flag: "--master-socket" });
    // That master does not list 6001 among its workers: not the master of what answers there.
    await expect(
      planReload({ target: bareStats, procRoot: proc, masterSocket: join(dir, "master.sock") }),
    ).rejects.toThrow(/refusing to reload: .*does not list pid 6001/);
    await expect(planReload({ target: daemonStats, procRoot: proc, mode: "command" })).rejects.toMatchObject({
      flag: "--reload-cmd",
    });
    // Not visible here: never -sf a pid that may be another process in this namespace.
    const cfg = [join(dir, "etc", "plain.cfg")];
    await expect(planReload({ target: hiddenStats, procRoot: proc, configFiles: cfg })).rejects.toMatchObject(
      {
        flag: "--reload-cmd",
        message: expect.stringMatching(/not visible.*blindly \(-sf\)/),
      },
    );
    const cmd = await planReload({
      target: hiddenStats,
      procRoot: proc,
      configFiles: cfg,
      reloadCmd: "my-reload",
    });
    expect(cmd).toMatchObject({ mode: "command", binary: "haproxy", run: ["my-reload"] });
    expect(cmd.validate).toEqual(["haproxy", "-c", "-f", cfg[0]]);
    await expect(
      planReload({ target: daemonStats, procRoot: proc, configFiles: cfg, mode: "expose-fd" }),
    ).rejects.toThrow(/expose-fd listeners/);
  });
});

describe("master CLI transport", () => {
  it("half-closes, and reads the prompt", async () => {
    const t = await fakeSocket(
      join(dir, "prompt.sock"),
      () =>
        "master[ReloadFailed]> #<PID> <type>\n1 master 1 [failed: 1] 0d 2.6\n# workers\n\nmaster[ReloadFailed]> master[ReloadFailed]> ",
    );
    const r = await masterCommandWithPrompt(t, "show proc");
    expect(r.reloadFailed).toBe(true);
    expect(r.prompt).toBe("master[ReloadFailed]>");
    expect(r.output).toBe("#<PID> <type>\n1 master 1 [failed: 1] 0d 2.6\n# workers\n\n");
    expect(await sendMaster(t, ["show proc"])).toMatch(/^master/);
    expect(() => sendMaster(t, ["reload\nshow proc"])).toThrow(/line break/);
  });
});

describe("ownership: only the HAProxy behind the socket is reloaded", () => {
  it("proves the daemon and the master-worker pair, in the plan's discovered facts", async () => {
    const daemon = await planReload({ target: daemonStats, procRoot: proc });
    expect(daemon.discovered).toContain(
      `pid 4242 holds ${join(dir, "admin.sock")} (socket inode 1001 in ${proc}/4242/fd)`,
    );
    const mw = await planReload({ target: mwStats, procRoot: proc });
    expect(mw.discovered.join("\n")).toMatch(/pid 5001 holds .*mw-admin\.sock \(socket inode 2001/);
    expect(mw.discovered.join("\n")).toMatch(/pid 5000 holds .*master\.sock \(socket inode 2002/);
  });

  it("refuses a peer answering with the pid of another HAProxy, in every mode", async () => {
    for (const mode of [undefined, "expose-fd", "daemon"] as const) {
      await expect(planReload({ target: liarStats, procRoot: proc, mode })).rejects.toThrow(
        /^refusing to reload: pid 4242 does not hold the socket .*liar\.sock \(socket inode 9999 is not among .*\/4242\/fd\); nothing was done$/,
      );
    }
    await expect(planReload({ target: liarStats, procRoot: proc, reloadCmd: "true" })).rejects.toThrow(
      /refusing to reload: pid 4242 does not hold/,
    );
    await expect(planReload({ target: unlistedStats, procRoot: proc })).rejects.toThrow(
      /refusing to reload: no listening socket .*unlisted\.sock/,
    );
  });

  it("refuses a master CLI socket that its master does not hold", async () => {
    const entries: [number, string][] = [
      [1001, `${join(dir, "admin.sock")}.4240.tmp`],
      [2001, join(dir, "mw-admin.sock")],
      [2099, join(dir, "master.sock")], // some other process's socket at that path
    ];
    fakeNetUnix(entries);
    try {
      await expect(planReload({ target: mwStats, procRoot: proc })).rejects.toThrow(
        /^refusing to reload: pid 5000 does not hold the socket .*master\.sock \(socket inode 2099/,
      );
    } finally {
      fakeNetUnix([...entries.slice(0, 2), [2002, "master.sock.5000.tmp"]]);
    }
    expect((await planReload({ target: mwStats, procRoot: proc })).mode).toBe("master-worker");
  });
});
