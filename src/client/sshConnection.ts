/**
 * One SSH master connection to one host (user, host, port), shared by every target on that host.
 * The master (`ssh -M … -N -L local:remote`, see sshArgs.ts) forwards each remote UNIX socket to a
 * local one in haptop's private runtime dir; a request connects to the local socket, which is a
 * fresh connection on HAProxy's side and costs no SSH handshake. When the master is gone (the link
 * dropped, sshd died, the idle ControlPersist ran out) the next request starts a new one; the
 * poller's backoff paces those attempts, and a failed attempt is not repeated within RETRY_MS.
 */
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { SocketError } from "./errors.js";
import {
  controlArgs,
  type Forward,
  type MasterFiles,
  masterArgs,
  parseMasterPid,
  type SshSettings,
} from "./sshArgs.js";
import { hintFor, killQuietly, runSsh, sshText } from "./sshRun.js";
import { describeSshTarget, type SshTarget } from "./sshTarget.js";

/** A failed attempt is reported again, without a new `ssh`, for this long (several requests of one poll). */
export const RETRY_MS = 900;

/** How many times `ssh -O check` is asked for the new master's pid (checkPid). */
const CHECK_ATTEMPTS = 4;

/** A fault of the SSH transport (ssh could not connect, the connection dropped, sshd refused the socket). */
export class SshTransportError extends SocketError {
  override name = "SshTransportError";
  constructor(target: SshTarget, message: string, hint?: string) {
    super("io-error", target, message, hint);
  }
}

export class SshConnection {
  /**
   * remote path → forward number; kept across masters so a new master forwards them all again.
   * Each master has its own control socket and local sockets (the generation in their names): a
   * master on its way out unlinks its control socket, and must not take its successor's with it.
   */
  private readonly forwards = new Map<string, number>();
  private generation = 0;
  private readonly logFile: string;
  /** Remote paths the running master forwards. */
  private active = new Set<string>();
  private adding = new Map<string, Promise<void>>();
  private masterPid: number | null = null;
  private establishing: Promise<void> | null = null;
  private lastFailure: { at: number; error: SshTransportError } | null = null;
  /** Size of the log when the running master was up: what it logs after is about its life. */
  private logMark = 0;

  constructor(
    /** The host part of the targets it serves (its path is the first target's). */
    readonly host: SshTarget,
    private readonly dir: string,
    private readonly id: number,
    private readonly settings: () => SshSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.logFile = join(dir, `c${id}.log`);
  }

  private get where(): string {
    const h = this.host;
    return describeSshTarget({ ...h, path: "" }).replace(/^ssh:\/\//, "");
  }

  /** The running master's pid, checked against its command line (a reused pid is never taken for it). */
  masterAlive(): boolean {
    const pid = this.masterPid;
    if (pid === null) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(this.files.control);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
      try {
        process.kill(pid, 0); // no /proc (not Linux): trust kill(0)
        return true;
      } catch {
        return false;
      }
    }
  }

  /** The current master's files: its control socket (`-S`) and the log all masters share (`-E`). */
  get files(): MasterFiles {
    return { control: join(this.dir, `c${this.id}.${this.generation}.ctl`), log: this.logFile };
  }

  /** The current master's local socket for forward number `n`. */
  private localPath(n: number): string {
    return join(this.dir, `c${this.id}.${this.generation}-f${n}.sock`);
  }

