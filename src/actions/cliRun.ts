import { formatError } from "../client/errors.js";
import { EXIT, type ExitCode, exitCodeFor } from "../client/exit.js";
import { runCommand } from "../client/socket.js";
import { describeTarget, type Target } from "../client/target.js";
import { type CliLevel, parseCliLevel } from "../parse/level.js";
import { sanitize } from "../text/sanitize.js";
import { checkCliLine, commandWords, mayCrash, requiredLevel, splitCliLine } from "./cliPolicy.js";
import { type CliOutcome, sendCliLine } from "./cliSession.js";

/**
 * `haptop cli [target] -- <command…>`: one Runtime API line for scripts. The reply goes to stdout
 * (escaped: it is HAProxy's text), the verdict to the exit code:
 * 0 HAProxy answered; 2 refused locally (read-only mode, a line break, a payload);
 * 3 HAProxy refused it (`Permission denied`, also when refused locally for the socket's level),
 * does not know it (`Unknown command`), or the socket failed (the EXIT table, src/client/exit.ts).
 */
export interface CliRunOptions {
  timeoutMs: number;
  readOnly: boolean;
}

/** Writes where the output goes (process.stdout/stderr, or test buffers). */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** A reply for a terminal or a pipe: every line escaped, tabs kept (column output uses them). */
export function escapeReply(reply: string): string {
  return reply
    .split("\n")
    .map((l) => l.split("\t").map(sanitize).join("\t"))
    .join("\n");
}

/** The exit code of an outcome (see the module comment). */
export function cliExitCode(o: CliOutcome): ExitCode {
  if (o.kind === "refused") return o.check.reason === "level" ? EXIT.socket : EXIT.usage;
  if (o.kind === "failed") return exitCodeFor(o.cause);
  return o.status === "ok" ? EXIT.ok : EXIT.socket;
}

/**
 * The socket's level, asked only when a command of the line needs more than `user` (a line of
 * `show …` costs one connection, not two). Null when the release does not say (HAProxy judges).
 */
async function levelIfNeeded(target: Target, line: string, timeoutMs: number): Promise<CliLevel | null> {
  const needs = splitCliLine(line).some((c) => requiredLevel(commandWords(c)) !== null);
  if (!needs) return null;
  try {
    return parseCliLevel(await runCommand(target, "show cli level", { timeoutMs }));
  } catch {
    return null;
  }
}

/** HAProxy's version, asked only when the line holds a command that crashes some release. */
async function versionIfNeeded(target: Target, line: string, timeoutMs: number): Promise<string | null> {
  if (!mayCrash(line)) return null;
  try {
    return (await runCommand(target, "show version", { timeoutMs })).trim() || null;
  } catch {
    return null;
  }
}

export async function runCli(
  target: Target,
  words: string[],
  opts: CliRunOptions,
  io: CliOutput,
): Promise<ExitCode> {
  const line = words.join(" ").trim();
  if (line === "") {
    io.err("haptop cli: no command given (put it after --, e.g. haptop cli -- show info)\n");
    return EXIT.usage;
  }
  // Local refusals first (read-only, a line break…): nothing is sent, not even `show cli level`.
  const first = checkCliLine(line, { level: null, readOnly: opts.readOnly });
  let outcome: CliOutcome;
  if (!first.ok) outcome = { kind: "refused", check: first };
  else {
    const level = await levelIfNeeded(target, line, opts.timeoutMs);
    const version = await versionIfNeeded(target, line, opts.timeoutMs);
    const checked = checkCliLine(line, { level, readOnly: opts.readOnly, version });
    outcome = checked.ok
      ? await sendCliLine(target, line, opts.timeoutMs)
      : { kind: "refused", check: checked };
  }
  const where = sanitize(describeTarget(target));
  switch (outcome.kind) {
    case "refused":
      io.err(`haptop: ${where}: ${sanitize(outcome.check.message)}\n`);
      break;
    case "failed":
      io.err(`haptop: ${formatError(outcome.cause)}\n`);
      break;
    case "answered":
      if (outcome.reply !== "") io.out(`${escapeReply(outcome.reply)}\n`);
      if (outcome.status === "denied")
        io.err(`haptop: ${where}: HAProxy refused the command: Permission denied (socket level too low)\n`);
      if (outcome.status === "unknown") io.err(`haptop: ${where}: HAProxy does not know the command\n`);
  }
  return cliExitCode(outcome);
}
