import { describe, expect, it } from "vitest";
import { buildSnapshot, type Snapshot } from "../../../src/model/snapshot.js";
import type { StatRow } from "../../../src/parse/stat.js";
import {
  type AdaptiveState,
  afterPoll,
  carryServers,
  DEFAULT_POLICY,
  forceFull,
  fullEveryOf,
  INITIAL_ADAPTIVE,
  idsOf,
  planPoll,
} from "../../../src/store/adaptive.js";
import { statCommands } from "../../../src/store/poll.js";

const row = (px: string, sv: string, type: number, iid: number | null, status = "UP"): StatRow => ({
  pxname: px,
  svname: sv,
  type,
  iid,
  stot: 0,
  status,
  scur: 0,
  slim: null,
});

/**
 * A frontend `app` (iid 1) and backends be_0.. (iid 2..) plus a backend `app` sharing the
 * frontend's name (the last iid). `serversOf` (iids): only those backends' servers (a scoped reply).
 */
function snapshot(backends: number, servers: number, serversOf?: number[], status = "UP"): Snapshot {
  const rows: StatRow[] = [row("app", "FRONTEND", 0, 1)];
  const names = [...Array.from({ length: backends }, (_, b) => `be_${b}`), "app"];
  names.forEach((be, b) => {
    const iid = b + 2;
    if (!serversOf || serversOf.includes(iid))
      for (let s = 0; s < servers; s++) rows.push(row(be, `s${s}`, 2, iid, status));
    rows.push(row(be, "BACKEND", 1, iid));
  });
  return buildSnapshot({ Pid: 1 }, rows, 0, "admin");
}

const needs = (...names: string[]) => ({ sessions: false, errors: false, backendsOnScreen: names });
const steady = (over: Partial<AdaptiveState> = {}): AdaptiveState => ({
  ...INITIAL_ADAPTIVE,
  started: true,
  sinceFull: 0,
  lastFullMs: 10,
  ...over,
});

describe("planPoll", () => {
  const last = snapshot(3, 2);

  it("starts with frontends and backends only, then a full poll", () => {
    const first = planPoll(INITIAL_ADAPTIVE, DEFAULT_POLICY, needs("be_1"), null);
    expect(first).toEqual({ kind: "skeleton", scope: { serversOf: [] } });
    expect(statCommands(first.scope)).toEqual(["show stat -1 3 -1"]);
    const next = afterPoll(INITIAL_ADAPTIVE, DEFAULT_POLICY, "skeleton", 5);
    expect(planPoll(next, DEFAULT_POLICY, needs("be_1"), last).kind).toBe("full");
    const noSkeleton = { ...DEFAULT_POLICY, skeletonFirst: false };
    expect(planPoll(INITIAL_ADAPTIVE, noSkeleton, needs(), null).kind).toBe("full");
  });

  it("polls everything while full polls are cheap", () => {
    expect(planPoll(steady(), DEFAULT_POLICY, needs("be_1"), last)).toEqual({
      kind: "full",
      scope: undefined,
    });
  });

  it("asks for the backends on screen by id: a frontend of the same name cannot shadow one", () => {
    const plan = planPoll(steady({ scoped: true }), DEFAULT_POLICY, needs("app", "be_1"), last);
    expect(plan).toEqual({ kind: "scoped", scope: { serversOf: [5, 3] } });
    expect(statCommands(plan.scope)).toEqual(["show stat -1 3 -1", "show stat +5 4 -1", "show stat +3 4 -1"]);
  });

  it("never puts a name in a command, whatever the name", () => {
    const odd = ["a\nb", "x y", "be;x", "\u001b[2J"];
    const rows = [...odd.map((n, i) => row(n, "BACKEND", 1, 10 + i)), row("x y", "s1", 2, 11)];
    const snap = buildSnapshot({ Pid: 1 }, rows, 0, "admin");
    const plan = planPoll(steady({ scoped: true }), DEFAULT_POLICY, needs(...odd, "not there"), snap);
    expect(plan.scope).toEqual({ serversOf: [10, 11, 12, 13] });
    for (const cmd of statCommands(plan.scope)) expect(cmd).toMatch(/^show stat (-1 3|\+\d+ 4) -1$/);
  });

  it("falls back to a full poll when a backend on screen has no id to ask by", () => {
    const snap = buildSnapshot({ Pid: 1 }, [row("be_x", "BACKEND", 1, null)], 0, "admin");
    expect(idsOf(snap, ["be_x"])).toBeNull();
    expect(planPoll(steady({ scoped: true }), DEFAULT_POLICY, needs("be_x"), snap).kind).toBe("full");
  });

  it("a costlier full poll comes less often: its cost over fullBudgetMs polls apart, 10 to 30", () => {
    const every = (ms: number | null) =>
      fullEveryOf(steady({ scoped: true, lastFullMs: ms }), DEFAULT_POLICY);
    expect(every(null)).toBe(DEFAULT_POLICY.fullEvery);
    expect(every(120)).toBe(10);
    expect(every(500)).toBe(10);
    expect(every(800)).toBe(16);
    expect(every(1000)).toBe(20);
    expect(every(5000)).toBe(DEFAULT_POLICY.maxFullEvery);
    // A 1 s full poll: the 20th poll is the full one.
    const kinds: string[] = [];
    let a = steady({ scoped: true, lastFullMs: 1000 });
    for (let i = 0; i < 40; i++) {
      const plan = planPoll(a, DEFAULT_POLICY, needs("be_0"), last);
      kinds.push(plan.kind);
      a = afterPoll(a, DEFAULT_POLICY, plan.kind, 1000);
    }
    expect(kinds.flatMap((k, i) => (k === "full" ? [i] : []))).toEqual([19, 39]);
  });

  it("is still full every Nth poll, and at once after a reload", () => {
    const kinds: string[] = [];
    let a = steady({ scoped: true, lastFullMs: 500 });
    for (let i = 0; i < 2 * DEFAULT_POLICY.fullEvery; i++) {
      const plan = planPoll(a, DEFAULT_POLICY, needs("be_0"), last);
      kinds.push(plan.kind);
      a = afterPoll(a, DEFAULT_POLICY, plan.kind, 500);
    }
    const fullAt = kinds.flatMap((k, i) => (k === "full" ? [i] : []));
    expect(fullAt).toEqual([DEFAULT_POLICY.fullEvery - 1, 2 * DEFAULT_POLICY.fullEvery - 1]);
    const afterReload = forceFull(steady({ scoped: true, sinceFull: 1 }));
    expect(planPoll(afterReload, DEFAULT_POLICY, needs("be_0"), last).kind).toBe("full");
  });
});

