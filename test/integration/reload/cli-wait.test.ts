/**
 * `haptop reload` never blocks on the drain: it returns as soon as the new process answers, while
 * the old one still holds a connection; with --wait-old it returns only once the old one exited.
 */
import type { Socket } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { isRunning } from "../../../src/actions/procinfo.js";
import { currentPid } from "../../../src/actions/reload.js";
import { type HaproxyLab, killAllStarted, waitFor } from "../../helpers/haproxy.js";
import { testReleases } from "../../helpers/releases.js";
import { holdConnection, reloadCli, startLab } from "./helpers.js";

const labs: HaproxyLab[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const lab of labs.splice(0)) await lab.stop();
});
afterAll(() => killAllStarted());

describe.each(testReleases())("haptop reload and the old process: $label", (release) => {
  it.each([
    ["expose-fd", {}],
    ["master-worker", { masterWorker: true }],
  ] as const)("%s: returns once the new pid answers; --wait-old waits for the drain", async (_mode, opts) => {
    const { lab, target } = await startLab({ release, ...opts });
    labs.push(lab);
    const first = await currentPid(target);
    sockets.push(await holdConnection(lab.ports.tcp));
    const quick = await reloadCli({ socket: lab.adminSock });
    expect(quick.code, quick.err).toBe(0);
    expect(quick.err).toMatch(new RegExp(`draining: old process(es)? .*\\b${first}\\b.* draining`));
    expect(isRunning(first)).toBe(true); // returned while it still drains
    const second = await currentPid(target);

    sockets.push(await holdConnection(lab.ports.tcp)); // now held by `second`
    let settled = false;
    let stderr = "";
    const waiting = reloadCli({ socket: lab.adminSock, waitOld: true }).then((r) => {
      settled = true;
      return r;
    });
    await waitFor(() => currentPid(target).then((p) => p !== second), 10_000, "the new pid");
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false); // --wait-old: still following `second`
    for (const s of sockets.splice(0)) s.destroy();
    const done = await waiting;
    stderr = done.err;
    expect(done.code).toBe(0);
    expect(stderr).toMatch(new RegExp(`old process(es)? (\\d+, )*${second}(, \\d+)* exited`));
    expect(done.out).toMatch(/old processes exited\n$/);
    expect(isRunning(second)).toBe(false);
  });
});
