/**
 * Poller.retarget (watching one worker through the master CLI): the state starts over for the new
 * process, a poll of the previous one that finishes late is dropped, the master's answers and the
 * timeline stay, and a refused retarget changes nothing.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildSnapshot } from "../../../src/model/snapshot.js";
import { parseInfo } from "../../../src/parse/info.js";
import type { ExtraQuery } from "../../../src/store/extras.js";
import type { PollResult } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";

const INFO = parseInfo(
  readFileSync(new URL("../../fixtures/haproxy-2.6.12/show-info.txt", import.meta.url), "latin1"),
);
const result = (pid: number): PollResult => ({
  snapshot: buildSnapshot({ ...INFO, Pid: pid }, [], Date.now(), "admin"),
  level: "admin",
});

let stop: (() => void) | null = null;
afterEach(() => stop?.());

function setup() {
  let route: number | null = null;
  const pending: { pid: number | null; resolve: (r: PollResult) => void }[] = [];
  const fetch = vi.fn(
    () =>
      new Promise<PollResult>((resolve) => {
        pending.push({ pid: route, resolve });
      }),
  );
  const extras: ExtraQuery[] = [];
  const poller = new Poller({
    target: "/run/admin.sock",
    intervalMs: 60_000,
    adaptive: { skeletonFirst: false },
    fetch,
    fetchExtra: async (q) => ({ ok: true, value: `${q.key} of ${route ?? "home"}` }),
    retarget: (pid) => {
      if (pid === 999) return { error: "no master CLI known" };
      route = pid;
      return {
        target: pid === null ? "/run/admin.sock" : `/tmp/master.sock @!${pid}`,
        via: pid === null ? null : { pid, master: "/tmp/master.sock", home: "/run/admin.sock" },
      };
    },
  });
  stop = () => poller.stop();
  return { poller, pending, fetch, extras };
}

/** Answers the oldest pending poll with the pid of the process it was sent to (home: 100). */
async function answer(s: ReturnType<typeof setup>) {
  await vi.waitFor(() => expect(s.pending.length).toBeGreaterThan(0));
  const p = s.pending.shift()!;
  p.resolve(result(p.pid ?? 100));
}

describe("Poller.retarget", () => {
  it("points the polls at the worker and starts the state over; b goes home", async () => {
    const s = setup();
    s.poller.setDemand({
      sessions: false,
      errors: false,
      extras: [
        { key: "master:show-proc", commands: ["show proc"], to: "master", parse: () => 0 },
        { key: "process:activity", commands: ["show activity"], parse: () => 0 },
      ],
    });
    s.poller.start();
    await answer(s);
    await vi.waitFor(() => expect(s.poller.store.getSnapshot().snapshot?.info.Pid).toBe(100));
    s.poller.addEvent({ at: 1, kind: "action", text: "something done" });
    await vi.waitFor(() => expect(Object.keys(s.poller.store.getSnapshot().extras)).toHaveLength(2));

    expect(s.poller.retarget(4242)).toBeNull();
    let st = s.poller.store.getSnapshot();
    expect(st.target).toBe("/tmp/master.sock @!4242");
    expect(st.via).toEqual({ pid: 4242, master: "/tmp/master.sock", home: "/run/admin.sock" });
    expect(st.snapshot).toBeNull(); // another process: nothing of the previous one is shown as its
    expect(st.link).toBe("connecting");
    expect(Object.keys(st.extras)).toEqual(["master:show-proc"]);
    expect(st.events.map((e) => e.text)).toContain("something done");

    await answer(s);
    await vi.waitFor(() => expect(s.poller.store.getSnapshot().snapshot?.info.Pid).toBe(4242));
    st = s.poller.store.getSnapshot();
    // Not a reload: the pid did not change under the same target.
    expect(st.events.filter((e) => e.kind === "pid")).toEqual([]);
    await vi.waitFor(() =>
      expect(s.poller.store.getSnapshot().extras["process:activity"]?.value).toBe("process:activity of 4242"),
    );

    expect(s.poller.retarget(null)).toBeNull();
    expect(s.poller.store.getSnapshot().via).toBeNull();
    await answer(s);
    await vi.waitFor(() => expect(s.poller.store.getSnapshot().snapshot?.info.Pid).toBe(100));
  });

  it("drops a poll of the previous process that answers after the switch", async () => {
    const s = setup();
    s.poller.start();
    await vi.waitFor(() => expect(s.pending).toHaveLength(1)); // the home poll, still in flight
    expect(s.poller.retarget(4242)).toBeNull();
    await answer(s); // the home process answers late: dropped
    await vi.waitFor(() => expect(s.pending).toHaveLength(1)); // the worker's poll is under way
    expect(s.poller.store.getSnapshot().snapshot).toBeNull();
    await answer(s); // the worker's poll, started right after
    await vi.waitFor(() => expect(s.poller.store.getSnapshot().snapshot?.info.Pid).toBe(4242));
    expect(s.fetch).toHaveBeenCalledTimes(2);
    expect(s.poller.store.getSnapshot().events.filter((e) => e.kind === "pid")).toEqual([]);
    expect(s.poller.store.getSnapshot().link).toBe("ok");
  });

  it("a refused retarget says why and changes nothing", async () => {
    const s = setup();
    s.poller.start();
    await answer(s);
    await vi.waitFor(() => expect(s.poller.store.getSnapshot().snapshot).not.toBeNull());
    const before = s.poller.store.getSnapshot();
    expect(s.poller.retarget(999)).toBe("no master CLI known");
    expect(s.poller.store.getSnapshot()).toBe(before);
  });
});
