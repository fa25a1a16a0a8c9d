import { type CliLevel, levelAtLeast } from "../parse/level.js";
import { excerpt } from "../text/sanitize.js";
import { levelMessage, READ_ONLY_MESSAGE } from "./policy.js";

/**
 * What the Runtime API prompt (`:` in the TUI, `haptop cli`) may send. Pure: a typed line in, the
 * commands HAProxy would run out, or why it is refused locally before anything is sent.
 *
 * The line is read the way HAProxy's CLI reads it, so nothing slips past a check by hiding in
 * HAProxy's syntax: `;` separates commands unless escaped with `\`, words are separated by spaces
 * and tabs, and a `\` makes the next character literal (`s\et` is `set`). Each command is checked on
 * its own: `show info; set weight …` is refused whole in read-only mode.
 */

/** One command of a line, as HAProxy will see it. */
export interface CliCommand {
  /** The command's text as typed (escapes kept): what is sent. */
  raw: string;
  /** Its words with HAProxy's escapes removed: what is checked. */
  words: string[];
}

export type CliRefusalReason = "read-only" | "level" | "invalid";

export type CliCheck =
  | { ok: true; commands: CliCommand[] }
  | { ok: false; reason: CliRefusalReason; message: string };

export interface CliPolicyContext {
  /** The socket's level; null when unknown (HAProxy judges then). */
  level: CliLevel | null;
  readOnly: boolean;
  /** HAProxy's version (`show info` Version, `show version`), for CRASHERS; unknown: not checked. */
  version?: string | null;
}

/**
 * Commands that make a release's process exit, measured on the test matrix: refused there in every
 * mode. HAProxy 3.0.0 dies on `show threads` at any level (the socket then refuses connections);
 * 2.6, 2.8 and 3.2 answer it.
 */
export const CRASHERS: readonly { prefix: string; release: RegExp; name: string }[] = [
  { prefix: "show threads", release: /^3\.0\.0(?![\d.])/, name: "3.0.0" },
];

/** The crasher a command is on this version, if any. */
function crasher(words: readonly string[], version: string | null | undefined) {
  if (!version) return null;
  return (
    CRASHERS.find((c) => c.release.test(version) && c.prefix.split(" ").every((w, i) => words[i] === w)) ??
    null
  );
}

/** True when a command of the line could be a crasher on some release (so its version is worth asking). */
export function mayCrash(line: string): boolean {
  return splitCliLine(line).some((cmd) => {
    const words = commandWords(cmd);
    return CRASHERS.some((c) => c.prefix.split(" ").every((w, i) => words[i] === w));
  });
}

/**
 * The least level a command needs, by its leading words (the longest prefix listed wins).
 * Measured on HAProxy 2.6, 2.8, 3.0 and 3.2 (test/integration/cli-levels.test.ts sends each probe
 * to a socket one level lower and expects `Permission denied`). Only commands that HAProxy refuses
 * before reading their arguments are listed, so a local refusal is never stricter than HAProxy:
 * anything else is sent and HAProxy judges. (Map, ACL and `clear table <t>` commands are accepted
 * at user level by these releases, so they are not listed.)
 */
