/**
 * A real pseudo-terminal for end-to-end tests: runs a command in a detached tmux session on its
 * OWN tmux server (`tmux -L haptop-e2e-<pid>-<n>`), so it never touches the user's sessions.
 * Keys go in with `send-keys`, the screen comes out with `capture-pane`. The pane stays after
 * the command exits (a wrapper records the status, then sleeps), so its exit status and the
 * terminal modes it left (alternate screen, cursor) can still be read. Every process is spawned
 * from an args array. Terminals still open when the process exits are closed then.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** argv that runs haptop from source: `node --import tsx src/cli.ts …args`. */
export function haptopArgs(...args: string[]): string[] {
  return [process.execPath, "--import", "tsx", join(ROOT, "src/cli.ts"), ...args];
}

export interface TmuxOptions {
  /** Terminal size (default 120x35). */
  cols?: number;
  rows?: number;
  /** Extra environment of the command (TERM is xterm-256color unless given here). */
  env?: Record<string, string>;
  /** Variables removed from the inherited environment (NO_COLOR, FORCE_COLOR… always are). */
  unsetEnv?: string[];
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Record every byte the command writes (see `rawOutput()`). */
  raw?: boolean;
}

export type ScreenCheck = RegExp | ((screen: string) => boolean);

let counter = 0;

/** Terminals not closed yet: closed when the process exits, whatever happened to the tests. */
const OPEN = new Set<TmuxTerm>();
process.once("exit", () => {
  for (const t of [...OPEN]) t.close();
});

/** $1: status file, $2: start gate (the command starts once it exists), then the command. */
const WRAPPER =
  'f="$1"; g="$2"; shift 2; while [ ! -e "$g" ]; do sleep 0.02; done; "$@"; echo "$?" > "$f"; exec sleep 86400';

/** A string as one single-quoted shell word. */
const shellQuote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** After Escape, before the next key: longer than any terminal's ESC-sequence timeout. */
const ESC_PAUSE_MS = 150;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Commands starting at once in one test worker. Starting haptop (node, tsx, Ink) costs a couple of
 * CPU-seconds; the suites of several HAProxy releases start their terminals at the same time, and on
 * 2 cores a dozen starting together each take many times longer. `start()` holds a slot until the
 * command has drawn its first screen.
 */
const MAX_STARTING = 2;
const FIRST_PAINT_MS = 60_000;
let starting = 0;
const waitingToStart: (() => void)[] = [];

async function startTurn(): Promise<() => void> {
  if (starting >= MAX_STARTING) await new Promise<void>((r) => waitingToStart.push(r));
  starting++;
  return () => {
    starting--;
    waitingToStart.shift()?.();
  };
}

/** Variables of the test process that would change how the command under test renders. */
const SCRUBBED = [
  "TMUX",
  "TMUX_PANE",
  "NO_COLOR",
  "FORCE_COLOR",
  "COLORTERM",
  "HAPTOP_SOCKET",
  "HAPTOP_DEBUG",
];

const CONFIG = [
  "set -g remain-on-exit on",
  "set -g status off",
  "set -g history-limit 0",
  "set -g default-terminal xterm-256color",
  "set -g escape-time 0",
  "set -g exit-empty off",
  "",
].join("\n");

export class TmuxTerm {
  readonly socketName: string;
  private readonly dir: string;
  private panePid: number | null = null;
  /** The server's socket file: kill-server leaves it behind. */
  private socketPath: string | null = null;
  private readonly statusFile: string;
  private readonly rawFile: string;
  private closed = false;

  private constructor(
    readonly args: readonly string[],
    readonly opts: TmuxOptions,
  ) {
    this.socketName = `haptop-e2e-${process.pid}-${++counter}`;
    this.dir = mkdtempSync(join(tmpdir(), "haptop-tmux-"));
    this.statusFile = join(this.dir, "status");
    this.rawFile = join(this.dir, "raw");
  }

