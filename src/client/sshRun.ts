/**
 * Running OpenSSH's `ssh` for the SSH transport: argument arrays, no shell, its own session, killed
 * by pid past a deadline; and its words made fit for a status line (escaped, one line, bounded),
 * with a hint for the refusals haptop's BatchMode makes common.
 */
import { spawn } from "node:child_process";
import { sanitize } from "../text/sanitize.js";

/** Longest text of ssh's taken into a message. */
const MAX_SSH_TEXT = 400;

/** ssh's own lines, escaped, on one line: what the user sees in the status line or on stderr. */
export function sshText(lines: string[]): string {
  const text = lines
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => sanitize(l))
    .join("; ");
  return text.length > MAX_SSH_TEXT ? `${text.slice(0, MAX_SSH_TEXT)}…` : text;
}

/** What to do about the usual refusals: haptop runs ssh with BatchMode (no prompt, no question). */
export function hintFor(said: string): string | undefined {
  if (/Host key verification failed|host key .* (changed|is not known)|No \S+ host key is known/i.test(said))
    return "haptop never accepts a host key itself: check the key and add it to known_hosts (connect once with ssh by hand)";
  if (/Permission denied|passphrase|password/i.test(said))
    return "haptop runs ssh without prompts (BatchMode): use a key without a passphrase prompt (ssh-agent), set up for this user and host";
  return undefined;
}

export interface RunResult {
  code: number | null;
  stderr: string;
  error?: NodeJS.ErrnoException;
  timedOut: boolean;
}

/** Runs ssh (argument array, no shell) in its own process group; killed by pid past `timeoutMs`. */
export function runSsh(bin: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    // Its own session: a Ctrl-C in haptop's terminal must not reach ssh (haptop stops it itself),
    // and ssh has no terminal to prompt on.
    const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderr = "";
    let timedOut = false;
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 16_384) stderr += d.toString("utf8");
    });
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) killQuietly(child.pid, "SIGKILL");
    }, timeoutMs);
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, stderr, error, timedOut });
    });
    // "exit", not "close": the backgrounded master inherits no pipe of ours (it reopens its stdio
    // on /dev/null), but waiting for pipes to close is not worth the risk of a hang.
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}

export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}
