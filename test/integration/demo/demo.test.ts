/**
 * `npm run demo` end to end, without the TUI: the lab starts, HAProxy answers with the expected
 * proxies, traffic flows (requests, 4xx/5xx, live sessions, captured errors), and SIGINT tears
 * everything down: no process mentions the lab dir afterwards and the dir is gone.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive as isRunning, pidsMentioning } from "../../../lab/process.js";
import { request } from "../../../src/client/socket.js";
import { parseTarget } from "../../../src/client/target.js";
import { sleep, waitFor } from "../../helpers/haproxy.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
// One process, as `npm run demo` runs it: tsx's own CLI would sit in between and, when the demo's
// acknowledgement of a SIGINT takes over 2 × 30 ms (a loaded machine), SIGKILL it (exit 130).

interface Demo {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  dir?: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const demos: Demo[] = [];

function killQuietly(pid: number, sig: NodeJS.Signals | number = "SIGKILL"): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

/**
 * Starts `node --import tsx demo/main.ts --no-tui --seconds 60 …` in its own process group. The tests end it with
 * SIGINT long before: on a loaded machine a shorter run could end by itself first, and then the
 * SIGINT path under test would not be the one that ran.
 */
function startDemo(extra: string[]): Demo {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "demo/main.ts", "--no-tui", "--seconds", "60", ...extra],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const demo: Demo = { child, stdout: "", stderr: "", exit };
  child.stdout!.on("data", (d: Buffer) => {
    demo.stdout += d.toString();
    demo.dir ??= /lab \(.*\) in (\S+)/.exec(demo.stdout)?.[1];
  });
  child.stderr!.on("data", (d: Buffer) => {
    demo.stderr += d.toString();
  });
  demos.push(demo);
  return demo;
}

/**
 * One command to the master CLI. HAProxy 2.6's master CLI keeps the connection open after a
 * non-interactive command until the client half-closes, so this shuts down the write side.
 */
