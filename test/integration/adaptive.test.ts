import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { DEFAULT_POLICY } from "../../src/store/adaptive.js";
import { type Demand, pollOnce } from "../../src/store/poll.js";
import { Poller } from "../../src/store/poller.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { testReleases } from "../helpers/releases.js";

/**
 * A frontend and a backend both named `app` (HAProxy 3.2 warns but accepts it), the backend with a
 * server that is DOWN (its port is closed), and 20 bulk backends × 20 servers, on every release.
 * The policy is told that every full poll is slow (slowPollMs 0), so this small config is polled
 * as a large one: scoped polls, a full one every 10th. Before polling by id, `show stat app 4 -1`
 * resolved to the frontend and the backend's servers, DOWN one included, vanished 9 polls in 10.
 * Backends named with digits make sure an id is never read as a name.
 */
class SharedNameLab extends HaproxyLab {
  override config(): string {
    const p = this.ports;
    const bulk = Array.from({ length: 20 }, (_, b) =>
      [
        `backend bulk_${b}`,
        ...Array.from({ length: 20 }, (_, s) => `    server s${s} 127.0.0.1:9 disabled`),
      ].join("\n"),
    );
    // Backends named "1".."40": `show stat 7 4 -1` would dump the one *named* 7, not id 7.
    const digits = Array.from(
      { length: 40 },
      (_, b) => `backend ${b + 1}\n    server d 127.0.0.1:9 disabled`,
    );
    return `${super.config()}
frontend app
    bind unix@${this.dir}/app.sock
    default_backend app
backend app
    option httpchk GET /
    server up1 127.0.0.1:${p.origin} check inter 200ms
    server down1 127.0.0.1:${p.closed} check inter 100ms fall 1
${Array.from({ length: 8 }, (_, s) => `    server m${s} 127.0.0.1:9 disabled`).join("\n")}
${bulk.join("\n")}
${digits.join("\n")}
`;
  }
}

const APP_SERVERS = 10;
const INTERVAL_MS = 200;

describe.each(testReleases())("adaptive polling by id, $label (real HAProxy)", (release) => {
  const lab = new SharedNameLab({ release });
  let poller: Poller | null = null;

  beforeAll(async () => {
    await lab.start();
  }, 30_000);

  afterAll(async () => {
    poller?.stop();
    await lab.stop();
    killAllStarted();
  });

  const appOf = (s: Snapshot | null | undefined) => s?.backends.find((b) => b.name === "app");
  const status = (s: Snapshot | null | undefined, be: string, srv: string) =>
    s?.backends.find((b) => b.name === be)?.servers.find((x) => x.name === srv)?.status;

  it("asks for a backend's servers by its id, never the same-named frontend's", async () => {
    const target = parseTarget(lab.adminSock);
    const skeleton = await pollOnce(
      target,
      { sessions: false, errors: false, scope: { serversOf: [] } },
      false,
    );
    const fe = skeleton.snapshot.frontends.find((f) => f.name === "app")!;
    const be = appOf(skeleton.snapshot)!;
    expect(be.iid).not.toBe(fe.iid);
    expect(be.servers).toHaveLength(0);
    const scoped = await pollOnce(
      target,
      { sessions: false, errors: false, scope: { serversOf: [be.iid!] } },
      false,
    );
    expect(
      appOf(scoped.snapshot)!
        .servers.map((s) => s.name)
        .sort(),
    ).toEqual(["down1", "up1", ...Array.from({ length: 8 }, (_, s) => `m${s}`)].sort());
    expect(scoped.snapshot.backends.filter((b) => b.servers.length > 0).map((b) => b.name)).toEqual(["app"]);
  });

  it("shows the backend's servers, its DOWN one included, on every poll; off-screen ones at each full poll", async () => {
    const target = parseTarget(lab.adminSock);
    const demands: Demand[] = [];
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: INTERVAL_MS,
      adaptive: { slowPollMs: 0, fastPollMs: -1, minServers: 0 },
      fetch: (d, withLevel) => {
        demands.push(d);
        return pollOnce(target, d, withLevel);
      },
    });
    const p = poller;
    poller.setDemand({ sessions: false, errors: false, backendsOnScreen: ["app", "bulk_3"] });
    poller.start();
    await waitFor(
      () => status(p.store.getSnapshot().snapshot, "app", "down1") === "DOWN",
      5000,
      "down1 DOWN",
    );

    // From here on, every state the UI is given must show app's servers with down1 DOWN, fetched
    // by that very poll (a server carried over from an earlier poll is the same object).
    const seen: { servers: number; down1: string | undefined; partial: boolean; fresh: boolean }[] = [];
    let last = appOf(p.store.getSnapshot().snapshot)?.servers;
    const unsubscribe = poller.store.subscribe(() => {
      const s = p.store.getSnapshot();
      const servers = appOf(s.snapshot)?.servers;
      seen.push({
        servers: servers?.length ?? 0,
        down1: status(s.snapshot, "app", "down1"),
        partial: s.partialPoll,
        fresh: servers?.every((x, i) => x !== last?.[i]) === true,
      });
      last = servers;
    });
    await waitFor(() => seen.length >= DEFAULT_POLICY.fullEvery + 2, 15_000, "a dozen polls");
    unsubscribe();
    expect(seen.filter((x) => x.partial).length).toBeGreaterThanOrEqual(DEFAULT_POLICY.fullEvery - 2);
    expect(seen.some((x) => !x.partial)).toBe(true);
    expect(seen.filter((x) => x.servers !== APP_SERVERS || x.down1 !== "DOWN" || !x.fresh)).toEqual([]);

    // On screen: seen at the first poll that starts after the change. Off screen: at the next full
    // poll, as an event.
    await runCommand(target, "set server app/m5 state ready");
    await runCommand(target, "set server bulk_9/s5 state ready");
    const from = demands.length;
    await waitFor(() => demands.length >= from + 2, 5000, "the next poll done"); // poll `from` applied
    expect(status(p.store.getSnapshot().snapshot, "app", "m5")).not.toBe("MAINT");
    const fullAt = demands.findIndex((d, i) => i >= from && d.scope === undefined);
    if (fullAt < 0) expect(status(p.store.getSnapshot().snapshot, "bulk_9", "s5")).toBe("MAINT");
    await waitFor(
      () => status(p.store.getSnapshot().snapshot, "bulk_9", "s5") !== "MAINT",
      INTERVAL_MS * DEFAULT_POLICY.fullEvery * 3,
      "bulk_9/s5 after a full poll",
    );
    expect(p.store.getSnapshot().events.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^app\/m5 MAINT → /),
        expect.stringMatching(/^bulk_9\/s5 MAINT → /),
      ]),
    );
    // Only numbers ever went into a scoped command.
    expect(demands.flatMap((d) => d.scope?.serversOf ?? []).every((n) => Number.isInteger(n))).toBe(true);
  }, 30_000);
});