export const LEVEL_RULES: readonly { prefix: string; level: CliLevel; probe: string }[] = [
  { prefix: "clear counters", level: "operator", probe: "clear counters" },
  { prefix: "clear counters all", level: "admin", probe: "clear counters all" },
  { prefix: "show sess", level: "operator", probe: "show sess" },
  { prefix: "show errors", level: "operator", probe: "show errors" },
  { prefix: "show fd", level: "operator", probe: "show fd" },
  { prefix: "show env", level: "operator", probe: "show env" },
  { prefix: "show libs", level: "operator", probe: "show libs" },
  { prefix: "show startup-logs", level: "operator", probe: "show startup-logs" },
  { prefix: "get var", level: "operator", probe: "get var proc.haptop_nope" },
  { prefix: "trace", level: "operator", probe: "trace haptop_nope" },
  // HAProxy looks the table up first: the probe needs a real one (the test lab declares it).
  { prefix: "set table", level: "operator", probe: "set table haptop_probe key 127.0.0.9 data.gpc0 1" },
  { prefix: "show cache", level: "admin", probe: "show cache" },
  { prefix: "show profiling", level: "admin", probe: "show profiling" },
  { prefix: "show ssl crt-list", level: "admin", probe: "show ssl crt-list" },
  { prefix: "set weight", level: "admin", probe: "set weight be_nope/s 1" },
  { prefix: "set server", level: "admin", probe: "set server be_nope/s weight 1" },
  { prefix: "enable server", level: "admin", probe: "enable server be_nope/s" },
  { prefix: "disable server", level: "admin", probe: "disable server be_nope/s" },
  { prefix: "enable health", level: "admin", probe: "enable health be_nope/s" },
  { prefix: "disable health", level: "admin", probe: "disable health be_nope/s" },
  { prefix: "enable agent", level: "admin", probe: "enable agent be_nope/s" },
  { prefix: "disable agent", level: "admin", probe: "disable agent be_nope/s" },
  { prefix: "add server", level: "admin", probe: "add server be_nope/s" },
  { prefix: "del server", level: "admin", probe: "del server be_nope/s" },
  { prefix: "set maxconn", level: "admin", probe: "set maxconn server be_nope/s 1" },
  { prefix: "set rate-limit", level: "admin", probe: "set rate-limit connections global 0" },
  { prefix: "enable frontend", level: "admin", probe: "enable frontend fe_nope" },
  { prefix: "disable frontend", level: "admin", probe: "disable frontend fe_nope" },
  { prefix: "shutdown frontend", level: "admin", probe: "shutdown frontend fe_nope" },
  { prefix: "shutdown session", level: "admin", probe: "shutdown session 0x1" },
  { prefix: "shutdown sessions", level: "admin", probe: "shutdown sessions server be_nope/s" },
  { prefix: "enable dynamic-cookie", level: "admin", probe: "enable dynamic-cookie backend be_nope" },
  { prefix: "disable dynamic-cookie", level: "admin", probe: "disable dynamic-cookie backend be_nope" },
  { prefix: "set dynamic-cookie-key", level: "admin", probe: "set dynamic-cookie-key backend be_nope k" },
  { prefix: "set profiling", level: "admin", probe: "set profiling tasks auto" },
  { prefix: "expert-mode", level: "admin", probe: "expert-mode off" },
  { prefix: "experimental-mode", level: "admin", probe: "experimental-mode off" },
  { prefix: "set ssl cert", level: "admin", probe: "set ssl cert /haptop-nope.pem x" },
  { prefix: "new ssl", level: "admin", probe: "new ssl cert /haptop-nope.pem" },
  { prefix: "commit ssl", level: "admin", probe: "commit ssl cert /haptop-nope.pem" },
  { prefix: "abort ssl", level: "admin", probe: "abort ssl cert /haptop-nope.pem" },
  { prefix: "del ssl", level: "admin", probe: "del ssl cert /haptop-nope.pem" },
  { prefix: "add ssl crt-list", level: "admin", probe: "add ssl crt-list /haptop-nope /haptop-nope.pem" },
  { prefix: "set ssl ca-file", level: "admin", probe: "set ssl ca-file /haptop-nope.pem x" },
  { prefix: "set ssl crl-file", level: "admin", probe: "set ssl crl-file /haptop-nope.pem x" },
];

/**
 * Read-only mode sends only these: commands that read and cannot change HAProxy's state. An
 * explicit allowlist (anything else is refused), by first word: `show …` and `get …` only read,
 * `help` lists commands, `echo` prints its text, `quit` ends the (one-command) connection.
 */
export const READ_ONLY_COMMANDS: readonly string[] = ["show", "get", "help", "echo", "quit"];

/** Commands that would turn the one-shot connection into a session the prompt cannot drive. */
const SESSION_COMMANDS = new Set(["prompt"]);

/** The least level `words` needs, when LEVEL_RULES knows it. */
export function requiredLevel(words: readonly string[]): CliLevel | null {
  let best: { n: number; level: CliLevel } | null = null;
  for (const r of LEVEL_RULES) {
    const p = r.prefix.split(" ");
    if (p.length <= words.length && p.every((w, i) => words[i] === w) && (!best || p.length > best.n))
      best = { n: p.length, level: r.level };
  }
  return best?.level ?? null;
}

/**
 * Splits a line into HAProxy's commands (at `;` not escaped by `\`), each into words (at spaces and
 * tabs not escaped), escapes removed from the words. Empty commands (`;;`) are dropped.
 */
export function splitCliLine(line: string): CliCommand[] {
  const out: CliCommand[] = [];
  let raw = "";
  let words: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) out.push({ raw: raw.trim(), words });
    raw = "";
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\") {
      const next = line[i + 1];
      raw += next === undefined ? c : c + next;
      // HAProxy keeps the escaped character and drops the backslash (a lone trailing one too).
      if (next !== undefined) word = (word ?? "") + next;
      i++;
      continue;
    }
    if (c === ";") {
      endCommand();
      continue;
    }
    raw += c;
    if (c === " " || c === "\t") endWord();
    else word = (word ?? "") + c;
  }
  endCommand();
  return out;
}

/** Words that route a master CLI command to a process (`@1`, `@!1234`, `@master`): not the command. */
const routing = (w: string) => w.startsWith("@");

