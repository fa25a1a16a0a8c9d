/**
 * `show servers state` is read on a full poll every SERVERS_STATE_EVERY full polls, or on the next
 * full poll after a state change (issue 12: its parse was ~5 % of a tick). Between two reads a
 * server whose status word is the same keeps its last line and exact states; one whose status
 * changed takes its states from the status word until the next read.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildSnapshot, type ServerEntry, type Snapshot } from "../../../src/model/snapshot.js";
import type { ServerStateRow } from "../../../src/parse/servers-state.js";
import type { StatRow } from "../../../src/parse/stat.js";
import {
  afterServersState,
  INITIAL_SERVERS_STATE,
  SERVERS_STATE_EVERY,
  wantServersState,
} from "../../../src/store/adaptive.js";
import { applyPoll, type PollOutcome } from "../../../src/store/apply.js";
import type { Demand } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";
import { initialState } from "../../../src/store/state.js";

const row = (sv: string, type: number, status: string, sid: number): StatRow => ({
  pxname: "be",
  svname: sv,
  type,
  iid: 2,
  sid,
  status,
  stot: 0,
});

/** Backend `be` with s1 (sid 1) and s2 (sid 2); `lines`: the servers state lines read with it. */
function snap(at: number, s1: string, lines?: ServerStateRow[]): Snapshot {
  const rows = [row("s1", 2, s1, 1), row("s2", 2, "UP", 2), row("BACKEND", 1, "UP", 0)];
  return buildSnapshot({ Pid: 1 }, rows, at, null, { serversState: lines });
}

/** A line that says "draining" (admin bit 0x08) and "stopped" (op 0): what the status word hides. */
const line = (srv: string, sid: number): ServerStateRow => ({
  be_id: 2,
  be_name: "be",
  srv_id: sid,
  srv_name: srv,
  srv_op_state: 0,
  srv_admin_state: 8,
});

const full = (snapshot: Snapshot): PollOutcome => ({
  result: { snapshot, level: "admin" },
  kind: "full",
  scope: undefined,
  askedLevel: false,
});

const server = (s: Snapshot, name: string) =>
  s.backends[0]!.servers.find((x) => x.name === name) as ServerEntry;

describe("the cadence", () => {
  it("reads on the first full poll, then every SERVERS_STATE_EVERY full polls", () => {
    let c = INITIAL_SERVERS_STATE;
    const reads: boolean[] = [];
    for (let i = 0; i < 2 * SERVERS_STATE_EVERY + 1; i++) {
      const read = wantServersState(c);
      reads.push(read);
      c = afterServersState(c, "full", read, false);
    }
    expect(reads.map((r, i) => (r ? i : -1)).filter((i) => i >= 0)).toEqual([0, 10, 20]);
  });

  it("reads on the next full poll after a state change; scoped polls do not count", () => {
    let c = afterServersState(INITIAL_SERVERS_STATE, "full", true, false);
    expect(wantServersState(c)).toBe(false);
    c = afterServersState(c, "scoped", false, true);
    expect(wantServersState(c)).toBe(true);
    c = afterServersState(c, "full", true, false);
    expect(wantServersState(c)).toBe(false);
    for (let i = 0; i < 20; i++) c = afterServersState(c, "scoped", false, false);
    expect(wantServersState(c)).toBe(false);
  });
});

describe("between two reads", () => {
  it("a server whose status is the same keeps its line and exact states; a changed one does not", () => {
    const first = applyPoll(
      initialState("/x", 1000),
      full(snap(1000, "DOWN", [line("s1", 1), line("s2", 2)])),
    );
    expect(server(first.state.snapshot!, "s1").admin).toBe("DRAIN");
    // The next full poll without servers state: s2 is the same, s1 came back UP.
    const next = applyPoll(first.state, full(snap(2000, "UP")));
    const s2 = server(next.state.snapshot!, "s2");
    expect(s2.serverState).toEqual(line("s2", 2));
    expect([s2.admin, s2.op]).toEqual(["DRAIN", server(first.state.snapshot!, "s2").op]);
    const s1 = server(next.state.snapshot!, "s1");
    expect(s1.serverState).toBeUndefined();
    expect([s1.admin, s1.op]).toEqual(["READY", "UP"]); // from the status word
    expect(next.events.map((e) => e.text)).toEqual(["be/s1 DOWN → UP"]);
  });
});

describe("Poller: show servers state on full polls", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("asks for it on the first full poll, every 10th, and after a state change", async () => {
    const demands: Demand[] = [];
    let s1 = "UP";
    let at = 0;
    const p = new Poller({
      target: "/x",
      intervalMs: 1000,
      adaptive: { skeletonFirst: false },
      fetch: async (d) => {
        demands.push(d);
        at += 1000;
        return { snapshot: snap(at, s1), level: "admin" };
      },
    });
    p.start();
    await vi.waitFor(() => expect(demands.length).toBe(1));
    for (let i = 0; i < 11; i++) await vi.advanceTimersByTimeAsync(1000);
    const reads = () => demands.map((d) => d.serversState !== false);
    expect(reads().slice(0, 12)).toEqual([true, ...Array(9).fill(false), true, false]);
    s1 = "DOWN";
    await vi.advanceTimersByTimeAsync(1000); // sees the change
    await vi.advanceTimersByTimeAsync(1000); // reads servers state
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads().slice(12, 15)).toEqual([false, true, false]);
    p.stop();
  });
});

describe("Poller: an action asks for show servers state", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reads it on the next full poll after an action event", async () => {
    const demands: Demand[] = [];
    let at = 0;
    const p = new Poller({
      target: "/x",
      intervalMs: 1000,
      adaptive: { skeletonFirst: false },
      fetch: async (d) => {
        demands.push(d);
        at += 1000;
        return { snapshot: snap(at, "UP"), level: "admin" };
      },
    });
    p.start();
    await vi.waitFor(() => expect(demands.length).toBe(1));
    await vi.advanceTimersByTimeAsync(1000);
    p.addEvent({ at, kind: "action", text: "set server be/s1 state drain", ok: true });
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(demands.map((d) => d.serversState !== false)).toEqual([true, false, true, false]);
    p.stop();
  });
});
