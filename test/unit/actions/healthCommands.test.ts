import { describe, expect, it } from "vitest";
import {
  buildHealthCommand,
  checkStateFromMask,
  checkStates,
  healthAcceptedMessage,
  parseMaxconn,
} from "../../../src/actions/healthCommands.js";
import { acceptedMessage } from "../../../src/actions/outcome.js";
import { ACTION_REQUIREMENTS, checkAllowed } from "../../../src/actions/policy.js";
import { parseServersState } from "../../../src/parse/servers-state.js";

const health = (backend: string, server: string, enable: boolean) =>
  buildHealthCommand({ kind: "set-health-check", backend, server, enable });

describe("buildHealthCommand", () => {
  it("builds enable/disable health and agent, read back with show servers state", () => {
    expect(health("be_app", "app1", false)).toEqual({
      action: "set-health-check",
      commands: ["disable health be_app/app1"],
      before: [],
      verify: ["show servers state be_app"],
    });
    expect(health("be_app", "app1", true).commands).toEqual(["enable health be_app/app1"]);
    const agent = buildHealthCommand({ kind: "set-agent-check", backend: "be", server: "s-1", enable: true });
    expect(agent).toMatchObject({ action: "set-agent-check", commands: ["enable agent be/s-1"] });
    expect(
      buildHealthCommand({ kind: "set-agent-check", backend: "be", server: "s", enable: false }).commands,
    ).toEqual(["disable agent be/s"]);
  });

  it("builds set maxconn server, read back by backend id", () => {
    const b = buildHealthCommand({
      kind: "set-maxconn-server",
      backend: "be_app",
      backendId: 4,
      server: "app1",
      maxconn: 25,
    });
    expect(b).toEqual({
      action: "set-maxconn-server",
      commands: ["set maxconn server be_app/app1 25"],
      before: [],
      verify: ["show stat +4 4 -1"],
    });
    const noId = {
      kind: "set-maxconn-server",
      backend: "b",
      backendId: null,
      server: "s",
      maxconn: 0,
    } as const;
    expect(buildHealthCommand(noId)).toMatchObject({ commands: ["set maxconn server b/s 0"], verify: [] });
  });

  it("refuses names that would change the command, and bad maxconn values", () => {
    expect(() => health("be;shutdown sessions server x/y", "s", false)).toThrow(/proxy\/backend name/);
    expect(() => health("be", "s x", true)).toThrow(/server name/);
    expect(() => health("be", "", true)).toThrow(/empty/);
    expect(() => health("be\nenable health", "s", true)).toThrow(/invalid/);
    for (const bad of [-1, 1.5, 2_000_000, Number.NaN] as number[])
      expect(() =>
        buildHealthCommand({
          kind: "set-maxconn-server",
          backend: "b",
          backendId: 1,
          server: "s",
          maxconn: bad,
        }),
      ).toThrow(/maxconn value/);
  });
});

describe("parseMaxconn", () => {
  it("takes whole numbers 0 to 1e6, nothing else", () => {
    expect(parseMaxconn("0")).toBe(0);
    expect(parseMaxconn(" 250 ")).toBe(250);
    expect(parseMaxconn(1_000_000)).toBe(1_000_000);
    for (const bad of ["", "-1", "1e3", "abc", "10;", "1000001", "12 3", "0x10"])
      expect(() => parseMaxconn(bad), bad).toThrow(/invalid maxconn value/);
  });
});

describe("check states", () => {
  it("reads srv_check_state / srv_agent_state bits", () => {
    expect(checkStateFromMask(6)).toBe("enabled"); // configured + enabled
    expect(checkStateFromMask(2)).toBe("disabled"); // configured, disabled from the CLI
    expect(checkStateFromMask(14)).toBe("enabled"); // paused in maintenance, still enabled
    expect(checkStateFromMask(0)).toBe("not-configured");
    expect(checkStateFromMask("6")).toBe("unknown");
    expect(checkStateFromMask(undefined)).toBe("unknown");
  });

  it("falls back on show stat: a check_status says enabled, none says unknown (never disabled)", () => {
    expect(checkStates(undefined, { check_status: "L4OK", agent_status: null })).toEqual({
      health: "enabled",
      agent: "unknown",
    });
    const row = { srv_check_state: 2, srv_agent_state: 0 };
    expect(checkStates(row, { check_status: "L4OK" })).toEqual({
      health: "disabled",
      agent: "not-configured",
    });
  });
});

describe("health actions' policy and messages", () => {
  it("need admin level and are refused in read-only mode", () => {
    for (const a of ["set-health-check", "set-agent-check", "set-maxconn-server"] as const) {
      expect(ACTION_REQUIREMENTS[a]).toEqual({ level: "admin", mutating: true });
      expect(checkAllowed(a, "operator", false)?.refusal).toBe("level");
      expect(checkAllowed(a, "admin", true)?.refusal).toBe("read-only");
      expect(checkAllowed(a, "admin", false)).toBeNull();
    }
  });

  const state = (checkState: number) =>
    [
      "1",
      "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port",
      `4 be_app 1 app1 127.0.0.1 2 0 1 1 3 15 3 4 ${checkState} 0 0 0 - 36901 - 0 0 - - 0`,
      "",
    ].join("\n");

  it("word the read-back state", () => {
    expect(parseServersState(state(2)).rows).toHaveLength(1);
    expect(acceptedMessage(health("be_app", "app1", false), [], [state(2)])).toBe(
      "be_app/app1 health checks now disabled",
    );
    expect(healthAcceptedMessage(health("be_app", "app1", true), [state(6)])).toBe(
      "be_app/app1 health checks now enabled",
    );
    expect(healthAcceptedMessage(health("be_app", "app1", true), [""])).toBe(
      "be_app/app1 health checks enabled (could not read the state back)",
    );
    const mc = buildHealthCommand({
      kind: "set-maxconn-server",
      backend: "b",
      backendId: null,
      server: "s",
      maxconn: 0,
    });
    expect(healthAcceptedMessage(mc, [])).toBe("b/s maxconn set to no limit");
  });
});
