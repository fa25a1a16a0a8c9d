/**
 * A real OpenSSH server for the SSH transport's tests and demos: `sshd -D -e` on a free loopback
 * port, as the current user, with a generated host key, a generated user key and an ssh_config file
 * (`Host haptop-test`) that names them, plus a known_hosts file that trusts the generated host key.
 * Host-key checking stays on: the client trusts exactly this key, through UserKnownHostsFile.
 * Every process is ended by pid: the listener and the per-connection processes it forked (found
 * through /proc/<pid>/task/<tid>/children, since they rename themselves to "sshd: root@notty").
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";
import { findExecutable, makeLabDir, removeLabDir } from "./haproxy.js";
import { freePort } from "./ports.js";
import { isAlive, killPid, sleep, waitFor } from "./process.js";

/** The Host alias every lab's ssh_config defines (each also defines `alias`, unique to it). */
export const SSH_TEST_HOST = "haptop-test";

/** sshd's absolute path (sshd refuses to re-execute itself from a relative one), or null. */
export function findSshd(): string | null {
  return findExecutable("sshd");
}

/** Pids of `pid`'s descendants (children first, then theirs), from /proc. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let kids = "";
      try {
        kids = readFileSync(`/proc/${p}/task/${tid}/children`, "utf8");
      } catch {
        continue;
      }
      for (const k of kids.split(/\s+/).filter(Boolean).map(Number)) {
        out.push(k);
        walk(k);
      }
    }
  };
  walk(pid);
  return out;
}

/** sshd labs running in this process: killed by pid when it exits, whatever happened to the caller. */
const RUNNING = new Set<SshdLab>();
process.once("exit", () => {
  for (const lab of RUNNING) for (const pid of lab.pids()) killPid(pid);
});

export interface SshdLabOptions {
  /** sshd_config lines that override the lab's (e.g. `AllowStreamLocalForwarding no`). */
  extra?: string;
}

export class SshdLab {
  readonly dir = makeLabDir("haptop-sshd-");
  readonly hostKey = join(this.dir, "host_ed25519");
  readonly userKey = join(this.dir, "user_ed25519");
  readonly authorizedKeys = join(this.dir, "authorized_keys");
  readonly knownHosts = join(this.dir, "known_hosts");
  /** A known_hosts file that knows nothing: a client using it meets an unknown host. */
  readonly emptyKnownHosts = join(this.dir, "known_hosts.empty");
  readonly sshdConfig = join(this.dir, "sshd_config");
  /** ssh_config with `Host haptop-test` (HostName, Port, User, IdentityFile, UserKnownHostsFile). */
  readonly sshConfig = join(this.dir, "ssh_config");
  /** The same, but with a known_hosts that does not know the host key. */
  readonly sshConfigUnknownHost = join(this.dir, "ssh_config.unknown");
  readonly logFile = join(this.dir, "sshd.log");
  readonly user = userInfo().username;
  port = 0;
  /** This lab's own Host alias (several labs' configs can be Included in one file). */
  get alias(): string {
    return `${SSH_TEST_HOST}-${this.port}`;
  }
  private child: ChildProcess | null = null;

  constructor(readonly opts: SshdLabOptions = {}) {}

