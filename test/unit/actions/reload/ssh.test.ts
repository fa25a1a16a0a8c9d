/**
 * Which reloads an SSH target allows, from the options alone (src/actions/reload/ssh.ts): only the
 * master CLI given as an SSH target on the same host; every refusal names what to pass.
 */
import { describe, expect, it } from "vitest";
import { ReloadPlanError, sshMasterSocket, sshReloadUnavailable } from "../../../../src/actions/reload.js";
import { SSH_RELOAD_UNAVAILABLE } from "../../../../src/client/ssh.js";
import { parseTarget, type SshTarget } from "../../../../src/client/target.js";

const stats = parseTarget("ops@lb1:/run/haproxy/admin.sock") as SshTarget;
const refusal = (opts: Parameters<typeof sshMasterSocket>[1]) => {
  try {
    sshMasterSocket(stats, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ReloadPlanError);
    expect((e as ReloadPlanError).flag).toBe("--master-socket");
    return (e as Error).message;
  }
  throw new Error("not refused");
};

describe("reload over SSH: the master CLI to use", () => {
  it("accepts the master CLI on the same SSH host, in either spelling", () => {
    expect(sshMasterSocket(stats, { masterSocket: "ops@lb1:/run/haproxy-master.sock" })).toEqual({
      kind: "ssh",
      user: "ops",
      host: "lb1",
      path: "/run/haproxy-master.sock",
    });
    expect(sshMasterSocket(stats, { masterSocket: "ssh://ops@lb1/run/m.sock" }).path).toBe("/run/m.sock");
    expect(sshReloadUnavailable(stats, { masterSocket: "ops@lb1:/run/m.sock" })).toBeNull();
  });

  it("without one: the message says exactly what to pass", () => {
    expect(refusal({})).toBe(SSH_RELOAD_UNAVAILABLE);
    expect(SSH_RELOAD_UNAVAILABLE).toContain("pass --master-socket <ssh target of the master CLI>");
    expect(sshReloadUnavailable(stats, {})).toBe(SSH_RELOAD_UNAVAILABLE);
  });

  it("a local path, another host, another user or port: refused, with an example on the right host", () => {
    expect(refusal({ masterSocket: "/run/haproxy-master.sock" })).toBe(
      "--master-socket /run/haproxy-master.sock is not an SSH target, but HAProxy runs on lb1 " +
        "(ssh://ops@lb1/run/haproxy/admin.sock): pass --master-socket <ssh target of the master CLI>, " +
        "e.g. ssh://ops@lb1/run/haproxy-master.sock",
    );
    for (const other of ["ops@lb2:/m.sock", "root@lb1:/m.sock", "ssh://ops@lb1:2222/m.sock"])
      expect(refusal({ masterSocket: other })).toMatch(/is not on the same SSH host as ssh:\/\/ops@lb1\//);
    expect(refusal({ masterSocket: "lb1:/bad path" })).toMatch(/^--master-socket: /);
  });

  it("modes that run on this machine are refused over SSH", () => {
    expect(refusal({ reloadCmd: "systemctl reload haproxy", masterSocket: "ops@lb1:/m.sock" })).toMatch(
      /^--reload-cmd cannot reload ssh:\/\/ops@lb1\/run\/haproxy\/admin\.sock: it would run on this machine, not on lb1/,
    );
    expect(refusal({ mode: "expose-fd" })).toMatch(/^--mode expose-fd cannot reload/);
    expect(sshMasterSocket(stats, { mode: "master-worker", masterSocket: "ops@lb1:/m.sock" }).host).toBe(
      "lb1",
    );
  });

  it("a local target is not this module's business", () => {
    expect(sshReloadUnavailable({ kind: "unix", path: "/run/haproxy/admin.sock" }, {})).toBeNull();
  });
});
