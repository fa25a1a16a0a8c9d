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
  | "io-error";

/** A command HAProxy answered with an error instead of output. */
export type CommandErrorCode = "command-refused" | "unknown-command" | "command-error";

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
    /** HAProxy's own reply, first line. */
    readonly reply: string,
  ) {
    super(
      code === "command-refused"
        ? `HAProxy refused "${command}": Permission denied (the socket's level is too low)`
        : code === "unknown-command"
          ? `HAProxy does not know the command "${command}"`
          : `HAProxy answered "${command}" with: ${reply}`,
    );
  }
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

/** A one-paragraph message for stderr or the status line. */
export function formatError(err: unknown): string {
  if (err instanceof SocketError) return err.hint ? `${err.message}\n  hint: ${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
