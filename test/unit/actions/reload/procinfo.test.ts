/** What haptop reads from a running HAProxy's command line and configuration, and its ALERT lines. */
import { describe, expect, it } from "vitest";
import { parseHaproxyArgs, scanConfig } from "../../../../src/actions/procinfo.js";
import { alertLines } from "../../../../src/actions/reload.js";

describe("parseHaproxyArgs", () => {
  it("reads -f, --, -p, -S, -W, -D, -x, -sf, -C, -L", () => {
    const a = parseHaproxyArgs([
      "/usr/sbin/haproxy",
      "-sf",
      "5588",
      "5590",
      "-x",
      "sockpair@4",
      "-Ws",
      "-D",
      "-S",
      "/run/haproxy-master.sock,mode,600",
      "-C",
      "/etc/haproxy",
      "-L",
      "peer1",
      "-f",
      "a.cfg",
      "-p",
      "/run/haproxy.pid",
      "-f",
      "conf.d",
      "--",
      "z.cfg",
      "y.cfg",
    ]);
    expect(a.configFiles).toEqual(["a.cfg", "conf.d", "z.cfg", "y.cfg"]);
    expect(a.pidfile).toBe("/run/haproxy.pid");
    expect(a.masterSockets).toEqual(["/run/haproxy-master.sock"]);
    expect(a.masterWorker).toBe(true);
    expect(a.daemon).toBe(true);
    expect(a.exposeSocket).toBe("sockpair@4");
    expect(a.oldPids).toEqual([5588, 5590]);
    expect(a.passthrough).toEqual(["-C", "/etc/haproxy", "-L", "peer1"]);
  });
  it("plain daemon command line", () => {
    const a = parseHaproxyArgs(["haproxy", "-D", "-f", "lab.cfg"]);
    expect(a).toMatchObject({ configFiles: ["lab.cfg"], daemon: true, masterWorker: false, pidfile: null });
  });
});

describe("scanConfig", () => {
  it("finds expose-fd sockets, pidfile and master-worker in global only", () => {
    const f = scanConfig([
      `# comment: stats socket /nope expose-fd listeners
global
    stats socket /run/haproxy/admin.sock mode 660 level admin expose-fd listeners # the admin one
    stats socket unix@/run/haproxy/op.sock level operator
    stats socket ipv4@127.0.0.1:9999 level admin expose-fd listeners
    pidfile /run/haproxy.pid
    master-worker
defaults
    mode http
frontend fe
    bind :80
`,
      `listen x
    stats socket /not/global.sock expose-fd listeners
global
    stats socket "/run/quoted.sock" expose-fd listeners
`,
    ]);
    expect(f.statsSockets).toEqual([
      "/run/haproxy/admin.sock",
      "/run/haproxy/op.sock",
      "ipv4@127.0.0.1:9999",
      "/run/quoted.sock",
    ]);
    expect(f.exposeFdSockets).toEqual(["/run/haproxy/admin.sock", "/run/quoted.sock"]);
    expect(f.pidfile).toBe("/run/haproxy.pid");
    expect(f.masterWorker).toBe(true);
  });
  it("nothing found", () => {
    expect(scanConfig(["global\n    stats socket /x.sock level admin\n"])).toEqual({
      statsSockets: ["/x.sock"],
      exposeFdSockets: [],
      pidfile: null,
      masterWorker: false,
    });
  });
});

it("alertLines keeps HAProxy's ALERT lines", () => {
  expect(alertLines("[NOTICE] x\n[ALERT]    (1) : config : bad\n[WARNING] y\n")).toEqual([
    "[ALERT]    (1) : config : bad",
  ]);
});
