import { statSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { CommandError, fromNodeError, SocketError } from "./errors.js";
import { describeTarget, type Target } from "./target.js";

export interface RequestOptions {
  /** Whole request: connect, send, read until HAProxy closes. */
  timeoutMs?: number;
  /** Refuse replies larger than this many bytes (a full `show stat` at 50k servers is ~12 MB). */
  maxBytes?: number;
  /**
   * Half-close after sending, and take a reset as the end of the reply: the 2.6 master CLI answers
   * only once the client half-closes, and closes abruptly while it re-executes for a reload.
   */
  halfClose?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Sends one line to HAProxy over a fresh connection and returns the raw reply, read until HAProxy
 * closes the connection. A fresh connection each time: a persistent one keeps an old process alive
 * after a reload.
 */
export function sendRaw(target: Target, line: string, opts: RequestOptions = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const sock: Socket =
      target.kind === "unix"
        ? connect({ path: target.path })
        : connect({ host: target.host, port: target.port });
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString("latin1"));
    };
    const timer = setTimeout(() => {
      finish(
        new SocketError(
          "timeout",
          target,
          `${describeTarget(target)}: no complete answer within ${timeoutMs} ms (HAProxy busy or hung?)`,
        ),
      );
    }, timeoutMs);
    sock.on("connect", () => (opts.halfClose ? sock.end(`${line}\n`) : sock.write(`${line}\n`)));
    sock.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish(
          new SocketError(
            "too-large",
            target,
            `${describeTarget(target)}: reply larger than ${maxBytes} bytes, refused`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    sock.on("end", () => finish(null));
    sock.on("close", () => finish(null));
    sock.on("error", (err: NodeJS.ErrnoException) => {
      if (settled) return;
      if (err.code === "ECONNRESET" && (size > 0 || opts.halfClose)) return finish(null);
      if (err.code === "EPIPE" && opts.halfClose) return finish(null);
      finish(fromNodeError(err, target, target.kind === "unix" ? isSocketFile(target.path) : undefined));
    });
  });
}

function isSocketFile(path: string): boolean | undefined {
  try {
    return statSync(path).isSocket();
  } catch {
    return undefined;
  }
}

/** Escapes what HAProxy's CLI treats specially inside one command (`;` separates, `\` escapes). */
export function escapeArg(arg: string): string {
  return arg.replace(/[\\;]/g, (c) => `\\${c}`);
}

/**
 * Runs several commands in one request (joined with `;`) and returns each command's output.
 * Each output ends with an empty line; a reply with fewer outputs than commands was cut short.
 */
export async function request(
  target: Target,
  commands: string[],
  opts: RequestOptions = {},
): Promise<string[]> {
  for (const c of commands) {
    if (/[\n\r]/.test(c)) throw new Error(`command contains a line break: ${JSON.stringify(c)}`);
  }
  const raw = await sendRaw(target, commands.join(";"), opts);
  return splitReplies(raw, commands.length, target);
}

/**
 * Splits a batched reply into one output per command: each output is a run of lines closed by an
 * empty line (a write command's success is the empty line alone). The last command takes the rest,
 * so a last output with empty lines of its own (`show errors`) stays whole. A reply that does not
 * end with the closing empty line, or has fewer outputs than commands, was cut short.
 */
export function splitReplies(raw: string, count: number, target: Target): string[] {
  const lines = raw.split("\n");
  lines.pop(); // what follows the last newline: "" unless the reply was cut mid-line
  const out: string[] = [];
  let current: string[] = [];
  let i = 0;
  for (; i < lines.length && out.length < count - 1; i++) {
    const line = lines[i]!;
    if (line === "") {
      out.push(current.length ? `${current.join("\n")}\n` : "");
      current = [];
    } else current.push(line);
  }
  const rest = lines.slice(i);
  const closed = rest.length > 0 && rest[rest.length - 1] === "" && (raw.endsWith("\n\n") || raw === "\n");
  if (out.length < count - 1 || !closed) {
    throw new SocketError(
      "closed-early",
      target,
      `${describeTarget(target)}: HAProxy closed the connection before the answer was complete` +
        ` (${out.length} of ${count} replies, ${raw.length} bytes)`,
    );
  }
  rest.pop();
  out.push(rest.length ? `${rest.join("\n")}\n` : "");
  return out;
}

/** Throws a CommandError when a command's output is one of HAProxy's refusals or errors. */
export function checkReply(command: string, output: string, expectPrefix?: string): string {
  const first = (output.split("\n", 1)[0] ?? "").trim();
  if (first === "Permission denied") throw new CommandError("command-refused", command, first);
  if (first.startsWith("Unknown command")) throw new CommandError("unknown-command", command, first);
  if (expectPrefix !== undefined && !output.startsWith(expectPrefix)) {
    throw new CommandError("command-error", command, first || "(empty reply)");
  }
  return output;
}

/** Runs one command and returns its checked output. */
export async function runCommand(
  target: Target,
  command: string,
  opts: RequestOptions & { expectPrefix?: string } = {},
): Promise<string> {
  const [out] = await request(target, [command], opts);
  return checkReply(command, out ?? "", opts.expectPrefix);
}
