/**
 * The SSH transport: requests to an `ssh://` target go to a local UNIX socket that an OpenSSH
 * master connection forwards to the remote socket (sshConnection.ts). This module keeps one master
 * per host for the whole process (a fleet of targets on one host shares it), in one private
 * runtime dir (mode 0700), and removes both on exit: normal exit, SIGINT, SIGTERM, SIGHUP.
 * Host-key checking is ssh's own and stays on: an unknown host fails with ssh's message.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { SocketError } from "./errors.js";
import { DEFAULT_SSH_SETTINGS, type SshSettings } from "./sshArgs.js";
import { SshConnection, SshTransportError } from "./sshConnection.js";
import { sshText } from "./sshRun.js";
import { describeSshTarget, type SshTarget, sshHostKey } from "./sshTarget.js";
import type { Target } from "./target.js";

export { SshTransportError } from "./sshConnection.js";

/**
 * Why a reload is refused on an SSH target given no master CLI (the TUI's `r`, `haptop reload`):
 * over SSH haptop reloads only through HAProxy's master CLI, forwarded like the stats socket
 * (src/actions/reload/ssh.ts); every other mode runs haproxy or signals its processes on this
 * machine, after proving through this machine's /proc which process owns the socket.
 */
export const SSH_RELOAD_UNAVAILABLE =
  "reload over SSH needs HAProxy's master CLI: pass --master-socket <ssh target of the master CLI> " +
  "(HAProxy in master-worker mode, -W -S <path>; e.g. host:/run/haproxy-master.sock, on the same SSH host); " +
  "without it the reload cannot be done remotely: the other modes (expose-fd, daemon, --reload-cmd) run haproxy " +
  "and check its processes on this machine, so run haptop reload on that host";

let settings: SshSettings = { ...DEFAULT_SSH_SETTINGS };
const connections = new Map<string, SshConnection>();
let runtimeDir: string | null = null;

/** Sets how ssh is run (`--ssh-config`, $HAPTOP_SSH_CONFIG); applies to masters started afterwards. */
export function configureSsh(change: Partial<SshSettings>): void {
  settings = { ...settings, ...change };
}

/** The ssh_config file to use: the option, else $HAPTOP_SSH_CONFIG, else none (ssh reads ~/.ssh/config). */
export function sshConfigFrom(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const v = option ?? env.HAPTOP_SSH_CONFIG;
  return v === undefined || v === "" ? undefined : v;
}

/** Paths ssh takes literally in -S/-L: no token (%), variable ($), separator (:) nor blank. */
const SAFE_DIR = /^\/[A-Za-z0-9._/-]{0,60}$/;

/** $XDG_RUNTIME_DIR when usable (private to the user, in memory), else the temp dir, else /tmp. */
function runtimeBase(env: NodeJS.ProcessEnv = process.env): string {
  for (const base of [env.XDG_RUNTIME_DIR, tmpdir(), "/tmp"]) {
    if (!base || !isAbsolute(base) || !SAFE_DIR.test(base)) continue;
    try {
      if (statSync(base).isDirectory()) return base;
    } catch {
      /* next */
    }
  }
  return "/tmp";
}

/** The private runtime dir (created on first use, mode 0700 by mkdtemp), with the exit cleanup. */
function ensureRuntimeDir(): string {
  if (runtimeDir === null) {
    runtimeDir = mkdtempSync(join(runtimeBase(), "haptop-ssh-"));
    installCleanup();
  }
  return runtimeDir;
}

/** The master connection for a target's host (one per user, host and port). */
export function sshConnection(t: SshTarget): SshConnection {
  const key = sshHostKey(t);
  let c = connections.get(key);
  if (!c) {
    c = new SshConnection(t, ensureRuntimeDir(), connections.size + 1, () => settings);
    connections.set(key, c);
  }
  return c;
}

/** The runtime dir in use, or null before the first SSH target (for tests). */
export function sshRuntimeDir(): string | null {
  return runtimeDir;
}

