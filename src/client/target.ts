import { describeSshTarget, looksLikeSsh, parseSshTarget, type SshTarget } from "./sshTarget.js";

export type { SshTarget } from "./sshTarget.js";

/**
 * Where haptop finds HAProxy's Runtime API: a UNIX socket, a TCP address, or a UNIX socket on
 * another machine reached over SSH (src/client/sshTarget.ts, src/client/ssh.ts).
 */
export type Target =
  | { kind: "unix"; path: string }
  | { kind: "tcp"; host: string; port: number }
  | SshTarget
  | WorkerTarget;

/**
 * A worker of a master-worker HAProxy reached through the master CLI (`-S`): each command is sent
 * to the master prefixed with `@!<pid>` (src/client/workerRoute.ts), an old worker still draining
 * after a reload included. The process view points the UI at one (Enter on a worker).
 */
export interface WorkerTarget {
  kind: "worker";
  /** The master CLI's address. */
  master: Target;
  pid: number;
}

export const DEBIAN_DEFAULT_SOCKET = "/run/haproxy/admin.sock";

export class TargetSyntaxError extends Error {
  override name = "TargetSyntaxError";
}

/**
 * Parses HAProxy's own address syntax: `/path`, `unix@/path`, `host:port`, `ipv4@host:port`,
 * `ipv6@[addr]:port` (also `[addr]:port`).
 */
export function parseTarget(spec: string): Target {
  const s = spec.trim();
  if (s === "") throw new TargetSyntaxError("empty socket target");
  if (s.startsWith("unix@")) return unixTarget(s.slice(5), spec);
  if (s.startsWith("ipv4@")) return tcpTarget(s.slice(5), spec, false);
  if (s.startsWith("ipv6@")) return tcpTarget(s.slice(5), spec, true);
  // `ssh://…` and `[user@]host:/abs/path` (a `host:port` never has a `/` after the colon).
  if (looksLikeSsh(s)) return sshTarget(s);
  if (s.startsWith("/") || s.startsWith(".") || s.startsWith("~") || !s.includes(":"))
    return unixTarget(s, spec);
  return tcpTarget(s, spec, s.startsWith("["));
}

function sshTarget(s: string): Target {
  const t = parseSshTarget(s);
  if (typeof t === "string") throw new TargetSyntaxError(t);
  return t;
}

function unixTarget(path: string, spec: string): Target {
  if (path === "") throw new TargetSyntaxError(`no socket path in "${spec}"`);
  return { kind: "unix", path };
}

function tcpTarget(addr: string, spec: string, v6: boolean): Target {
  let host: string;
  let portText: string;
  if (v6) {
    const m = /^\[([0-9a-fA-F:.%a-zA-Z]+)\]:(\d+)$/.exec(addr);
    if (!m) throw new TargetSyntaxError(`"${spec}" is not an IPv6 address like ipv6@[::1]:9999`);
    host = m[1]!;
    portText = m[2]!;
  } else {
    const i = addr.lastIndexOf(":");
    host = addr.slice(0, i);
    portText = addr.slice(i + 1);
    if (i <= 0 || !/^\d+$/.test(portText)) {
      throw new TargetSyntaxError(`"${spec}" is not an address like host:port`);
    }
  }
  const port = Number(portText);
  if (port < 1 || port > 65535) throw new TargetSyntaxError(`port ${portText} in "${spec}" is out of range`);
  return { kind: "tcp", host, port };
}

/** Picks the target: the argument, else $HAPTOP_SOCKET, else Debian's default admin socket. */
export function resolveTarget(arg: string | undefined, env: NodeJS.ProcessEnv = process.env): Target {
  return parseTarget(arg ?? env.HAPTOP_SOCKET ?? DEBIAN_DEFAULT_SOCKET);
}

/** A target written back in HAProxy's syntax, for messages and JSON. */
export function describeTarget(t: Target): string {
  if (t.kind === "unix") return t.path;
  if (t.kind === "ssh") return describeSshTarget(t);
  if (t.kind === "worker") return `${describeTarget(t.master)} @!${t.pid}`;
  return t.host.includes(":") ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}