  /** The local socket that leads to `remote`: the master started or the forward added as needed. */
  async localSocket(target: SshTarget): Promise<string> {
    let n = this.forwards.get(target.path);
    if (n === undefined) {
      n = this.forwards.size;
      this.forwards.set(target.path, n);
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.establishing) await this.establishing;
      if (this.masterAlive()) {
        const local = this.localPath(n);
        if (!this.active.has(target.path)) await this.addForward(target, local);
        return local;
      }
      const failed = this.lastFailure;
      if (failed && this.now() - failed.at < RETRY_MS) throw failed.error;
      const lost = this.masterPid !== null;
      this.establishing = this.establish(target, lost).finally(() => {
        this.establishing = null;
      });
    }
    throw new SshTransportError(
      target,
      `${describeSshTarget(target)}: the SSH master connection did not stay up`,
    );
  }

  /** Starts the master with every known forward; throws SshTransportError with ssh's reason. */
  private async establish(target: SshTarget, lost: boolean): Promise<void> {
    this.stopSync(); // a master that lost its forwards, and its files, go first
    this.generation++;
    const s = this.settings();
    const forwards: Forward[] = [...this.forwards].map(([remote, n]) => ({
      local: this.localPath(n),
      remote,
    }));
    const logFrom = this.logSize();
    const deadline = (s.connectTimeoutSeconds + 10) * 1000;
    const r = await runSsh(s.bin, masterArgs(s, this.host, this.files, forwards), deadline);
    const fail = (why: string) => {
      const prefix = `${describeSshTarget(target)}: ${lost ? `SSH connection to ${this.where} lost, reconnecting failed: ` : ""}`;
      const error = new SshTransportError(target, `${prefix}${why}`, hintFor(why));
      this.lastFailure = { at: this.now(), error };
      throw error;
    };
    if (r.error) {
      if (r.error.code === "ENOENT")
        fail(`ssh (the OpenSSH client, "${s.bin}") is not installed or not in PATH`);
      fail(`cannot run ssh: ${r.error.message}`);
    }
    const said = sshText([...this.logSince(logFrom), ...r.stderr.split("\n")]);
    if (r.timedOut) fail(`ssh did not connect within ${deadline / 1000} s${said ? `: ${said}` : ""}`);
    // ssh's own words first: "ssh: connect to host … refused", "Host key verification failed."
    if (r.code !== 0)
      fail(said ? (said.startsWith("ssh: ") ? said : `ssh: ${said}`) : `ssh exited with status ${r.code}`);
    const pid = await this.checkPid();
    if (pid === null)
      fail(`ssh started, but its master connection does not answer${said ? `: ${said}` : ""}`);
    this.masterPid = pid;
    this.logMark = this.logSize();
    this.active = new Set(this.forwards.keys());
    this.lastFailure = null;
  }

  /**
   * The master's pid, from `ssh -O check` ("Master running (pid=…)" on stderr): it is killed by pid.
   * Asked up to CHECK_ATTEMPTS times: on a loaded machine one check can miss its deadline, or come
   * before the backgrounded master answers on its control socket (seen once in CI, with the test
   * suites of four releases running at once).
   */
  private async checkPid(): Promise<number | null> {
    const s = this.settings();
    for (let attempt = 1; ; attempt++) {
      const r = await runSsh(s.bin, controlArgs(s, this.host, this.files, "check"), 5000);
      const pid = parseMasterPid(r.stderr);
      if (pid !== null || attempt >= CHECK_ATTEMPTS) return pid;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Adds a forward to the running master (`ssh -O forward`), once per remote path. */
  private addForward(target: SshTarget, local: string): Promise<void> {
    let p = this.adding.get(target.path);
    if (!p) {
      const s = this.settings();
      p = runSsh(
        s.bin,
        controlArgs(s, this.host, this.files, "forward", { local, remote: target.path }),
        10_000,
      )
        .then((r) => {
          if (r.code !== 0 || r.error)
            throw new SshTransportError(
              target,
              `${describeSshTarget(target)}: ssh could not forward the socket: ${sshText([r.stderr, r.error?.message ?? ""]) || `status ${r.code}`}`,
            );
          this.active.add(target.path);
        })
        .finally(() => this.adding.delete(target.path));
      this.adding.set(target.path, p);
    }
    return p;
  }

  /**
   * The fault to report when a request to a local socket failed at the socket (refused, missing):
   * the master died under it. The next request starts a new one.
   */
  lostFault(target: SshTarget, cause: string): SshTransportError {
    // What the master logged since it started (e.g. "Timeout, server not responding"), not the
    // channels that sshd refused: those were reported with their requests.
    const said = sshText(
      this.logSince(this.logMark)
        .filter((l) => !/open failed/.test(l))
        .slice(-3),
    );
    if (this.masterAlive()) this.stopSync(); // alive but not forwarding: replaced on the next request
    return new SshTransportError(
      target,
      `${describeSshTarget(target)}: SSH connection to ${this.where} lost (${said || cause}); reconnecting`,
    );
  }

  /** Size of the master's log now: a request reads what ssh logged after this offset. */
  logSize(): number {
    try {
      return statSync(this.logFile).size;
    } catch {
      return 0;
    }
  }

  /** The lines ssh logged from `offset` on (at most the last 64 KiB). */
  logSince(offset: number): string[] {
    let fd: number;
    try {
      fd = openSync(this.logFile, "r");
    } catch {
      return [];
    }
    try {
      const end = statSync(this.logFile).size;
      const start = Math.max(offset, end - 65_536);
      if (end <= start) return [];
      const buf = Buffer.alloc(end - start);
      readSync(fd, buf, 0, buf.length, start);
      return buf.toString("utf8").split("\n").filter(Boolean);
    } finally {
      closeSync(fd);
    }
  }

  /** Stops the master (`ssh -O exit`, then SIGTERM by pid if it is still there); synchronous, for exit handlers. */
  stopSync(): void {
    if (this.masterAlive()) {
      const s = this.settings();
      spawnSync(s.bin, controlArgs(s, this.host, this.files, "exit"), { timeout: 3000, stdio: "ignore" });
      if (this.masterAlive() && this.masterPid !== null) killQuietly(this.masterPid, "SIGTERM");
    }
    this.masterPid = null;
    this.active = new Set();
    // Its files: a control socket left by a dead master would make `ssh -M` run without multiplexing.
    rmSync(this.files.control, { force: true });
    for (const n of this.forwards.values()) rmSync(this.localPath(n), { force: true });
  }
}
