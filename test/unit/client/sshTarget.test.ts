import { describe, expect, it } from "vitest";
import {
  controlArgs,
  DEFAULT_SSH_SETTINGS,
  masterArgs,
  parseMasterPid,
} from "../../../src/client/sshArgs.js";
import { sshText } from "../../../src/client/sshRun.js";
import { type SshTarget, sshHostKey } from "../../../src/client/sshTarget.js";
import { describeTarget, parseTarget, TargetSyntaxError } from "../../../src/client/target.js";

describe("SSH targets", () => {
  it.each([
    ["ssh://lb1/run/haproxy/admin.sock", { host: "lb1", path: "/run/haproxy/admin.sock" }],
    [
      "ssh://root@lb1:2222/run/haproxy/admin.sock",
      { host: "lb1", user: "root", port: 2222, path: "/run/haproxy/admin.sock" },
    ],
    ["ssh://ops@10.0.0.5/a.sock", { host: "10.0.0.5", user: "ops", path: "/a.sock" }],
    ["ssh://[::1]:22/a.sock", { host: "::1", port: 22, path: "/a.sock" }],
    ["ssh://ops@[2001:db8::1]/a.sock", { host: "2001:db8::1", user: "ops", path: "/a.sock" }],
    ["lb1:/run/haproxy/admin.sock", { host: "lb1", path: "/run/haproxy/admin.sock" }],
    [
      "root@lb1.example.com:/run/haproxy/admin.sock",
      { host: "lb1.example.com", user: "root", path: "/run/haproxy/admin.sock" },
    ],
    ["[::1]:/a.sock", { host: "::1", path: "/a.sock" }],
    ["ops@[::1]:/a.sock", { host: "::1", user: "ops", path: "/a.sock" }],
  ])("%s", (spec, expected) => {
    expect(parseTarget(spec)).toEqual({ kind: "ssh", ...expected });
  });

  it("leaves HAProxy's own address forms as they were", () => {
    expect(parseTarget("127.0.0.1:9999")).toEqual({ kind: "tcp", host: "127.0.0.1", port: 9999 });
    expect(parseTarget("localhost:9999")).toEqual({ kind: "tcp", host: "localhost", port: 9999 });
    expect(parseTarget("[::1]:9999")).toEqual({ kind: "tcp", host: "::1", port: 9999 });
    expect(parseTarget("ipv6@[::1]:9999")).toEqual({ kind: "tcp", host: "::1", port: 9999 });
    expect(parseTarget("/run/haproxy/admin.sock")).toEqual({ kind: "unix", path: "/run/haproxy/admin.sock" });
    expect(parseTarget("/dir:with/colon.sock")).toEqual({ kind: "unix", path: "/dir:with/colon.sock" });
    expect(parseTarget("./a:/b")).toEqual({ kind: "unix", path: "./a:/b" });
    expect(parseTarget("unix@/x.sock")).toEqual({ kind: "unix", path: "/x.sock" });
    expect(parseTarget("admin.sock")).toEqual({ kind: "unix", path: "admin.sock" });
  });

  it.each([
    // Options in disguise: ssh would read these as options if they ever reached its argv as given.
    ["-oProxyCommand=id:/a.sock", /bad SSH host/],
    ["-oProxyCommand=touch /tmp/pwned:/a.sock", /not an address/],
    ["ssh://-oProxyCommand=sh/a.sock", /bad SSH host/],
    ["ssh://-p/a.sock", /bad SSH host/],
    ["-l:/a.sock", /bad SSH host/],
    ["-evil@lb1:/a.sock", /bad SSH user/],
    ["ssh://-oX@lb1/a.sock", /bad SSH user/],
    // Separators and ssh's own expansions in the forwarded path.
    ["lb1:/a.sock:/etc/passwd", /bad remote socket path/],
    ["lb1:/run/%h.sock", /bad remote socket path/],
    ["lb1:/run/$" + "{HOME}.sock", /bad remote socket path/], // ssh expands ${VAR} in forward paths
    ["lb1:/run/[x].sock", /bad remote socket path/],
    ["lb1:/a b.sock", /bad remote socket path/],
    ["lb1:/a.sock\n-oProxyCommand=x", /bad remote socket path/],
    ["lb1:/a\u001b[2J.sock", /bad remote socket path/],
    [`lb1:/${"a".repeat(120)}`, /longer than 107/],
    // Hosts, users and ports.
    ["ssh://lb1", /no socket path/],
    ["ssh:///a.sock", /no host/],
    [":/a.sock", /no host/],
    ["ssh://lb1:0/a.sock", /out of range/],
    ["ssh://lb1:70000/a.sock", /out of range/],
    ["ssh://lb1:22x/a.sock", /bad SSH port/],
    ["ssh://[zz::1]/a.sock", /not an IPv6 address/],
    ["lb 1:/a.sock", /bad SSH host/],
    ["a@b@lb1:/a.sock", /bad SSH host/],
    ["ssh://a;b@lb1/a.sock", /bad SSH user/],
    ["ssh://lb1\u0000/a.sock", /bad SSH host/],
  ])("refuses %j", (spec, why) => {
    expect(() => parseTarget(spec)).toThrow(TargetSyntaxError);
    expect(() => parseTarget(spec)).toThrow(why);
  });

  it("is written back as a URL, one spelling per target", () => {
    for (const spec of ["ssh://root@lb1:2222/run/a.sock", "ssh://lb1/a.sock", "ssh://ops@[::1]:22/a.sock"])
      expect(describeTarget(parseTarget(spec))).toBe(spec);
    expect(describeTarget(parseTarget("root@lb1:/a.sock"))).toBe("ssh://root@lb1/a.sock");
  });

  it("shares one master connection per user, host and port", () => {
    const key = (s: string) => sshHostKey(parseTarget(s) as SshTarget);
    expect(key("lb1:/a.sock")).toBe(key("ssh://lb1/b.sock"));
    expect(key("root@lb1:/a.sock")).not.toBe(key("lb1:/a.sock"));
    expect(key("ssh://lb1:2222/a.sock")).not.toBe(key("ssh://lb1/a.sock"));
  });
});

