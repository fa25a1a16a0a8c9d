import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import { FULL_POLL_EVERY, LARGE_CONFIG_SERVERS } from "../../src/store/adaptive.js";
import { type Demand, pollOnce } from "../../src/store/poll.js";
import { Poller } from "../../src/store/poller.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";

// A config just over the "large" line: 60 backends x 100 servers, no health checks.
const BACKENDS = 60;
const PER_BACKEND = Math.ceil((LARGE_CONFIG_SERVERS + 1) / BACKENDS);
const bulk = Array.from({ length: BACKENDS }, (_, b) =>
  [
    `backend bulk_${b}`,
    ...Array.from({ length: PER_BACKEND }, (_, s) => `    server s${s} 127.0.0.1:9 disabled`),
  ].join("\n"),
).join("\n");
const lab = new HaproxyLab({ extra: bulk });
let poller: Poller | null = null;
const demands: Demand[] = [];

beforeAll(async () => {
  await lab.start();
}, 30_000);

afterAll(async () => {
  poller?.stop();
  await lab.stop();
  killAllStarted();
});

const status = (be: string, srv: string) =>
  poller!.store
    .getSnapshot()
    .snapshot?.backends.find((b) => b.name === be)
    ?.servers.find((s) => s.name === srv)?.status;

describe("adaptive polling on a large config (real HAProxy)", () => {
  it("polls the servers on screen each time, every server every 10th poll, and keeps the others", async () => {
    const target = parseTarget(lab.adminSock);
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: 500,
      fetch: (d, withLevel) => {
        demands.push(d);
        return pollOnce(target, d, withLevel);
      },
    });
    poller.setDemand({ sessions: false, errors: false, backendsOnScreen: ["bulk_3"] });
    poller.start();
    await waitFor(() => demands.length >= 3, 5000, "three polls");
    expect(demands[0]!.scope).toBeUndefined();
    expect(demands[1]!.scope).toEqual({ serversOf: ["bulk_3"] });
    const snap = poller.store.getSnapshot().snapshot!;
    expect(snap.backends.reduce((n, b) => n + b.servers.length, 0)).toBeGreaterThan(LARGE_CONFIG_SERVERS);
    expect(poller.store.getSnapshot().partialPoll).toBe(true);

    // On screen: seen at the next poll. Off screen: seen at the next full poll, as a timeline event.
    await runCommand(target, "set server bulk_3/s5 state ready");
    await runCommand(target, "set server bulk_9/s5 state ready");
    const from = demands.length;
    await waitFor(
      () => demands.length >= from + 2 && status("bulk_3", "s5") !== "MAINT",
      5000,
      "bulk_3/s5 fresh",
    );
    const fullAt = demands.findIndex((d, i) => i >= from && d.scope === undefined);
    if (fullAt < 0) expect(status("bulk_9", "s5")).toBe("MAINT"); // not refreshed before a full poll
    await waitFor(
      () => status("bulk_9", "s5") !== "MAINT",
      1000 * FULL_POLL_EVERY,
      "bulk_9/s5 after a full poll",
    );
    expect(poller.store.getSnapshot().events.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bulk_3\/s5 MAINT → /),
        expect.stringMatching(/^bulk_9\/s5 MAINT → /),
      ]),
    );
  }, 30_000);
});
