import { statSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { decodeReply, encodeCommand } from "../text/utf8.js";
import { CommandError, fromNodeError, notHaproxy, SocketError } from "./errors.js";
import { contradicts, looksForeign } from "./shape.js";
import { sendOverSsh } from "./ssh.js";
import { describeTarget, type Target } from "./target.js";
import { sendThroughMaster } from "./workerRoute.js";

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
  // Over SSH: the same request, to the local socket the SSH master forwards (src/client/ssh.ts).
  if (target.kind === "ssh") return sendOverSsh(target, line, opts, sendRaw);
  // A worker through its master CLI: each command prefixed `@!<pid>` (src/client/workerRoute.ts).
  if (target.kind === "worker") return sendThroughMaster(target, line, opts, sendRaw);
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
      // Decoded once, whole: a UTF-8 character may span two chunks.
      else resolve(decodeReply(Buffer.concat(chunks)));
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
    const bytes = encodeCommand(`${line}\n`);
    sock.on("connect", () => (opts.halfClose ? sock.end(bytes) : sock.write(bytes)));
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
  return splitReplies(raw, commands.length, target, commands);
}

/**
 * Splits a batched reply into one output per command: each output is a run of lines closed by an
 * empty line (a write command's success is the empty line alone). The last command takes the rest,
 * so a last output with empty lines of its own (`show errors`) stays whole. A reply that does not
 * end with the closing empty line, or has fewer outputs than commands, was cut short; unless its
 * first bytes show that it is not HAProxy's at all (given the `commands`, their expected shape).
 */
export function splitReplies(raw: string, count: number, target: Target, commands?: string[]): string[] {
  // Each output but the last ends at the first empty line, found with indexOf: splitting the whole
  // reply into lines blocked the event loop ~0.5 s on a hostile 3 MB reply of 1.5M lines.
  const out: string[] = [];
  let pos = 0;
  while (out.length < count - 1) {
    if (raw.charCodeAt(pos) === 0x0a) {
      out.push("");
      pos += 1;
      continue;
    }
    const end = raw.indexOf("\n\n", pos);
    if (end < 0) break;
    out.push(raw.slice(pos, end + 1));
    pos = end + 2;
  }
  const rest = raw.slice(pos);
  const closed = rest === "\n" || rest.endsWith("\n\n");
  if (out.length < count - 1 || !closed) {
    const first = commands?.[0];
    if (looksForeign(raw) || (first !== undefined && contradicts(first, raw, true))) {
      throw notHaproxy(target, raw);
    }
    throw new SocketError(
      "closed-early",
      target,
      `${describeTarget(target)}: HAProxy closed the connection before the answer was complete` +
        ` (${out.length} of ${count} replies, ${raw.length} bytes)`,
    );
  }
  out.push(rest === "\n" ? "" : rest.slice(0, -1));
  return out;
}

/**
 * Throws a CommandError when a command's output is one of HAProxy's refusals or errors, or when it
 * is not a reply HAProxy would give to that command at all ("not-haproxy").
 */
export function checkReply(command: string, output: string, expectPrefix?: string): string {
  const first = (output.split("\n", 1)[0] ?? "").trim();
  if (first === "Permission denied") throw new CommandError("command-refused", command, first);
  if (first.startsWith("Unknown command")) throw new CommandError("unknown-command", command, first);
  // Only the shape decides here: a whole reply of the right shape with odd bytes inside a value is
  // shown (escaped), not refused.
  if (contradicts(command, output, false)) {
    throw new CommandError("not-haproxy", command, output);
  }
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
