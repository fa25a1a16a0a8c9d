import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildSnapshot, buildSnapshotSliced, type ServerEntry } from "../../../src/model/snapshot.js";
import { adminFromMask, opFromCode, statesFromStatus } from "../../../src/model/status.js";
import { parseInfo } from "../../../src/parse/info.js";
import { parseServersState } from "../../../src/parse/servers-state.js";
import { parseStat, type StatRow } from "../../../src/parse/stat.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "latin1");

describe("a server's two states", () => {
  it("reads show stat's status without guessing what it hides", () => {
    const cases: [string, string | null, string | null][] = [
      ["UP", "READY", "UP"],
      ["UP 1/3", "READY", "UP"],
      ["no check", "READY", "UP"],
      ["DOWN", null, "DOWN"],
      ["DOWN 1/2", null, "DOWN"],
      ["DOWN (agent)", null, "DOWN"],
      ["NOLB", null, "STOPPING"],
      ["NOLB 1/2", null, "STOPPING"],
      ["DRAIN", "DRAIN", "UP"],
      ["DRAIN 1/2", "DRAIN", "UP"],
      ["DRAIN (agent)", "DRAIN", "UP"],
      ["MAINT", "MAINT", null],
      ["MAINT (via be/s1)", "MAINT", null],
      ["MAINT (resolution)", "MAINT", null],
      ["", null, null],
      ["weird", null, null],
    ];
    for (const [status, admin, op] of cases) expect(statesFromStatus(status), status).toEqual({ admin, op });
  });

  it("reads show servers state's srv_admin_state mask and srv_op_state", () => {
    expect(adminFromMask(0)).toBe("READY");
    for (const m of [0x01, 0x02, 0x04, 0x20, 0x09, 0x21]) expect(adminFromMask(m), String(m)).toBe("MAINT");
    expect(adminFromMask(0x08)).toBe("DRAIN");
    expect(adminFromMask(0x10)).toBe("DRAIN");
    expect(adminFromMask(0x40)).toBe("READY"); // FQDN_CHANGED alone: not an admin state
    expect(adminFromMask("1")).toBeNull();
    expect(adminFromMask(-1)).toBeNull();
    expect([0, 1, 2, 3].map(opFromCode)).toEqual(["DOWN", "STARTING", "UP", "STOPPING"]);
    expect(opFromCode(4)).toBeNull();
    expect(opFromCode("2")).toBeNull();
  });
});

describe("buildSnapshot", () => {
  const info = parseInfo(fixture("haproxy-3.2.0/show-info.txt"));
  const rows = parseStat(fixture("haproxy-3.2.0/show-stat.txt"));
  const state = parseServersState(fixture("haproxy-3.2.0/show-servers-state.txt")).rows;
  const servers = (rows: StatRow[], serversState = state) =>
    buildSnapshot(info, rows, 0, null, { serversState }).backends.flatMap((b) => b.servers);

  it("takes show servers state only for the same backend id, server id and name", () => {
    const renamed = state.map((l) => (l.srv_name === "s_drain" ? { ...l, srv_name: "other" } : l));
    const drain = servers(rows, renamed).find((s) => s.name === "s_drain")!;
    expect(drain.serverState).toBeUndefined();
    expect([drain.admin, drain.op]).toEqual(["DRAIN", "UP"]); // from status alone
    const maint = servers(rows, renamed).find((s) => s.name === "s_maint")!;
    expect([maint.admin, maint.op]).toEqual(["MAINT", "DOWN"]);
  });

  it("listeners have no server states; skipped rows are carried", () => {
    const listener: StatRow = { pxname: "fe", svname: "sock-1", type: 3, status: "OPEN" };
    const snap = buildSnapshot(info, [listener], 0, null, { statRowsSkipped: 3 });
    expect(snap.listeners[0]).toMatchObject({ key: "li/fe/sock-1", admin: null, op: null });
    expect(snap.statRowsSkipped).toBe(3);
    expect(buildSnapshot(info, [], 0, null).statRowsSkipped).toBe(0);
  });

  it("in slices gives the same snapshot as at once, and lets the event loop turn on a big one", async () => {
    expect(await buildSnapshotSliced(info, rows, 5, "admin", { serversState: state })).toEqual(
      buildSnapshot(info, rows, 5, "admin", { serversState: state }),
    );
    const many: StatRow[] = [];
    for (let b = 0; b < 200; b++) {
      for (let s = 0; s < 500; s++)
        many.push({ pxname: `be${b}`, svname: `s${s}`, type: 2, status: "UP", iid: b, sid: s });
      many.push({ pxname: `be${b}`, svname: "BACKEND", type: 1, status: "UP", iid: b });
    }
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = performance.now();
    const snap = await buildSnapshotSliced(info, many, 0, null);
    const ms = performance.now() - t0;
    clearInterval(timer);
    expect(snap.backends).toHaveLength(200);
    expect(snap.backends[199]!.servers).toHaveLength(500);
    expect((snap.backends[0]!.servers[0] as ServerEntry).admin).toBe("READY");
    // A timer fired during the build, unless it was over within the 50 ms (no need to yield).
    expect(ticks > 0 || ms < 50, `no timer fired during ${Math.round(ms)} ms`).toBe(true);
  });
});
