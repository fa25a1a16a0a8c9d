import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import type { ServerEntry, Snapshot } from "../../src/model/snapshot.js";
import { SERVERS_STATE_EVERY } from "../../src/store/adaptive.js";
import { type Demand, pollOnce } from "../../src/store/poll.js";
import { Poller } from "../../src/store/poller.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { testReleases } from "../helpers/releases.js";

/**
 * `show servers state` is read on every SERVERS_STATE_EVERY-th full poll (and after a state change),
 * on a real HAProxy of every release: between two reads, servers keep their line and exact states;
 * a drain set from outside on a DOWN server (HAProxy's status word still says DOWN) shows at the
 * next read, within SERVERS_STATE_EVERY full polls.
 */
class DownServerLab extends HaproxyLab {
  override config(): string {
    const p = this.ports;
    return `${super.config()}
backend app
    option httpchk GET /
    server up1 127.0.0.1:${p.origin} check inter 200ms
    server down1 127.0.0.1:${p.closed} check inter 100ms fall 1
`;
  }
}

const INTERVAL_MS = 200;

describe.each(testReleases())("show servers state cadence, $label (real HAProxy)", (release) => {
  const lab = new DownServerLab({ release });
  let poller: Poller | null = null;

  beforeAll(async () => {
    await lab.start();
  }, 30_000);

  afterAll(async () => {
    poller?.stop();
    await lab.stop();
    killAllStarted();
  });

  const server = (s: Snapshot | null, name: string) =>
    s?.backends.find((b) => b.name === "app")?.servers.find((x) => x.name === name) as
      | ServerEntry
      | undefined;

  it("keeps each server's line between reads, and shows an outside drain of a DOWN server at the next read", async () => {
    const target = parseTarget(lab.adminSock);
    const demands: Demand[] = [];
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: INTERVAL_MS,
      fetch: (d, withLevel) => {
        demands.push(d);
        return pollOnce(target, d, withLevel);
      },
    });
    const p = poller;
    p.start();
    await waitFor(
      () => server(p.store.getSnapshot().snapshot, "down1")?.status === "DOWN",
      5000,
      "down1 DOWN",
    );
    // Past the read that follows down1's change: from here, full polls mostly skip servers state.
    const from = demands.length;
    await waitFor(() => demands.length >= from + SERVERS_STATE_EVERY + 2, 15_000, "a dozen polls");
    const reads = demands.slice(from).filter((d) => d.serversState !== false).length;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(3);
    // Every server kept a line all along (read, or carried with the same status).
    const up1 = server(p.store.getSnapshot().snapshot, "up1");
    expect(up1?.serverState?.srv_name).toBe("up1");

    await runCommand(target, "set server app/down1 state drain");
    const sent = demands.length;
    await waitFor(
      () => server(p.store.getSnapshot().snapshot, "down1")?.admin === "DRAIN",
      (SERVERS_STATE_EVERY + 3) * INTERVAL_MS * 4,
      "down1 draining",
    );
    expect(server(p.store.getSnapshot().snapshot, "down1")?.status).toBe("DOWN");
    expect(demands.length - sent).toBeLessThanOrEqual(SERVERS_STATE_EVERY + 1);
  });
});