function masterCommand(sock: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const s = connect({ path: sock });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer to "${command}" on ${sock}`));
    }, 3000);
    s.on("connect", () => s.end(`${command}\n`));
    s.on("data", (d: Buffer) => {
      out += d.toString();
    });
    s.on("error", reject);
    s.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

type Row = Record<string, string>;

async function showStat(sock: string): Promise<Row[]> {
  const [out] = await request(parseTarget(sock), ["show stat"]);
  const lines = (out ?? "").split("\n").filter(Boolean);
  const head = (lines[0] ?? "").replace(/^# /, "").split(",");
  return lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, i) => [head[i] ?? `${i}`, v])));
}

const frontendSum = (rows: Row[], field: string) =>
  rows.filter((r) => r.svname === "FRONTEND").reduce((n, r) => n + Number(r[field] || 0), 0);

/** Runs the checks shared by both modes on a running demo; returns the lab dir. */
async function checkRunningLab(demo: Demo, masterWorker: boolean): Promise<string> {
  await waitFor(
    () => demo.stdout.includes("Press Ctrl-C"),
    20_000,
    `the demo to start (stderr: ${demo.stderr})`,
  );
  const dir = demo.dir!;
  expect(dir).toMatch(/haptop-demo-/);
  const adminSock = join(dir, "admin.sock");
  expect(demo.stdout).toContain(`admin socket:  ${adminSock}`);
  // The exact haptop command.
  expect(demo.stdout).toContain(
    `node --import tsx src/cli.ts ${adminSock} --config ${join(dir, "haproxy.cfg")} --pidfile ${join(dir, "haproxy.pid")} --haproxy `,
  );
  expect(demo.stdout.includes(`--master-socket ${join(dir, "master.sock")}`)).toBe(masterWorker);

  const first = await showStat(adminSock);
  const names = (type: string) => first.filter((r) => r.type === type).map((r) => `${r.pxname}/${r.svname}`);
  expect(names("0")).toEqual(["fe_web/FRONTEND", "fe_api/FRONTEND", "fe_tcp/FRONTEND"]);
  expect(names("1")).toEqual(["be_web/BACKEND", "be_api/BACKEND", "be_slow/BACKEND", "be_tcp/BACKEND"]);
  expect(names("2")).toEqual([
    "be_web/web1",
    "be_web/web2",
    "be_web/web3",
    "be_web/web4",
    "be_api/api1",
    "be_api/api2",
    "be_slow/slow1",
    "be_slow/slow2",
    "be_tcp/echo1",
    "be_tcp/echo2",
  ]);
  expect(first.find((r) => r.pxname === "fe_api" && r.svname === "FRONTEND")?.slim).toBe("20");
  expect(first.find((r) => r.svname === "web4")?.bck).toBe("1");

  // Traffic flows: requests grow, some 4xx and 5xx, live sessions, captured errors.
  const target = parseTarget(adminSock);
  await waitFor(
    async () => {
      const now = await showStat(adminSock);
      return (
        frontendSum(now, "req_tot") > frontendSum(first, "req_tot") + 20 &&
        frontendSum(now, "hrsp_4xx") > 0 &&
        frontendSum(now, "hrsp_5xx") > 0
      );
    },
    4000,
    "requests, 4xx and 5xx to grow",
  );
  const [sess, errors] = await request(target, ["show sess", "show errors"]);
  const live = (sess ?? "").split("\n").filter((l) => / fe=fe_(web|api|tcp) /.test(l));
  expect(live.length).toBeGreaterThan(0);
  expect(live.some((l) => l.includes(" fe=fe_tcp "))).toBe(true);
  const total = Number(/Total events captured on .* : (\d+)/.exec(errors ?? "")?.[1] ?? 0);
  expect(total).toBeGreaterThanOrEqual(1);
  return dir;
}

/** SIGINT to the demo's process group (like Ctrl-C); then nothing of the lab may be left. */
async function interruptAndCheckTornDown(demo: Demo, dir: string): Promise<void> {
  expect(demo.child.exitCode).toBeNull(); // still running: the SIGINT path is what is tested
  const before = pidsMentioning(`${dir}/`);
  expect(before.length).toBeGreaterThan(0);
  process.kill(-demo.child.pid!, "SIGINT");
  const { code } = await Promise.race([
    demo.exit,
    sleep(15_000).then(() => {
      throw new Error("the demo did not exit within 15 s of SIGINT");
    }),
  ]);
  expect(code).toBe(0);
  expect(demo.stderr).toContain("lab stopped");
  expect(pidsMentioning(dir)).toEqual([]);
  expect(before.filter((pid) => isRunning(pid))).toEqual([]);
  expect(existsSync(dir)).toBe(false);
}

afterAll(async () => {
  for (const d of demos) {
    if (d.child.exitCode === null && d.child.signalCode === null) killQuietly(-d.child.pid!);
    if (d.dir) {
      for (const pid of pidsMentioning(`${d.dir}/`)) killQuietly(pid);
      rmSync(d.dir, { recursive: true, force: true });
    }
  }
});

describe("npm run demo -- --no-tui", () => {
  it("daemon mode: serves traffic, then SIGINT removes every process and the lab dir", async () => {
    const demo = startDemo([]);
    const dir = await checkRunningLab(demo, false);
    expect(existsSync(join(dir, "master.sock"))).toBe(false);
    await interruptAndCheckTornDown(demo, dir);
  });

  it("master-worker mode: the master CLI lists master and worker, then SIGINT removes everything", async () => {
    const demo = startDemo(["--master-worker"]);
    const dir = await checkRunningLab(demo, true);
    const proc = await masterCommand(join(dir, "master.sock"), "show proc");
    expect(proc).toMatch(/^\d+\s+master\s+/m);
    const workers = /# workers\n((?:\d+\s+worker.*\n)+)/.exec(proc)?.[1] ?? "";
    expect(workers.split("\n").filter(Boolean).length).toBeGreaterThanOrEqual(1);
    await interruptAndCheckTornDown(demo, dir);
  });
});
