import { lookup } from "node:dns/promises";
import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { isIP } from "node:net";
import { basename, dirname, join, resolve } from "node:path";
import { describeTarget, type Target } from "../../client/target.js";

/**
 * Proof that a process owns the socket haptop talks to, before haptop signals it (issue 11: a peer
 * answering `show info` with the pid of another, real HAProxy must not get that HAProxy reloaded).
 * A process owns a listening socket when the socket's inode is among its open files:
 * - UNIX socket: the inode from /proc/net/unix, found by path. HAProxy binds `<path>.<pid>.tmp`
 *   and renames it, and /proc/net/unix keeps the name given to bind(), so both forms match;
 *   paths are compared after resolving symlinks of the directory (/var/run → /run).
 * - TCP socket: the inode of the LISTEN entry of /proc/net/tcp or tcp6 on the target's port and
 *   address (or a wildcard address).
 * Limits: only what this network namespace shows; reading another user's /proc/<pid>/fd needs
 * root (or that user): without it nothing can be proved and the reload is refused.
 */
export type Ownership =
  | { ok: true; how: string }
  | { ok: false; kind: "not-owner" | "cannot-see"; message: string };

/** Socket inodes among /proc/<pid>/fd; throws the readdir error (ENOENT, EACCES). */
function socketInodes(pid: number, procRoot: string): Set<number> {
  const dir = join(procRoot, String(pid), "fd");
  const out = new Set<number>();
  for (const fd of readdirSync(dir)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(join(dir, fd)));
      if (m) out.add(Number(m[1]));
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

const read = (path: string): string => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};

/**
 * A path with its symlinks resolved: the whole path when it exists (a target may be a symlink to the
 * socket), else its directory's (HAProxy's `.<pid>.tmp` bind name is gone once renamed).
 */
function canonical(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/** Inodes of listening UNIX sockets bound at `path` (HAProxy's `.<pid>.tmp` bind name included). */
export function unixListeningInodes(path: string, procRoot: string, cwd: string): number[] {
  const want = canonical(path, process.cwd());
  const out: number[] = [];
  // "Num RefCount Protocol Flags Type St Inode Path"; the path is the rest of the line.
  for (const line of read(join(procRoot, "net", "unix"))
    .split("\n")
    .slice(1)) {
    const m = /^\S+:\s+\S+\s+\S+\s+([0-9A-Fa-f]+)\s+\S+\s+\S+\s+(\d+)\s(.+)$/.exec(line.trim());
    if (!m) continue;
    const listening = (Number.parseInt(m[1]!, 16) & 0x10000) !== 0; // __SO_ACCEPTCON
    const bound = m[3]!.replace(/\.\d+\.tmp$/, "");
    if (listening && !bound.startsWith("@") && canonical(bound, cwd) === want) out.push(Number(m[2]));
  }
  return out;
}

/** An address of /proc/net/tcp{,6} ("0100007F:270F", 32 hex digits for IPv6) → [address, port]. */
export function decodeProcAddress(field: string): [string, number] | null {
  const [hex, portHex] = field.split(":");
  if (!hex || !portHex) return null;
  const port = Number.parseInt(portHex, 16);
  // Each 32-bit word is printed in host order (little-endian here).
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)));
  if (bytes.length === 4) return [bytes.join("."), port];
  if (bytes.length !== 16) return null;
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return [bytes.slice(12).join("."), port]; // ::ffff:a.b.c.d
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return [canonicalIp(groups.join(":")), port];
}

/** One spelling per address: IPv6 compressed as the URL parser writes it (`0:0::1` → `::1`), v4-mapped as IPv4. */
export function canonicalIp(addr: string): string {
  if (isIP(addr) !== 6) return addr;
  const host = new URL(`http://[${addr}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!mapped) return host;
  const [hi, lo] = [Number.parseInt(mapped[1]!, 16), Number.parseInt(mapped[2]!, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
}

const WILDCARD = new Set(["0.0.0.0", "::"]);

/** Inodes of TCP sockets listening on `port` at one of `addresses` (or a wildcard address). */
export function tcpListeningInodes(addresses: string[], port: number, procRoot: string): number[] {
  const wanted = new Set(addresses.map(canonicalIp));
  const out: number[] = [];
  for (const file of ["tcp", "tcp6"]) {
    for (const line of read(join(procRoot, "net", file))
      .split("\n")
      .slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== "0A") continue; // 0A = LISTEN
      const local = decodeProcAddress(f[1]!);
      if (!local || local[1] !== port) continue;
      if (WILDCARD.has(local[0]) || wanted.has(local[0])) out.push(Number(f[9]));
    }
  }
  return out;
}

/** Proves that `pid` holds the listening socket of `target` (see the module comment). */
export async function proveOwner(pid: number, target: Target, procRoot = "/proc"): Promise<Ownership> {
  const where = describeTarget(target);
  // A socket on another machine: no local process owns it, whatever pid it reports.
  if (target.kind === "ssh")
    return { ok: false, kind: "not-owner", message: `${where} is on another machine (over SSH)` };
  // A worker reached through the master CLI: the relay is the master's socket, not the worker's.
  if (target.kind === "worker")
    return { ok: false, kind: "cannot-see", message: `${where} is relayed by the master CLI` };
  let held: Set<number>;
  try {
    held = socketInodes(pid, procRoot);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      kind: "cannot-see",
      message:
        code === "EACCES" || code === "EPERM"
          ? `no permission to read ${procRoot}/${pid}/fd (run haptop as root or as HAProxy's user)`
          : `pid ${pid} is not visible in ${procRoot} here (remote socket or another pid namespace)`,
    };
  }
  let cwd = process.cwd();
  try {
    cwd = readlinkSync(join(procRoot, String(pid), "cwd"));
  } catch {
    /* relative bind paths are then resolved against ours */
  }
  let inodes: number[];
  if (target.kind === "unix") {
    inodes = unixListeningInodes(target.path, procRoot, cwd);
  } else {
    let addresses = [target.host];
    if (isIP(target.host) === 0) {
      try {
        addresses = (await lookup(target.host, { all: true })).map((a) => a.address);
      } catch {
        /* unresolvable: nothing will match */
      }
    }
    inodes = tcpListeningInodes(addresses, target.port, procRoot);
  }
  if (inodes.length === 0) {
    return {
      ok: false,
      kind: "cannot-see",
      message: `no listening socket ${where} in ${procRoot}/net (another network namespace, or not local)`,
    };
  }
  const owned = inodes.find((i) => held.has(i));
  if (owned === undefined) {
    return {
      ok: false,
      kind: "not-owner",
      message: `pid ${pid} does not hold the socket ${where} (socket inode ${inodes.join(", ")} is not among ${procRoot}/${pid}/fd)`,
    };
  }
  return { ok: true, how: `pid ${pid} holds ${where} (socket inode ${owned} in ${procRoot}/${pid}/fd)` };
}
