/**
 * The exact argument arrays haptop gives OpenSSH's `ssh` (never a shell). Pure, so the unit tests
 * can check what matters for safety in one place: the destination always follows `--`, user and
 * port are values of `-l` and `-p`, host-key checking is never weakened, no prompt can appear
 * (BatchMode), and no agent or X11 forwarding rides along.
 */
import type { SshTarget } from "./sshTarget.js";

export interface SshSettings {
  /** `ssh` binary (default: `ssh` from $PATH). */
  bin: string;
  /** `-F <file>`: an ssh_config to read instead of ~/.ssh/config (`--ssh-config`, $HAPTOP_SSH_CONFIG). */
  configFile?: string;
  /** Seconds the master stays up once idle (ssh's ControlPersist): its end if haptop is killed -9. */
  persistSeconds: number;
  /** ssh's ConnectTimeout, seconds. */
  connectTimeoutSeconds: number;
}

export const DEFAULT_SSH_SETTINGS: SshSettings = {
  bin: "ssh",
  persistSeconds: 60,
  connectTimeoutSeconds: 10,
};

/** What one master connection is made of: its control socket, log file and forwards. */
export interface MasterFiles {
  /** ControlPath (`-S`). */
  control: string;
  /** ssh's log (`-E`): the backgrounded master's messages go nowhere else. */
  log: string;
}

/** A local UNIX socket forwarded to a remote one. */
export interface Forward {
  local: string;
  remote: string;
}

/** `-F <file>` when an ssh_config was given: ssh reads it instead of ~/.ssh/config. */
function common(s: SshSettings): string[] {
  return s.configFile ? ["-F", s.configFile] : [];
}

/** `-l`/`-p` as option values, and `--` before the destination: no user text can be read as an option. */
function destination(t: SshTarget): string[] {
  return [...(t.user ? ["-l", t.user] : []), ...(t.port ? ["-p", String(t.port)] : []), "--", t.host];
}

/**
 * The master: authenticates, sets up the forwards, then goes to the background (ControlPersist)
 * and exits 0; exits 255 with its reason in the log when it cannot. BatchMode: no password or
 * passphrase prompt (there is no terminal for one); the user's keys, agent and ssh_config apply.
 */
export function masterArgs(s: SshSettings, t: SshTarget, files: MasterFiles, forwards: Forward[]): string[] {
  return [
    ...common(s),
    "-M",
    "-S",
    files.control,
    "-o",
    `ControlPersist=${s.persistSeconds}`,
    "-N",
    "-a",
    "-x",
    "-o",
    "BatchMode=yes",
    "-o",
    "ExitOnForwardFailure=yes",
    // A local socket left by a master that died is replaced rather than refused.
    "-o",
    "StreamLocalBindUnlink=yes",
    "-o",
    `ConnectTimeout=${s.connectTimeoutSeconds}`,
    // A link that goes silent (cable, NAT) is noticed within a minute and the master exits.
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "ServerAliveCountMax=3",
    // ssh's reasons ("open failed" for a socket sshd cannot open is INFO), but no debug lines: the
    // log is read when a request fails, and must not grow with every poll.
    "-o",
    "LogLevel=INFO",
    "-E",
    files.log,
    ...forwards.flatMap((f) => ["-L", `${f.local}:${f.remote}`]),
    ...destination(t),
  ];
}

/** A control command to the running master: `check` (prints its pid), `exit`, or `forward`. */
export function controlArgs(
  s: SshSettings,
  t: SshTarget,
  files: MasterFiles,
  command: "check" | "exit" | "forward",
  forward?: Forward,
): string[] {
  return [
    ...common(s),
    "-S",
    files.control,
    "-o",
    "BatchMode=yes",
    "-O",
    command,
    ...(command === "forward" && forward ? ["-L", `${forward.local}:${forward.remote}`] : []),
    ...destination(t),
  ];
}

/** The master's pid from `ssh -O check`'s "Master running (pid=1234)". */
export function parseMasterPid(text: string): number | null {
  const m = /Master running \(pid=(\d+)\)/.exec(text);
  return m ? Number(m[1]) : null;
}
