/**
 * lab/process.ts: liveness that does not count zombies (a real one, and a fake /proc), and finding
 * a lab's haproxy processes by command line, versioned binaries included.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isAlive, killPid, pidsInPsOutput, procState, readPids, waitFor } from "../../../lab/index.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/**
 * A real zombie: an intermediate Node process spawns `true` (which exits at once), prints its pid,
 * then blocks its event loop, so it never reaps the child. Killing the intermediate lets init reap it.
 */
async function makeZombie(): Promise<number> {
  const script = `
    const { spawn } = require("node:child_process");
    const c = spawn("true", [], { stdio: "ignore" });
    process.stdout.write(c.pid + "\\n");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000);
  `;
  const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "ignore"] });
  cleanups.push(() => killPid(parent.pid!));
  const pid = await new Promise<number>((resolve, reject) => {
    let out = "";
    parent.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(Number(out.trim()));
    });
    parent.once("exit", () => reject(new Error("intermediate exited early")));
  });
  await waitFor(() => procState(pid) === "Z", 10_000, `pid ${pid} to become a zombie`);
  return pid;
}

describe("isAlive", () => {
  it("counts a zombie (exited, not reaped) as not alive, though kill(pid, 0) still succeeds", async () => {
    const zombie = await makeZombie();
    expect(() => process.kill(zombie, 0)).not.toThrow();
    expect(isAlive(zombie)).toBe(false);
  });

  it("counts a running process as alive and a missing one as not", () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(2 ** 22 + 1)).toBe(false); // above pid_max's maximum: never a process
  });

  it("reads the state after the last ')' of /proc/<pid>/stat (a fake /proc)", () => {
    const root = mkdtempSync(join(tmpdir(), "haptop-proc-"));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, String(process.pid)));
    const stat = (state: string) =>
      writeFileSync(join(root, String(process.pid), "stat"), `${process.pid} (a) b) ${state} 1 2 3\n`);
    stat("Z");
    expect(isAlive(process.pid, root)).toBe(false);
    stat("X");
    expect(isAlive(process.pid, root)).toBe(false);
    stat("S");
    expect(isAlive(process.pid, root)).toBe(true);
  });
});

describe("pidsInPsOutput", () => {
  const ps = [
    "  10 /usr/sbin/haproxy -W -S /tmp/haptop-lab-x/master.sock,mode,600 -f /tmp/haptop-lab-x/haproxy.cfg",
    "  11 /work/shared/haproxy/bin/haproxy-3.2.0 -D -f /tmp/haptop-lab-x/haproxy.cfg -p /tmp/haptop-lab-x/p",
    "  12 haproxy -db -f /tmp/haptop-lab-x/haproxy.cfg",
    "  13 tail -f /tmp/haptop-lab-x/haproxy.log",
    "  14 /usr/bin/haproxyctl /tmp/haptop-lab-x/",
    "  15 /usr/sbin/haproxy -f /tmp/haptop-lab-y/haproxy.cfg",
    "  99 node test /tmp/haptop-lab-x/",
  ].join("\n");

  it("finds every haproxy of the lab, versioned binaries included, and nothing else", () => {
    expect(pidsInPsOutput(ps, "/tmp/haptop-lab-x/", true, 99)).toEqual([10, 11, 12]);
  });

  it("without haproxyOnly, any program that names the lab, except ourselves", () => {
    expect(pidsInPsOutput(ps, "/tmp/haptop-lab-x/", false, 99)).toEqual([10, 11, 12, 13, 14]);
  });
});

describe("readPids", () => {
  it("reads one pid a line and skips junk; a missing file gives none", () => {
    const dir = mkdtempSync(join(tmpdir(), "haptop-pids-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "p"), "12\n34\nx\n-1\n");
    expect(readPids(join(dir, "p"))).toEqual([12, 34]);
    expect(readPids(join(dir, "missing"))).toEqual([]);
  });
});