  /** Starts `args` (argv[0] and its arguments, no shell) in a new terminal of the given size. */
  static async start(args: readonly string[], opts: TmuxOptions = {}): Promise<TmuxTerm> {
    if (args.length === 0) throw new Error("TmuxTerm.start: empty command");
    const t = new TmuxTerm(args, opts);
    const conf = join(t.dir, "tmux.conf");
    writeFileSync(conf, CONFIG);
    const env = { TERM: "xterm-256color", ...opts.env };
    const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    const cols = opts.cols ?? 120;
    const rows = opts.rows ?? 35;
    // A fixed wrapper script records the exit status (tmux's #{pane_dead_status} is not always
    // set) and then keeps the pane alive, so the terminal state the command left behind
    // (#{alternate_on}, #{cursor_flag}) is read as is, without tmux's dead-pane notice. The
    // command goes to it as positional arguments, never through a shell string.
    const gate = join(t.dir, "go");
    const wrapped = ["/bin/sh", "-c", WRAPPER, "sh", t.statusFile, gate, ...args];
    OPEN.add(t);
    const done = await startTurn();
    try {
      await t.launch(conf, cols, rows, envArgs, wrapped, gate);
      await t.firstPaint();
    } catch (e) {
      t.close();
      throw e;
    } finally {
      done();
    }
    return t;
  }

  /**
   * Waits until the command has drawn something (or exited), at most FIRST_PAINT_MS; never fails:
   * the test's own `waitFor` says what was missing.
   */
  private async firstPaint(): Promise<void> {
    const end = Date.now() + FIRST_PAINT_MS;
    while (Date.now() < end && this.exitCode() === null) {
      if ((await this.screen().catch(() => "")).trim() !== "") return;
      await sleep(100);
    }
  }

  private async launch(
    conf: string,
    cols: number,
    rows: number,
    envArgs: string[],
    wrapped: string[],
    gate: string,
  ): Promise<void> {
    const opts = this.opts;
    await this.tmuxRaw([
      "-f",
      conf,
      "new-session",
      "-d",
      "-s",
      "e2e",
      "-x",
      String(cols),
      "-y",
      String(rows),
      "-c",
      opts.cwd ?? ROOT,
      ...envArgs,
      "--",
      ...wrapped,
    ]);
    const [pid, socketPath] = (await this.display("#{pane_pid} #{socket_path}")).split(" ", 2);
    this.panePid = Number.isInteger(Number(pid)) && Number(pid) > 0 ? Number(pid) : null;
    this.socketPath = socketPath || null;
    if (opts.raw) {
      // Every byte the command writes, appended to a file of ours (the only shell string: our path).
      await this.tmux("pipe-pane", "-O", "-t", "e2e", `cat >> ${shellQuote(this.rawFile)}`);
    }
    writeFileSync(gate, "");
  }

