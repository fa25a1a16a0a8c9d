import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { holdsSecret } from "./cliPolicy.js";

/**
 * The Runtime API prompt's history: one command line per line, per user, in
 * `$XDG_STATE_HOME/haptop/history` (default `~/.local/state/haptop/history`), mode 0600 in a 0700
 * directory, the newest last, at most MAX_HISTORY lines. Lines that carry secrets (certificate or
 * key payloads: cliPolicy.holdsSecret) are never written. A history that cannot be read or written
 * never stops the prompt: it then lives in memory and says why.
 */
export interface CliHistory {
  /** Oldest first. */
  entries(): readonly string[];
  /** Records a line sent (or refused) from the prompt; secrets are dropped here. */
  add(line: string): void;
  /** Where it is kept (null: in memory only). */
  readonly path: string | null;
  /** Why the file could not be read or written, once it happened. */
  error(): string | null;
}

export const MAX_HISTORY = 500;

/** The history file's path under the XDG base directory spec (a relative XDG_STATE_HOME is ignored). */
export function historyPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const state = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : null;
  return join(state ?? join(home, ".local", "state"), "haptop", "history");
}

/** The entries with `line` added last: no empty line, no repeat of the newest, no secret, bounded. */
export function withEntry(entries: readonly string[], line: string, max = MAX_HISTORY): string[] {
  const l = line.trim();
  if (l === "" || /[\r\n]/.test(l) || holdsSecret(l)) return [...entries];
  const next = entries.at(-1) === l ? [...entries] : [...entries, l];
  return next.slice(Math.max(0, next.length - max));
}

/** A history file's text as entries (what another version or a hand edit left is filtered too). */
export function parseHistory(text: string, max = MAX_HISTORY): string[] {
  const lines = text.split("\n").filter((l) => l.trim() !== "" && !holdsSecret(l));
  return lines.slice(Math.max(0, lines.length - max));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A history in memory only (tests, or when no file is wanted). */
export function memoryHistory(initial: readonly string[] = [], max = MAX_HISTORY): CliHistory {
  let entries = [...initial];
  return {
    entries: () => entries,
    add: (line) => {
      entries = withEntry(entries, line, max);
    },
    path: null,
    error: () => null,
  };
}

/**
 * The history kept in `path`. Each add re-reads the file (another haptop may have added to it),
 * appends, and replaces the file whole (a temp file renamed over it), created 0600.
 */
export function fileHistory(path: string, max = MAX_HISTORY): CliHistory {
  let error: string | null = null;
  const read = (): string[] | null => {
    try {
      return parseHistory(readFileSync(path, "utf8"), max);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      error = `history ${path}: ${message(e)}`;
      return null;
    }
  };
  let entries = read() ?? [];
  return {
    entries: () => entries,
    add: (line) => {
      const next = withEntry(read() ?? entries, line, max);
      entries = next;
      try {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, next.length ? `${next.join("\n")}\n` : "", { mode: 0o600 });
        chmodSync(tmp, 0o600); // the mode given above is masked by the umask
        renameSync(tmp, path);
      } catch (e) {
        error = `history ${path}: ${message(e)}`;
      }
    },
    path,
    error: () => error,
  };
}
