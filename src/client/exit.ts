/**
 * The exit codes of every haptop command (the monitor, `--once`, `reload`, and any later one), in one
 * table, documented in the README's "Exit codes". It lives in the lowest layer that knows the fault
 * types, so the CLI front ends of every layer (main, actions/reload) can share it.
 */
import { CommandError, ReplyError, SocketError } from "./errors.js";
import { TargetSyntaxError } from "./target.js";

export const EXIT = {
  /** Done: the snapshot printed, the reload verified. */
  ok: 0,
  /** An action that ran and failed (a reload that could not be verified, a refused config). */
  failed: 1,
  /** Bad usage: unknown option, bad value, a target that is not an address. */
  usage: 2,
  /**
   * The socket cannot be reached or read: missing, permission, refused, timed out, too large,
   * closed early, a command HAProxy refused, or a reply that is not HAProxy's (another server on
   * the port, garbage, a reply the parsers cannot read).
   */
  socket: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for a fault that ended a command. Anything not known here is a failed action. */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof TargetSyntaxError) return EXIT.usage;
  if (err instanceof SocketError || err instanceof CommandError || err instanceof ReplyError)
    return EXIT.socket;
  return EXIT.failed;
}
