import { sendRaw } from "../client/socket.js";
import type { Target } from "../client/target.js";

/**
 * Sends lines to HAProxy's master CLI and reads until it closes. Unlike a worker's stats socket,
 * the 2.6 master CLI keeps a non-interactive connection open after answering until the client
 * half-closes. `reload` closes the connection without a reply; a reset (the master re-executing
 * during a reload) ends the reply with what was read.
 */
export function sendMaster(target: Target, lines: string[], timeoutMs = 2000): Promise<string> {
  for (const l of lines) {
    if (/[\n\r]/.test(l)) throw new Error(`master CLI line contains a line break: ${JSON.stringify(l)}`);
  }
  return sendRaw(target, lines.join("\n"), { timeoutMs, maxBytes: 16 * 1024 * 1024, halfClose: true });
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
  return parsePromptReply(await sendMaster(target, ["prompt", command, "quit"], timeoutMs));
}

/** Splits a prompt-mode reply (`master[ReloadFailed]> <output>\nmaster> master> `) into prompt and output. */
export function parsePromptReply(raw: string): PromptReply {
  const m = /^(master[^>\n]*>) ?/.exec(raw);
  if (!m) return { prompt: "", reloadFailed: false, output: raw };
  const prompt = m[1]!;
  let output = raw.slice(m[0].length);
  // The command's output ends with the next prompt(s): "…\n\nmaster> master> ".
  const end = output.indexOf(`\n${prompt}`);
  if (end >= 0) output = output.slice(0, end + 1);
  return { prompt, reloadFailed: /ReloadFailed/.test(prompt), output };
}
