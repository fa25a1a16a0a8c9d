/**
 * SSH targets: a Runtime API socket on another machine, reached through the system's OpenSSH client
 * (src/client/ssh.ts). Written `ssh://[user@]host[:port]/path/to/admin.sock`, or scp-like
 * `[user@]host:/path/to/admin.sock`. Pure parsing and validation: every part ends up as an argument
 * of `ssh`, so each is checked against a strict alphabet rather than escaped. Refused: a host or user
 * that starts with `-` (ssh would read it as an option), and in the path anything ssh gives a meaning
 * to inside a forwarding spec (`:` separates, `[` `]` group, `%` and `$` are expanded) or that a
 * terminal or log would misread (blanks, control bytes).
 */
import { isIP } from "node:net";

export interface SshTarget {
  kind: "ssh";
  /** A host name, an ssh_config `Host` alias, an IPv4 address, or an IPv6 address (no brackets). */
  host: string;
  /** Login name; absent: ssh decides (ssh_config `User`, else the local user). */
  user?: string;
  /** Port; absent: ssh decides (ssh_config `Port`, else 22). */
  port?: number;
  /** The socket's absolute path on the remote machine. */
  path: string;
}

/** Longest UNIX socket path (sun_path holds 108 bytes with the final NUL). */
export const MAX_SOCKET_PATH = 107;

const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const HOST = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/;
const PATH = /^\/[A-Za-z0-9._/+@=,~-]*$/;

/** `[user@]host:/path` (or `[user@][v6]:/path`): the part before the first `:` holds no `/`. */
const SHORTHAND = /^(?:([^@/]*)@)?(\[[^\]/]*\]|[^:/[\]]*):(\/.*)$/s;

/** True when `spec` is written as an SSH target (ssh://… or the host:/path shorthand). */
export function looksLikeSsh(spec: string): boolean {
  return spec.startsWith("ssh://") || SHORTHAND.test(spec);
}

/**
 * Parses an SSH target; returns it, or the reason it is refused (the caller wraps the reason in its
 * own error type, so this module stays free of the target module it serves).
 */
export function parseSshTarget(spec: string): SshTarget | string {
  let user: string | undefined;
  let hostPart: string;
  let portText: string | undefined;
  let path: string;
  if (spec.startsWith("ssh://")) {
    const rest = spec.slice(6);
    const slash = rest.indexOf("/");
    if (slash < 0) return `no socket path in "${spec}" (ssh://[user@]host[:port]/path/to/admin.sock)`;
    let authority = rest.slice(0, slash);
    path = rest.slice(slash);
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      user = authority.slice(0, at);
      authority = authority.slice(at + 1);
    }
    const m = /^(\[[^\]]*\]|[^:[\]]*)(?::(.*))?$/s.exec(authority);
    if (!m) return `"${spec}" has no host like ssh://host/path or ssh://[::1]:22/path`;
    hostPart = m[1]!;
    portText = m[2];
  } else {
    const m = SHORTHAND.exec(spec);
    if (!m) return `"${spec}" is not an SSH target like [user@]host:/path/to/admin.sock`;
    user = m[1];
    hostPart = m[2]!;
    path = m[3]!;
  }
  return checkParts(spec, user, hostPart, portText, path);
}

function checkParts(
  spec: string,
  user: string | undefined,
  hostPart: string,
  portText: string | undefined,
  path: string,
): SshTarget | string {
  const t: SshTarget = { kind: "ssh", host: "", path };
  if (user !== undefined) {
    if (!USER.test(user))
      return `bad SSH user in "${spec}": letters, digits, "_", "." and "-" only, not first "-" or "."`;
    t.user = user;
  }
  if (hostPart.startsWith("[")) {
    const v6 = hostPart.slice(1, -1);
    if (isIP(v6) !== 6) return `"${hostPart}" in "${spec}" is not an IPv6 address`;
    t.host = v6;
  } else {
    if (hostPart === "") return `no host in "${spec}"`;
    if (!HOST.test(hostPart))
      return `bad SSH host "${hostPart}": a host name, an ssh_config alias or an address (letters, digits, "_", "." and "-", not first "-" or ".")`;
    t.host = hostPart;
  }
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return `bad SSH port "${portText}" in "${spec}"`;
    const port = Number(portText);
    if (port < 1 || port > 65535) return `SSH port ${port} in "${spec}" is out of range`;
    t.port = port;
  }
  if (!PATH.test(path))
    return (
      `bad remote socket path "${path}": an absolute path of letters, digits and . _ - / + @ = , ~ only ` +
      "(ssh gives : [ ] % $ and blanks a meaning in a forwarding)"
    );
  if (path.length > MAX_SOCKET_PATH) return `remote socket path longer than ${MAX_SOCKET_PATH} bytes`;
  return t;
}

/** The target written back as a URL (one spelling for messages, JSON keys and the header). */
export function describeSshTarget(t: SshTarget): string {
  const host = t.host.includes(":") ? `[${t.host}]` : t.host;
  return `ssh://${t.user ? `${t.user}@` : ""}${host}${t.port ? `:${t.port}` : ""}${t.path}`;
}

/** Which SSH connection a target uses: one master connection per user, host and port. */
export function sshHostKey(t: SshTarget): string {
  return `${t.user ?? ""}@${t.host}:${t.port ?? ""}`;
}
