import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type ReloadMode, type ReloadResult, reload } from "../../../src/actions/reload.js";
import type { Target } from "../../../src/client/target.js";
import { freePorts, HaproxyLab, isAlive, killAllStarted, sleep } from "../../helpers/haproxy.js";
import { type AbResult, type AbRun, abAvailable, fastFrontend, startAb } from "./load.js";

/**
 * Reloads under load: ab keeps ≥5k new connections/s on a frontend that answers by itself while
 * ≥10 reloads run through reload(); every one must verify a new pid, the old process must exit, and
 * no request may fail (expose-fd, master-worker). The plain daemon mode is measured, not asserted.
 */

const AB_SECONDS = 12;
const MIN_RELOADS = 10;

let lab: HaproxyLab | null = null;
let ab: AbRun | null = null;

afterEach(async () => {
  ab?.kill();
  ab = null;
  await lab?.stop();
  lab = null;
});
afterAll(() => killAllStarted());

interface LoadRun {
  ab: AbResult;
  command: string;
  reloads: ReloadResult[];
  pids: number[];
}

async function reloadUnderLoad(
  opts: { masterWorker?: boolean; exposeFd?: boolean },
  mode: ReloadMode,
): Promise<LoadRun> {
  const [fast] = await freePorts(1);
  lab = await new HaproxyLab({ ...opts, extra: fastFrontend(fast!) }).start();
  const target: Target = { kind: "unix", path: lab.adminSock };
  ab = startAb(fast!, AB_SECONDS);
  const t0 = Date.now();
  await sleep(700);
  const reloads: ReloadResult[] = [];
  // One reload every ~900 ms across the ab window (≈12 reloads), each followed until the old process exits.
  while (Date.now() - t0 < (AB_SECONDS - 1.5) * 1000) {
    const started = Date.now();
    reloads.push(await reload({ target, drainTimeoutMs: 5000, timeoutMs: 10_000 }));
    await sleep(Math.max(0, 900 - (Date.now() - started)));
  }
  const result = await ab.done;
  const pids = [reloads[0]?.oldPid ?? 0, ...reloads.map((r) => r.newPid ?? 0)];
  const failedReloads = reloads.filter((r) => !r.ok);
  // The figures for the report.
  console.log(
    `[reload-load] mode=${mode} reloads=${reloads.length} (failed ${failedReloads.length}) ` +
      `ab: complete=${result.complete} failed=${result.failed} ${result.failedDetail} non2xx=${result.non2xx} ` +
      `rps=${result.rps} reload ms=${reloads.map((r) => r.durationMs).join(",")} :: ${ab.command}`,
  );
  for (const r of failedReloads) console.log(`[reload-load] failed reload: ${r.message}`);
  expect(reloads.every((r) => r.mode === mode)).toBe(true);
  return { ab: result, command: ab.command, reloads, pids };
}

function expectEveryReloadVerified(run: LoadRun): void {
  expect(run.reloads.length).toBeGreaterThanOrEqual(MIN_RELOADS);
  for (const r of run.reloads) {
    expect(r.ok, r.message).toBe(true);
    expect(r.newPid).not.toBeNull();
    expect(r.newPid).not.toBe(r.oldPid);
    expect(r.oldExited, `old ${r.oldPid} still running: ${r.stillRunning.join(",")}`).toBe(true);
    expect(r.steps.map((s) => s.phase)).toContain("validate");
  }
  // Each reload took over from the previous one, and every pid is new.
  for (let i = 1; i < run.reloads.length; i++)
    expect(run.reloads[i]!.oldPid).toBe(run.reloads[i - 1]!.newPid);
  expect(new Set(run.pids).size).toBe(run.pids.length);
  for (const pid of run.pids.slice(0, -1)) expect(isAlive(pid)).toBe(false);
}

describe.skipIf(!abAvailable())("reload under load (ab, loopback)", () => {
  it("expose-fd: ≥10 reloads at ≥5k req/s with 0 failed requests", { timeout: 45_000 }, async () => {
    const run = await reloadUnderLoad({ exposeFd: true }, "expose-fd");
    expectEveryReloadVerified(run);
    expect(run.ab.exitCode).toBe(0);
    expect(run.ab.failed).toBe(0);
    expect(run.ab.non2xx).toBe(0);
    expect(run.ab.rps).toBeGreaterThanOrEqual(5000);
  });

  it("master-worker: ≥10 reloads at ≥5k req/s with 0 failed requests", { timeout: 45_000 }, async () => {
    const run = await reloadUnderLoad({ masterWorker: true }, "master-worker");
    expectEveryReloadVerified(run);
    expect(run.ab.exitCode).toBe(0);
    expect(run.ab.failed).toBe(0);
    expect(run.ab.non2xx).toBe(0);
    expect(run.ab.rps).toBeGreaterThanOrEqual(5000);
  });

  it("daemon (no expose-fd): reloads verified; failed requests measured, not asserted", {
    timeout: 45_000,
  }, async () => {
    const run = await reloadUnderLoad({ exposeFd: false }, "daemon");
    expectEveryReloadVerified(run);
    expect(run.reloads[0]!.warnings.join(" ")).toMatch(/expose-fd listeners/);
    expect(run.ab.exitCode).toBe(0);
    expect(Number.isFinite(run.ab.failed)).toBe(true);
  });
});
