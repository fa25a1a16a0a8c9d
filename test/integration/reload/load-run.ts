import { expect } from "vitest";
import { isRunning } from "../../../src/actions/procinfo.js";
import {
  type ReloadMode,
  type ReloadResult,
  reload,
  watchOldProcesses,
} from "../../../src/actions/reload.js";
import type { Target } from "../../../src/client/target.js";
import { freePorts, HaproxyLab, sleep } from "../../helpers/haproxy.js";
import type { Release } from "../../helpers/releases.js";
import { type AbResult, type AbRun, fastFrontend, startAb } from "../actions/load.js";

/**
 * Reloads under load: ab keeps new connections coming on a frontend that answers by itself while
 * reloads run through reload() every ~900 ms; each reload must verify a new pid, and each old
 * process must exit (followed with watchOldProcesses, as the TUI does). Bounded: AB_SECONDS of ab
 * per run. The assertion is 0 failed requests in the seamless modes; rates are printed, not asserted.
 */
export const AB_SECONDS = 6;
/** Typically 3–4 per run; 2 leaves room for a slow shared CI machine. */
export const MIN_RELOADS = 2;

export interface LoadRun {
  ab: AbResult;
  command: string;
  reloads: ReloadResult[];
  /** Old pids that had not exited 5 s after their reload. */
  lingering: number[];
  pids: number[];
}

/** Runs one bounded load run; `cleanup` receives the lab and ab so afterEach can kill them by pid. */
export async function reloadUnderLoad(
  release: Release,
  opts: { masterWorker?: boolean; exposeFd?: boolean },
  mode: ReloadMode,
  cleanup: { lab?: HaproxyLab; ab?: AbRun },
): Promise<LoadRun> {
  const [fast] = await freePorts(1);
  const lab = await new HaproxyLab({ release, ...opts, extra: fastFrontend(fast!) }).start();
  cleanup.lab = lab;
  const target: Target = { kind: "unix", path: lab.adminSock };
  const ab = startAb(fast!, AB_SECONDS);
  cleanup.ab = ab;
  const t0 = Date.now();
  await sleep(500);
  const reloads: ReloadResult[] = [];
  const lingering: number[] = [];
  while (Date.now() - t0 < (AB_SECONDS - 1.2) * 1000) {
    const started = Date.now();
    const r = await reload({ target, timeoutMs: 10_000 });
    reloads.push(r);
    const watched = await watchOldProcesses(r.draining, { masterSocket: r.masterSocket, timeoutMs: 5000 })
      .done;
    lingering.push(...watched.stillRunning);
    await sleep(Math.max(0, 900 - (Date.now() - started)));
  }
  const result = await ab.done;
  const pids = [reloads[0]?.oldPid ?? 0, ...reloads.map((r) => r.newPid ?? 0)];
  const failedReloads = reloads.filter((r) => !r.ok);
  console.log(
    `[reload-load] ${release.label} mode=${mode} reloads=${reloads.length} (failed ${failedReloads.length}) ` +
      `ab: complete=${result.complete} failed=${result.failed} ${result.failedDetail} non2xx=${result.non2xx} ` +
      `rps=${result.rps} reload ms=${reloads.map((r) => r.durationMs).join(",")} :: ${ab.command}`,
  );
  for (const r of failedReloads) console.log(`[reload-load] failed reload: ${r.message}`);
  expect(reloads.every((r) => r.mode === mode)).toBe(true);
  return { ab: result, command: ab.command, reloads, lingering, pids };
}

export function expectEveryReloadVerified(run: LoadRun): void {
  expect(run.reloads.length).toBeGreaterThanOrEqual(MIN_RELOADS);
  for (const r of run.reloads) {
    expect(r.ok, r.message).toBe(true);
    expect(r.newPid).not.toBeNull();
    expect(r.newPid).not.toBe(r.oldPid);
    expect(r.steps.map((s) => s.phase)).toContain("validate");
  }
  expect(run.lingering, "old processes still running 5 s after their reload").toEqual([]);
  // Each reload took over from the previous one, and every pid is new.
  for (let i = 1; i < run.reloads.length; i++)
    expect(run.reloads[i]!.oldPid).toBe(run.reloads[i - 1]!.newPid);
  expect(new Set(run.pids).size).toBe(run.pids.length);
  // Zombie-aware: a daemon reparented to an init that does not reap stays a zombie.
  for (const pid of run.pids.slice(0, -1)) expect(isRunning(pid)).toBe(false);
}

/** The seamless modes' assertion: not one failed request. */
export function expectNoFailedRequest(run: LoadRun): void {
  expect(run.ab.exitCode).toBe(0);
  expect(run.ab.complete).toBeGreaterThan(0);
  expect(run.ab.failed).toBe(0);
  expect(run.ab.non2xx).toBe(0);
}