/** The command's own words, after any master CLI routing prefix. */
export function commandWords(cmd: CliCommand): string[] {
  const i = cmd.words.findIndex((w) => !routing(w));
  return i < 0 ? [] : cmd.words.slice(i);
}

/** Why one command may not be sent here, or null. */
function refuseCommand(cmd: CliCommand, ctx: CliPolicyContext): CliCheck | null {
  const words = commandWords(cmd);
  const name = words.slice(0, 3).join(" ") || cmd.raw;
  if (words.length === 0) return { ok: false, reason: "invalid", message: "no command after the @ prefix" };
  // A payload (`<<`) follows on the next lines: the prompt sends one line.
  if (words.some((w) => w.startsWith("<<")))
    return {
      ok: false,
      reason: "invalid",
      message: "commands with a payload (<<) need several lines: not sent (use socat)",
    };
  const crash = crasher(words, ctx.version);
  if (crash)
    return {
      ok: false,
      reason: "invalid",
      message: `${excerpt(name)} not sent: HAProxy ${crash.name} exits on it (its process dies; measured)`,
    };
  // `show events <sink> -w` streams new events until the client leaves: the prompt reads whole replies.
  if (words[0] === "show" && words[1] === "events" && words.includes("-w"))
    return {
      ok: false,
      reason: "invalid",
      message: `${excerpt(name)} -w not sent: it streams until the client leaves (the prompt reads whole replies; use socat)`,
    };
  if (SESSION_COMMANDS.has(words[0]!))
    return {
      ok: false,
      reason: "invalid",
      message: `${excerpt(name)} not sent: each command has its own connection (no interactive mode)`,
    };
  if (ctx.readOnly && !READ_ONLY_COMMANDS.includes(words[0]!))
    return { ok: false, reason: "read-only", message: `${READ_ONLY_MESSAGE}: ${excerpt(name)} not sent` };
  const needed = requiredLevel(words);
  if (needed && ctx.level && !levelAtLeast(ctx.level, needed))
    return {
      ok: false,
      reason: "level",
      message: `${excerpt(name)} not sent: ${levelMessage(needed, ctx.level)}`,
    };
  return null;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * How long the line's `wait <delay>` commands (3.0+) hold the reply, in ms: the prompt's timeout is
 * extended by it, or a `wait 5s` would always end in "no complete answer". HAProxy's units (default
 * ms); `wait -h` and a delay HAProxy would refuse count 0.
 */
export function waitDurationMs(line: string): number {
  let total = 0;
  for (const cmd of splitCliLine(line)) {
    const words = commandWords(cmd);
    const m = words[0] === "wait" ? /^(\d+)(us|ms|s|m|h|d)?$/.exec(words[1] ?? "") : null;
    if (m) total += Number(m[1]) * UNIT_MS[m[2] ?? "ms"]!;
  }
  return total;
}

/** The most characters a typed line may have (HAProxy's own buffer is a few kB). */
export const MAX_LINE = 4096;

/**
 * Checks a typed line: every command in it must be allowed (read-only allowlist, socket level),
 * and the line must be one line of printable text. Returns the commands or the first refusal.
 */
export function checkCliLine(line: string, ctx: CliPolicyContext): CliCheck {
  if (/[\r\n]/.test(line))
    return {
      ok: false,
      reason: "invalid",
      message: "one line only: a line break would send a second command",
    };
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(line))
    return { ok: false, reason: "invalid", message: "control characters are not sent" };
  if (line.length > MAX_LINE)
    return { ok: false, reason: "invalid", message: `longer than ${MAX_LINE} characters: not sent` };
  const commands = splitCliLine(line);
  if (commands.length === 0) return { ok: false, reason: "invalid", message: "type a command" };
  for (const cmd of commands) {
    const refused = refuseCommand(cmd, ctx);
    if (refused) return refused;
  }
  return { ok: true, commands };
}

/**
 * Commands whose arguments carry secrets or payloads (certificates, keys, OCSP responses, cookie
 * keys, anonymizing keys): never written to the history file. `commit ssl`, `show ssl` carry none.
 */
const SECRET_PREFIXES: readonly string[][] = [
  ["set", "ssl"],
  ["add", "ssl"],
  ["set", "dynamic-cookie-key"],
  ["set", "anon"],
  ["set", "var"],
  ["httpclient"],
];

/** True when a line must be kept out of the history (any of its commands carries a secret). */
export function holdsSecret(line: string): boolean {
  return splitCliLine(line).some((cmd) => {
    const words = commandWords(cmd);
    return (
      words.some((w) => w.startsWith("<<")) || SECRET_PREFIXES.some((p) => p.every((w, i) => words[i] === w))
    );
  });
}