/**
 * Sends one request line over SSH: through the master's local socket, with `send` (socket.ts's
 * sendRaw, passed in so this module does not import it back). Faults name the SSH target, never
 * the local socket: a refused or missing local socket means the SSH connection was lost; an empty
 * reply with ssh logging "open failed" means sshd could not open the remote socket.
 */
export async function sendOverSsh<O>(
  target: SshTarget,
  line: string,
  opts: O,
  send: (t: Target, line: string, opts: O) => Promise<string>,
): Promise<string> {
  const conn = sshConnection(target);
  const local = await conn.localSocket(target);
  const logFrom = conn.logSize();
  let raw: string;
  try {
    raw = await send({ kind: "unix", path: local }, line, opts);
  } catch (e) {
    throw channelFault(target, conn, logFrom) ?? asSshFault(e, target, local, conn);
  }
  // Every command's reply holds at least its closing empty line: nothing at all is ssh closing a
  // channel that sshd could not open (ssh resets the connection instead when the request was read).
  if (raw === "") {
    const fault = channelFault(target, conn, logFrom);
    if (fault) throw fault;
  }
  return raw;
}

/** sshd could not open the remote socket: ssh logged "open failed" for the request's channel. */
function channelFault(target: SshTarget, conn: SshConnection, logFrom: number): SshTransportError | null {
  const said = conn.logSince(logFrom).filter((l) => /open failed|administratively prohibited/i.test(l));
  if (said.length === 0) return null;
  const where = describeSshTarget(target);
  if (said.some((l) => /administratively prohibited/i.test(l)))
    return new SshTransportError(
      target,
      `${where}: the SSH server refuses to forward UNIX sockets (${sshText(said.slice(-1))}); ` +
        "its sshd_config needs AllowStreamLocalForwarding yes and AllowTcpForwarding yes (or local)",
    );
  return new SshTransportError(
    target,
    `${where}: sshd could not connect to ${target.path} (${sshText(said.slice(-1))}): ` +
      "no such socket, no permission for the SSH user, or forwarding disabled in sshd_config",
  );
}

/** A fault of the local socket, restated for the SSH target. */
function asSshFault(e: unknown, target: SshTarget, local: string, conn: SshConnection): unknown {
  if (!(e instanceof SocketError)) return e;
  const where = describeSshTarget(target);
  if (
    e.code === "socket-missing" ||
    e.code === "connection-refused" ||
    e.code === "not-a-socket" ||
    (e.code === "io-error" && !conn.masterAlive())
  )
    return conn.lostFault(
      target,
      conn.masterAlive() ? "the ssh master stopped forwarding" : "the ssh master exited",
    );
  return new SocketError(e.code, target, e.message.replaceAll(local, where), e.hint);
}

/** Stops every master and removes the runtime dir; synchronous and idempotent (exit handlers). */
export function closeSshConnections(): void {
  for (const c of connections.values()) {
    try {
      c.stopSync();
    } catch {
      /* the others still go */
    }
  }
  connections.clear();
  if (runtimeDir !== null) rmSync(runtimeDir, { recursive: true, force: true });
  runtimeDir = null;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let cleanupInstalled = false;

/**
 * On exit, and on a signal that would end the process: masters stopped, runtime dir removed. A
 * signal handler changes what the signal does, so this one gives it back: once cleaned up it
 * removes itself and raises the signal again, which then does what it did without it (the TUI's
 * handlers restore the terminal and exit; with none, the default ends the process). Keeping the
 * process alive when others listen (signal-exit, which Ink uses, re-raises only when alone) made
 * SIGINT do nothing at all.
 */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", closeSshConnections);
  const handlers = SIGNALS.map((sig) => {
    const handler = () => {
      closeSshConnections();
      for (const [s, h] of handlers) process.off(s, h);
      cleanupInstalled = false; // an SSH target used after this installs them all again
      process.off("exit", closeSshConnections);
      process.kill(process.pid, sig);
    };
    return [sig, handler] as const;
  });
  for (const [sig, h] of handlers) process.on(sig, h);
}