  /** Generates the keys and configs, then starts sshd; resolves once it sends its banner. */
  async start(): Promise<this> {
    const keygen = findExecutable("ssh-keygen");
    if (!keygen) throw new Error("ssh-keygen not found (Debian: apt-get install openssh-client)");
    for (const [file, comment] of [
      [this.hostKey, "haptop-test-host"],
      [this.userKey, "haptop-test-user"],
    ] as const) {
      if (!existsSync(file))
        execFileSync(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file], {
          stdio: "ignore",
        });
    }
    writeFileSync(this.authorizedKeys, readFileSync(`${this.userKey}.pub`));
    this.port = await freePort();
    writeFileSync(this.sshdConfig, this.sshdConfigText());
    this.writeClientFiles();
    await this.launch();
    return this;
  }

  /** sshd keeps the first value of each keyword: `extra` comes first, so it overrides the defaults. */
  sshdConfigText(): string {
    return `${this.opts.extra ?? ""}
Port ${this.port}
ListenAddress 127.0.0.1
HostKey ${this.hostKey}
PidFile ${join(this.dir, "sshd.pid")}
AuthorizedKeysFile ${this.authorizedKeys}
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
# Forwarding a UNIX socket (ssh -L local.sock:remote.sock) needs both: sshd also checks
# AllowTcpForwarding for it ("no" or "remote" refuse it: "the request was denied").
AllowStreamLocalForwarding yes
AllowTcpForwarding local
X11Forwarding no
PrintMotd no
LogLevel VERBOSE
`;
  }

  /** known_hosts (the generated host key on [127.0.0.1]:port) and the two ssh_config files. */
  private writeClientFiles(): void {
    const [type, key] = readFileSync(`${this.hostKey}.pub`, "utf8").trim().split(/\s+/);
    writeFileSync(this.knownHosts, `[127.0.0.1]:${this.port} ${type} ${key}\n`);
    writeFileSync(this.emptyKnownHosts, "");
    const config = (known: string) => `Host ${SSH_TEST_HOST} ${this.alias}
  HostName 127.0.0.1
  Port ${this.port}
  User ${this.user}
  IdentityFile ${this.userKey}
  IdentitiesOnly yes
  UserKnownHostsFile ${known}
  GlobalKnownHostsFile /dev/null
`;
    writeFileSync(this.sshConfig, config(this.knownHosts));
    writeFileSync(this.sshConfigUnknownHost, config(this.emptyKnownHosts));
  }

  /** Starts sshd on the same port, keys and config (after `kill()`). */
  async launch(): Promise<void> {
    const sshd = findSshd();
    if (!sshd) throw new Error("sshd not found (Debian: apt-get install openssh-server)");
    // Debian's sshd wants its privilege separation directory; an init script creates it at boot.
    if (process.getuid?.() === 0 && !existsSync("/run/sshd")) mkdirSync("/run/sshd", { mode: 0o755 });
    const log = openSync(this.logFile, "a");
    try {
      this.child = spawn(sshd, ["-D", "-e", "-f", this.sshdConfig], { stdio: ["ignore", log, log] });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    RUNNING.add(this);
    this.child.on("error", () => {});
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`sshd exited: ${this.log().slice(-500)}`);
        return bannerAt(this.port);
      },
      10_000,
      "sshd to listen",
    );
  }

  /** sshd's pid (the listener), or null when it does not run. */
  get pid(): number | null {
    const p = this.child?.pid;
    return p !== undefined && this.child?.exitCode === null && isAlive(p) ? p : null;
  }

  /** Every process of this sshd: the listener and the per-connection processes. */
  pids(): number[] {
    const p = this.child?.pid;
    if (p === undefined) return [];
    return [p, ...descendants(p)].filter((x) => isAlive(x));
  }

  /** Kills sshd and every connection it serves (a server that went away), by pid. */
  async kill(): Promise<void> {
    const child = this.child;
    for (let round = 0; round < 50; round++) {
      const left = this.pids();
      if (left.length === 0) break;
      // Connections first: the listener reaps them, and once it is gone they are not found anymore.
      for (const pid of left.reverse()) killPid(pid);
      await sleep(50);
    }
    if (child && child.exitCode === null && child.signalCode === null)
      await new Promise<void>((r) => child.once("exit", () => r()));
    this.child = null;
    RUNNING.delete(this);
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, "utf8") : "";
  }

  /** Kills sshd and removes the directory. */
  async stop(): Promise<void> {
    await this.kill();
    removeLabDir(this.dir);
  }
}

/** True when something on 127.0.0.1:port answers with an SSH banner. */
function bannerAt(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once("data", (d) => done(d.toString("latin1").startsWith("SSH-")));
    s.once("error", () => done(false));
  });
}
