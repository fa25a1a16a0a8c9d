import { connect } from "node:net";
import { fromNodeError, SocketError } from "../client/errors.js";
import { describeTarget, type Target } from "../client/target.js";

/**
 * Sends lines to HAProxy's master CLI and reads until it closes. Unlike a worker's stats socket,
 * the 2.6 master CLI keeps a non-interactive connection open after answering until the client
 * half-closes, so the request is written with end(). `reload` closes the connection without a reply.
 * An ECONNRESET after some data, or right away (the master re-executing during a reload), ends the
 * reply with what was read.
 */
export function sendMaster(target: Target, lines: string[], timeoutMs = 2000): Promise<string> {
  for (const l of lines) {
    if (/[\n\r]/.test(l)) throw new Error(`master CLI line contains a line break: ${JSON.stringify(l)}`);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const sock =
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
          `${describeTarget(target)}: no complete answer within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    sock.on("connect", () => sock.end(lines.map((l) => `${l}\n`).join("")));
    sock.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 16 * 1024 * 1024) {
        finish(new SocketError("too-large", target, `${describeTarget(target)}: reply too large`));
        return;
      }
      chunks.push(chunk);
    });
    sock.on("end", () => finish(null));
    sock.on("close", () => finish(null));
    sock.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNRESET" || err.code === "EPIPE") return finish(null);
      finish(fromNodeError(err, target));
    });
  });
}

/** A master CLI answer in prompt mode: the prompt seen (e.g. `master[ReloadFailed]>`) and the output. */
export interface PromptReply {
  prompt: string;
  reloadFailed: boolean;
  output: string;
}

/**
 * Runs one command in prompt mode (`prompt`, the command, `quit`), which is the only way to see the
 * `master[ReloadFailed]>` prompt that marks a failed reload in 2.6.
 */
export async function masterCommandWithPrompt(
  target: Target,
  command: string,
  timeoutMs = 2000,
): Promise<PromptReply> {
  const raw = await sendMaster(target, ["prompt", command, "quit"], timeoutMs);
  const m = /^(master[^>\n]*>) ?/.exec(raw);
  if (!m) return { prompt: "", reloadFailed: false, output: raw };
  const prompt = m[1]!;
  let output = raw.slice(m[0].length);
  // The command's output ends with the next prompt(s): "…\n\nmaster> master> ".
  const end = output.indexOf(`\n${prompt}`);
  if (end >= 0) output = output.slice(0, end + 1);
  return { prompt, reloadFailed: /ReloadFailed/.test(prompt), output };
}