  /** The pid of the pane's process (the wrapper shell; the command is its child, same process group). */
  get pid(): number | null {
    return this.panePid;
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of [...SCRUBBED, ...(this.opts.unsetEnv ?? [])]) delete env[k];
    return env;
  }

  private tmuxRaw(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        "tmux",
        ["-L", this.socketName, ...args],
        { env: this.env(), encoding: "utf8", timeout: 10_000, maxBuffer: 8 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`tmux ${args.join(" ")}: ${stderr.trim() || err.message}`));
          else resolve(stdout);
        },
      );
    });
  }

  /** Runs a tmux command against this terminal's server. */
  tmux(...args: string[]): Promise<string> {
    if (this.closed) return Promise.reject(new Error("TmuxTerm is closed"));
    return this.tmuxRaw(args);
  }

  /** A tmux format of the pane, e.g. `#{alternate_on}`, `#{cursor_flag}`, `#{pane_pid}`. */
  display(format: string): Promise<string> {
    return this.tmux("display-message", "-p", "-t", "e2e", format).then((s) => s.replace(/\n$/, ""));
  }

  /**
   * Key names as tmux spells them: `Down`, `Enter`, `Escape`, `C-c`, `q`, `/`… A key right after
   * `Escape` goes after a pause: ESC and `3` read together are Alt-3, as in any terminal.
   */
  async sendKeys(...keys: string[]): Promise<void> {
    let batch: string[] = [];
    for (const key of keys) {
      batch.push(key);
      if (key === "Escape" || key === "Esc") {
        await this.tmux("send-keys", "-t", "e2e", ...batch);
        batch = [];
        await sleep(ESC_PAUSE_MS);
      }
    }
    if (batch.length > 0) await this.tmux("send-keys", "-t", "e2e", ...batch);
  }

  /** Literal text, each character as typed (no key-name lookup). */
  async type(text: string): Promise<void> {
    await this.tmux("send-keys", "-t", "e2e", "-l", "--", text);
  }

  /** The visible screen as plain text, one line per row, trailing blanks trimmed. */
  screen(): Promise<string> {
    return this.tmux("capture-pane", "-p", "-t", "e2e");
  }

  /** The visible screen with its SGR escapes (colours, bold, inverse…). */
  screenAnsi(): Promise<string> {
    return this.tmux("capture-pane", "-p", "-e", "-t", "e2e");
  }

  /**
   * Polls the screen every 100 ms until `check` matches (every check, for an array); returns that
   * screen. On timeout the error names the checks that failed and shows the last screen.
   *
   * A capture can fall in the middle of a frame being drawn (the top redrawn, the rest erased):
   * put everything a test asserts, and a line drawn last (the footer), in the same call.
   */
  waitFor(check: ScreenCheck | ScreenCheck[], timeoutMs = 10_000, what?: string): Promise<string> {
    return this.poll(() => this.screen(), check, timeoutMs, what);
  }

  /** `waitFor` on the screen with its SGR escapes (`screenAnsi()`). */
  waitForAnsi(check: ScreenCheck | ScreenCheck[], timeoutMs = 10_000, what?: string): Promise<string> {
    return this.poll(() => this.screenAnsi(), check, timeoutMs, what);
  }

  private async poll(
    capture: () => Promise<string>,
    check: ScreenCheck | ScreenCheck[],
    timeoutMs: number,
    what: string | undefined,
  ): Promise<string> {
    const checks = Array.isArray(check) ? check : [check];
    const passes = (c: ScreenCheck, screen: string) => (typeof c === "function" ? c(screen) : c.test(screen));
    const end = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
      try {
        last = await capture();
        if (checks.every((c) => passes(c, last))) return last;
      } catch (e) {
        last = `<capture failed: ${e instanceof Error ? e.message : String(e)}>`;
      }
      if (Date.now() >= end) break;
      await sleep(100);
    }
    const failed = checks
      .filter((c) => !passes(c, last))
      .map((c) => (typeof c === "function" ? c.toString().slice(0, 160) : String(c)));
    const code = this.exitCode();
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for ${what ?? "the screen"}\n` +
        `not met: ${failed.join(" | ")}\n` +
        `${code === null ? "the command is running" : `the command exited with ${code}`}\n` +
        `--- last screen (tmux -L ${this.socketName}) ---\n${last}\n--- end ---`,
    );
  }

  /** The command's exit status once it has exited (128+n for signal n), else null. */
  exitCode(): number | null {
    try {
      const text = readFileSync(this.statusFile, "utf8").trim();
      return /^\d+$/.test(text) ? Number(text) : null;
    } catch {
      return null;
    }
  }

  /** Waits until the command exits, and returns its exit status. */
  async waitExit(timeoutMs = 10_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const code = this.exitCode();
      if (code !== null) return code;
      await sleep(100);
    }
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for the command to exit\n${await this.screen()}`,
    );
  }

  /** Every byte the command wrote so far (with `raw: true`), as latin1. */
  rawOutput(): string {
    if (!this.opts.raw) throw new Error("TmuxTerm: start with { raw: true } to record the output");
    try {
      return readFileSync(this.rawFile, "latin1");
    } catch {
      return "";
    }
  }

  /** Resizes the terminal (the command gets SIGWINCH). */
  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux("resize-window", "-t", "e2e", "-x", String(cols), "-y", String(rows));
  }

  /**
   * Kills the tmux server (by its own -L socket) and, if still alive, the command (by pid), and
   * removes the server's socket file and the temp dir.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    OPEN.delete(this);
    try {
      execFileSync("tmux", ["-L", this.socketName, "kill-server"], { env: this.env(), stdio: "ignore" });
    } catch {
      /* not running */
    }
    if (this.panePid) {
      try {
        // tmux makes the pane's process a session and group leader: this is the wrapper and the command.
        process.kill(-this.panePid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    if (this.socketPath?.includes(this.socketName)) rmSync(this.socketPath, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