describe("afterPoll: the policy follows what the last full poll cost", () => {
  it("turns scoped above slowPollMs and full again only below fastPollMs", () => {
    const { slowPollMs, fastPollMs } = DEFAULT_POLICY;
    let a = afterPoll(steady(), DEFAULT_POLICY, "full", slowPollMs + 1);
    expect(a).toMatchObject({ scoped: true, sinceFull: 0, lastFullMs: slowPollMs + 1 });
    a = afterPoll(a, DEFAULT_POLICY, "scoped", 3);
    expect(a).toMatchObject({ scoped: true, sinceFull: 1 }); // a cheap scoped poll proves nothing
    a = afterPoll(a, DEFAULT_POLICY, "full", (slowPollMs + fastPollMs) / 2);
    expect(a.scoped).toBe(true); // in between: no flapping
    a = afterPoll(a, DEFAULT_POLICY, "full", fastPollMs - 1);
    expect(a.scoped).toBe(false);
    a = afterPoll(a, DEFAULT_POLICY, "full", (slowPollMs + fastPollMs) / 2);
    expect(a.scoped).toBe(false);
  });

  it("keeps a small config on full polls however slow its poll was (a loaded machine)", () => {
    const slow = DEFAULT_POLICY.slowPollMs * 10;
    expect(afterPoll(steady(), DEFAULT_POLICY, "full", slow, 6).scoped).toBe(false);
    expect(afterPoll(steady({ scoped: true }), DEFAULT_POLICY, "full", slow, 6).scoped).toBe(false);
    expect(afterPoll(steady(), DEFAULT_POLICY, "full", slow, DEFAULT_POLICY.minServers).scoped).toBe(true);
  });

  it("uses the policy given (a test makes any config large with slowPollMs 0)", () => {
    const policy = { ...DEFAULT_POLICY, slowPollMs: 0, fastPollMs: -1 };
    expect(afterPoll(steady(), policy, "full", 0.5).scoped).toBe(true);
  });
});

describe("carryServers", () => {
  it("keeps the previous servers of backends not fetched, without touching either snapshot", () => {
    const prev = snapshot(3, 2);
    const reply = snapshot(3, 2, [3]); // be_1's servers only
    const prevBackends = prev.backends.map((b) => ({ ...b, servers: [...b.servers] }));
    const replyBackends = reply.backends.map((b) => ({ ...b, servers: [...b.servers] }));
    const { snapshot: cur, carried } = carryServers(prev, reply, { serversOf: [3] });
    expect(cur.backends.map((b) => b.servers.length)).toEqual([2, 2, 2, 2]);
    expect(cur.backends[0]!.servers).toBe(prev.backends[0]!.servers);
    expect(cur.backends[1]).toBe(reply.backends[1]); // fetched: as HAProxy gave it
    expect(carried).toBe(6); // be_0, be_2 and app: two servers each
    // Nothing a cache keys on was changed.
    expect(prev.backends).toEqual(prevBackends);
    expect(reply.backends).toEqual(replyBackends);
    expect(reply.backends[0]!.servers).toHaveLength(0);
    expect(cur).not.toBe(reply);
  });

  it("takes a backend as fetched by its id, so the backend that shares a frontend's name is fresh", () => {
    const prev = snapshot(1, 2, undefined, "UP");
    const reply = snapshot(1, 2, [3], "DOWN"); // app (iid 3) fetched, now DOWN
    const { snapshot: cur } = carryServers(prev, reply, { serversOf: [3] });
    const app = cur.backends.find((b) => b.name === "app")!;
    expect(app.servers.map((s) => s.status)).toEqual(["DOWN", "DOWN"]);
    expect(cur.backends.find((b) => b.name === "be_0")!.servers.map((s) => s.status)).toEqual(["UP", "UP"]);
  });

  it("returns the reply itself after a full poll or without a previous snapshot", () => {
    const reply = snapshot(2, 2);
    expect(carryServers(snapshot(2, 2), reply, undefined)).toEqual({ snapshot: reply, carried: 0 });
    const skeleton = snapshot(2, 2, []);
    expect(carryServers(null, skeleton, { serversOf: [] }).snapshot).toBe(skeleton);
  });
});
