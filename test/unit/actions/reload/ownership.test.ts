import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  canonicalIp,
  decodeProcAddress,
  tcpListeningInodes,
  unixListeningInodes,
} from "../../../../src/actions/reload/ownership.js";
import { watchOldProcesses } from "../../../../src/actions/reload/watch.js";

const dir = mkdtempSync(join(tmpdir(), "haptop-own-"));
const proc = join(dir, "proc");
mkdirSync(join(proc, "net"), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("decodeProcAddress (/proc/net/tcp{,6} addresses, host order words)", () => {
  it("IPv4, IPv6 loopback, wildcard and v4-mapped", () => {
    expect(decodeProcAddress("0100007F:270F")).toEqual(["127.0.0.1", 9999]);
    expect(decodeProcAddress("00000000:0050")).toEqual(["0.0.0.0", 80]);
    expect(decodeProcAddress("00000000000000000000000001000000:1F90")).toEqual(["::1", 8080]);
    expect(decodeProcAddress("00000000000000000000000000000000:1F90")).toEqual(["::", 8080]);
    expect(decodeProcAddress("0000000000000000FFFF00000100007F:0016")).toEqual(["127.0.0.1", 22]);
    expect(decodeProcAddress("nonsense")).toBeNull();
    expect(decodeProcAddress("B80D0120000000000000000001000000:0050")).toEqual(["2001:db8::1", 80]);
    expect(canonicalIp("0:0:0::1")).toBe("::1");
    expect(canonicalIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(canonicalIp("127.0.0.1")).toBe("127.0.0.1");
  });
});

describe("listening sockets from /proc/net", () => {
  it("TCP: LISTEN entries on the port, at the address or a wildcard", () => {
    const head =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    const row = (local: string, st: string, inode: number) =>
      `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
    writeFileSync(
      join(proc, "net", "tcp"),
      head + row("0100007F:270F", "0A", 11) + row("0100007F:270F", "01", 12) + row("0200007F:270F", "0A", 13),
    );
    writeFileSync(join(proc, "net", "tcp6"), head + row("00000000000000000000000000000000:270F", "0A", 14));
    expect(tcpListeningInodes(["127.0.0.1"], 9999, proc)).toEqual([11, 14]); // not the connection, not 127.0.0.2
    expect(tcpListeningInodes(["::ffff:127.0.0.2"], 9999, proc)).toEqual([13, 14]);
    expect(tcpListeningInodes(["127.0.0.1"], 9998, proc)).toEqual([]);
    expect(tcpListeningInodes(["0:0::1"], 9999, proc)).toEqual([14]); // only the wildcard
  });

  it("UNIX: by path, HAProxy's .<pid>.tmp bind name, through a symlinked directory, listening only", () => {
    const real = join(dir, "run");
    mkdirSync(real);
    symlinkSync(real, join(dir, "var-run")); // like /var/run → /run
    const line = (flags: string, inode: number, path: string) =>
      `0000000000000000: 00000002 00000000 ${flags} 0001 01 ${inode} ${path}\n`;
    writeFileSync(
      join(proc, "net", "unix"),
      "Num       RefCount Protocol Flags    Type St Inode Path\n" +
        line("00010000", 21, `${real}/admin.sock.4242.tmp`) +
        line("00000000", 22, `${real}/admin.sock`) + // an accepted connection, not the listener
        line("00010000", 23, "rel/admin.sock") + // relative to the process's cwd
        line("00010000", 24, `${real}/admin.sock.bak`) +
        line("00010000", 25, "@abstract"),
    );
    expect(unixListeningInodes(join(dir, "var-run", "admin.sock"), proc, "/nowhere")).toEqual([21]);
    // A target that is itself a symlink to the socket file.
    writeFileSync(join(real, "admin.sock"), "");
    symlinkSync(join(real, "admin.sock"), join(dir, "stats-link"));
    expect(unixListeningInodes(join(dir, "stats-link"), proc, "/nowhere")).toEqual([21]);
    mkdirSync(join(dir, "cwd", "rel"), { recursive: true });
    expect(unixListeningInodes(join(dir, "cwd", "rel", "admin.sock"), proc, join(dir, "cwd"))).toEqual([23]);
  });
});

describe("watchOldProcesses", () => {
  it("reports each exit once, then resolves all-exited; stop() resolves at once", async () => {
    const a = spawn("sleep", ["30"], { stdio: "ignore" });
    const b = spawn("sleep", ["30"], { stdio: "ignore" });
    const exits: number[][] = [];
    const w = watchOldProcesses([a.pid!, b.pid!], { intervalMs: 20, onExit: (p) => exits.push(p) });
    expect(w.running()).toEqual([a.pid, b.pid]);
    a.kill("SIGKILL");
    await new Promise((r) => a.once("exit", r));
    await expect.poll(() => w.running(), { timeout: 5000 }).toEqual([b.pid]);
    b.kill("SIGKILL");
    const done = await w.done;
    expect(done).toMatchObject({ reason: "all-exited", exited: [a.pid, b.pid], stillRunning: [] });
    expect(exits).toEqual([[a.pid], [b.pid]]);

    const c = spawn("sleep", ["30"], { stdio: "ignore" });
    const w2 = watchOldProcesses([c.pid!], { intervalMs: 20 });
    w2.stop();
    expect(await w2.done).toMatchObject({ reason: "stopped", stillRunning: [c.pid] });
    const w3 = watchOldProcesses([c.pid!], { intervalMs: 20, timeoutMs: 50 });
    expect(await w3.done).toMatchObject({ reason: "timeout", stillRunning: [c.pid] });
    c.kill("SIGKILL");
  });
});
