import { describe, expect, it } from "vitest";
import {
  capacityAfter,
  parseServersState,
  removalWarnings,
  runtimeChanges,
  takesTraffic,
} from "../../../src/actions/safety.js";
import type { BackendEntry, ServerEntry, Snapshot } from "../../../src/model/snapshot.js";

const srv = (name: string, status: string, over: Record<string, number> = {}): ServerEntry =>
  ({
    key: `sv/be/${name}`,
    name,
    backend: "be",
    sid: 1,
    iid: 1,
    status,
    stats: { weight: 1, bck: 0, scur: 0, ...over },
  }) as unknown as ServerEntry;
const backend = (name: string, servers: ServerEntry[]): BackendEntry =>
  ({ key: `be/${name}`, name, iid: 1, status: "UP", stats: {}, servers }) as unknown as BackendEntry;
const snap = (...backends: BackendEntry[]) => ({ backends }) as unknown as Snapshot;

describe("servers able to take traffic", () => {
  it("counts UP and unchecked servers of weight > 0, not DOWN, MAINT, DRAIN, NOLB or weight 0", () => {
    expect(takesTraffic(srv("a", "UP"))).toBe(true);
    expect(takesTraffic(srv("a", "UP 1/3"))).toBe(true);
    expect(takesTraffic(srv("a", "no check"))).toBe(true);
    for (const s of ["DOWN", "DOWN 1/2", "MAINT", "MAINT (via x/y)", "DRAIN", "NOLB"])
      expect(takesTraffic(srv("a", s)), s).toBe(false);
    expect(takesTraffic(srv("a", "UP", { weight: 0 }))).toBe(false);
  });

  it("sees an outage when the last active server goes and no backup is there", () => {
    const be = backend("be_app", [srv("app1", "UP"), srv("app_down", "DOWN")]);
    expect(capacityAfter(be, new Set(["app1"]))).toMatchObject({ activeAfter: 0, outage: true });
    expect(capacityAfter(be, new Set(["app_down"]))).toMatchObject({ activeAfter: 1, outage: false });
  });

  it("counts backups only once no active server is left", () => {
    const be = backend("be", [srv("a", "UP"), srv("b", "UP", { bck: 1 })]);
    expect(capacityAfter(be, new Set(["a"]))).toMatchObject({ outage: false, backupAfter: 1 });
    const onlyBackup = backend("be", [srv("a", "DOWN"), srv("b", "UP", { bck: 1 })]);
    expect(capacityAfter(onlyBackup, new Set(["b"]))).toMatchObject({ outage: true });
  });

  it("words the warning: which backend, how many servers left", () => {
    const s = snap(
      backend("be_app", [srv("app1", "UP"), srv("app_down", "DOWN")]),
      backend("be_two", [srv("app1", "UP"), srv("app2", "UP")]),
    );
    const w = removalWarnings(s, ["be_app", "be_two"], "app1");
    expect(w.outage).toEqual(["be_app"]);
    expect(w.warnings[0]).toBe(
      "be_app would have NO server able to take traffic: 0 of 2 active servers left, no backup; clients get 503 (HTTP) or refused connections (TCP)",
    );
    expect(w.warnings[1]).toBe("be_two: 1 of 2 active servers left taking traffic");
  });
});

describe("runtime changes a reload loses", () => {
  const dump = [
    "1",
    "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port",
    "3 be_app 1 app1 127.0.0.1 2 1 1 1 10 6 3 4 6 0 0 0 - 8080 - 0 0 - - 0",
    "3 be_app 2 app2 127.0.0.1 2 8 1 1 10 6 3 4 6 0 0 0 - 8080 - 0 0 - - 0",
    "3 be_app 3 app3 127.0.0.1 2 0 10 50 10 6 3 4 6 0 0 0 - 8080 - 0 0 - - 0",
    "3 be_app 4 app4 127.0.0.1 0 4 1 1 10 6 3 4 6 0 0 0 - 8080 - 0 0 - - 0",
    "",
  ].join("\n");
  it("lists CLI maint/drain and changed weights, not maint from the config", () => {
    expect(runtimeChanges(parseServersState(dump))).toEqual([
      "be_app/app1 in maint",
      "be_app/app2 draining",
      "be_app/app3 weight 10 (initial 50)",
    ]);
    expect(parseServersState("No such backend.\n")).toEqual([]);
  });
});
