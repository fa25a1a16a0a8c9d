import { excerpt, sanitize } from "../text/sanitize.js";
import { describeTarget, type Target } from "./target.js";

/** Why a request to the Runtime API failed; each has a plain-language message. */
export type SocketErrorCode =
  | "socket-missing"
  | "permission-denied"
  | "connection-refused"
  | "not-a-socket"
  | "timeout"
  | "too-large"
  | "closed-early"
  | "not-haproxy"
  | "io-error";

/** A command HAProxy answered with an error instead of output. */
export type CommandErrorCode = "command-refused" | "unknown-command" | "command-error" | "not-haproxy";

/** What every message about a peer that is not HAProxy's Runtime API says (batch, TUI, reload). */
export const NOT_HAPROXY = "the target answered, but not as HAProxy's Runtime API does";

export class SocketError extends Error {
  override name = "SocketError";
  constructor(
    readonly code: SocketErrorCode,
    readonly target: Target,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export class CommandError extends Error {
  override name = "CommandError";
  constructor(
    readonly code: CommandErrorCode,
    readonly command: string,
    /** HAProxy's own reply, first line (for "not-haproxy": the first bytes of the reply). */
    readonly reply: string,
  ) {
    // The command may hold names from HAProxy and the reply anything: both are quoted escaped.
    const cmd = excerpt(command, 80);
    super(
      code === "command-refused"
        ? `HAProxy refused ${cmd}: Permission denied (the socket's level is too low)`
        : code === "unknown-command"
          ? `HAProxy does not know the command ${cmd}`
          : code === "not-haproxy"
            ? `${NOT_HAPROXY} (its reply to ${cmd} begins ${excerpt(reply)})`
            : `HAProxy answered ${cmd} with: ${excerpt(reply)}`,
    );
  }
}

/**
 * A reply that arrived whole but cannot be read as the Runtime API's (a parser found no header,
 * an unknown level...). The parsers' own errors extend it, so every command treats them alike:
 * "a socket that cannot be read", exit 3.
 */
export class ReplyError extends Error {
  override name = "ReplyError";
}

/** The SocketError for bytes that are not HAProxy's, quoting the first of them escaped. */
export function notHaproxy(target: Target, raw: string): SocketError {
  return new SocketError(
    "not-haproxy",
    target,
    `${describeTarget(target)}: ${NOT_HAPROXY} (first bytes: ${raw === "" ? "none" : excerpt(raw)})`,
  );
}

/** Turns a Node socket error into a SocketError that names the target and the cause. */
export function fromNodeError(
  err: NodeJS.ErrnoException,
  target: Target,
  isSocketFile?: boolean,
): SocketError {
  const where = describeTarget(target);
  switch (err.code) {
    case "ENOENT":
      return new SocketError(
        "socket-missing",
        target,
        `${where}: no such socket (is HAProxy running, and is a "stats socket" configured there?)`,
      );
    case "EACCES":
    case "EPERM":
      return new SocketError(
        "permission-denied",
        target,
        `${where}: permission denied`,
        "run haptop as a user in the socket's group (ls -l the socket), or with sudo",
      );
    case "ECONNREFUSED":
      if (isSocketFile === false) return new SocketError("not-a-socket", target, `${where}: not a socket`);
      return new SocketError(
        "connection-refused",
        target,
        `${where}: connection refused (HAProxy is not listening there)`,
      );
    case "ENOTSOCK":
      return new SocketError("not-a-socket", target, `${where}: not a socket`);
    default:
      return new SocketError("io-error", target, `${where}: ${err.code ?? ""} ${err.message}`.trim());
  }
}

/**
 * A one-paragraph message for stderr or the status line, with every control byte escaped (a
 * message may quote a target path, a name or a reply). Lines are kept: a hint has its own line.
 */
export function formatError(err: unknown): string {
  const text =
    err instanceof SocketError
      ? err.hint
        ? `${err.message}\n  hint: ${err.hint}`
        : err.message
      : err instanceof Error
        ? err.message
        : String(err);
  return text.split("\n").map(sanitize).join("\n");
}
