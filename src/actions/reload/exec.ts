import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";

/** What a child process did: exit code (null when it could not run or was killed), its output. */
export interface ExecOutcome {
  code: number | null;
  /** stderr then stdout (HAProxy writes its ALERT lines to stderr). */
  output: string;
  /** Why it did not run or finish; null when it exited by itself. */
  error: string | null;
}

/** Runs argv without a shell (never a shell anywhere in haptop); never rejects. */
export function runProcess(
  argv: readonly string[],
  cwd: string | null,
  timeoutMs: number,
): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { cwd: cwd ?? undefined, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        const output = `${stderr}${stdout}`;
        if (!err) return resolve({ code: 0, output, error: null });
        const e = err as NodeJS.ErrnoException & {
          code?: number | string;
          killed?: boolean;
          signal?: string;
        };
        if (typeof e.code === "number") return resolve({ code: e.code, output, error: null });
        if (e.killed || e.signal) {
          return resolve({ code: null, output, error: `${argv[0]} did not finish within ${timeoutMs} ms` });
        }
        resolve({ code: null, output, error: `cannot run ${argv[0]}: ${e.code ?? ""} ${e.message}`.trim() });
      },
    );
  });
}

/** HAProxy's `[ALERT]` lines in some output, whole (they carry `[file:line]`). */
export function alertLines(output: string): string[] {
  return output
    .split(/\r?\n/)
    .filter((l) => l.includes("[ALERT]"))
    .map((l) => l.trim());
}

/** The last non-empty line of some output, for a one-line reason. */
export function lastLine(output: string): string {
  return output.trim().split("\n").at(-1)?.trim() ?? "";
}

/** The pids in a pidfile (one per line); [] when unreadable. */
export function readPidfile(path: string): number[] {
  try {
    return readFileSync(path, "utf8")
      .split(/\s+/)
      .filter((s) => /^\d+$/.test(s))
      .map(Number);
  } catch {
    return [];
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