describe("ssh's arguments", () => {
  const target = parseTarget("ssh://ops@lb1:2222/run/haproxy/admin.sock") as SshTarget;
  const files = { control: "/run/user/0/haptop-ssh-x/c1.ctl", log: "/run/user/0/haptop-ssh-x/c1.log" };
  const fwd = [{ local: "/run/user/0/haptop-ssh-x/c1-f0.sock", remote: target.path }];

  it("the master: multiplexed, no prompt, forward or fail, host-key checking left to ssh", () => {
    const args = masterArgs(DEFAULT_SSH_SETTINGS, target, files, fwd);
    expect(args.slice(0, 3)).toEqual(["-M", "-S", files.control]);
    expect(args).toContain("-N");
    expect(args.join(" ")).toContain("-o BatchMode=yes");
    expect(args.join(" ")).toContain("-o ExitOnForwardFailure=yes");
    expect(args.join(" ")).toMatch(/-o ControlPersist=\d+/);
    expect(args.join(" ")).toContain(`-L ${fwd[0]!.local}:${fwd[0]!.remote}`);
    expect(args.join(" ")).not.toMatch(/StrictHostKeyChecking|UserKnownHostsFile|-F /);
    // The destination comes last, after `--`; user and port are option values.
    expect(args.slice(-6)).toEqual(["-l", "ops", "-p", "2222", "--", "lb1"]);
  });

  it("reads the given ssh_config with -F, first", () => {
    const args = masterArgs(
      { ...DEFAULT_SSH_SETTINGS, configFile: "/etc/haptop/ssh_config" },
      target,
      files,
      fwd,
    );
    expect(args.slice(0, 2)).toEqual(["-F", "/etc/haptop/ssh_config"]);
  });

  it("control commands name the same master and destination", () => {
    const host = parseTarget("lb1:/a.sock") as SshTarget;
    expect(controlArgs(DEFAULT_SSH_SETTINGS, host, files, "exit")).toEqual([
      "-S",
      files.control,
      "-o",
      "BatchMode=yes",
      "-O",
      "exit",
      "--",
      "lb1",
    ]);
    expect(controlArgs(DEFAULT_SSH_SETTINGS, host, files, "forward", fwd[0]).join(" ")).toContain(
      `-O forward -L ${fwd[0]!.local}:${fwd[0]!.remote} -- lb1`,
    );
  });

  it("finds the master's pid in ssh -O check's answer", () => {
    expect(parseMasterPid("Master running (pid=4242)\r\n")).toBe(4242);
    expect(parseMasterPid("Control socket connect(/x): No such file or directory")).toBeNull();
  });

  it("quotes ssh's messages escaped, on one line, bounded", () => {
    expect(sshText(["Host key verification failed.\r", "", "evil\u001b[2Jline"])).toBe(
      "Host key verification failed.; evil\\x1b[2Jline",
    );
    expect(sshText(["x".repeat(1000)]).length).toBeLessThanOrEqual(401);
  });
});
