import { performance } from "node:perf_hooks";
import { type RequestOptions, request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import type { CliLevel } from "../parse/level.js";
import type { BuiltCommand } from "./commands.js";
import type { ActionName } from "./level.js";
import { InvalidNameError } from "./names.js";
import { acceptedMessage } from "./outcome.js";
import { checkAllowed, type LocalRefusal } from "./policy.js";

/** What every action needs besides its arguments. */
export interface ActionOptions extends RequestOptions {
  /** The socket's level as answered by `show cli level`; null when unknown (HAProxy then judges). */
  level: CliLevel | null;
  /** haptop's read-only mode: nothing that changes HAProxy is sent. */
  readOnly: boolean;
}

export interface ActionResult {
  action: ActionName;
  /** Every command sent, in order (empty when refused locally). */
  commands: string[];
  /** HAProxy's reply to the changing command(s) ("" = accepted); for a local refusal, "". */
  reply: string;
  ok: boolean;
  /** One line for the status bar. */
  message: string;
  durationMs: number;
  /** Set when nothing was sent because haptop refused the action itself. */
  refused?: LocalRefusal;
  /** For an action applied in several backends: one result per backend. */
  parts?: ActionResult[];
}

export const elapsed = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

export function refusedResult(
  action: ActionName,
  refused: LocalRefusal,
  message: string,
  t0: number,
): ActionResult {
  return { action, commands: [], reply: "", ok: false, message, durationMs: elapsed(t0), refused };
}

/** Local checks before sending: read-only, level, names. Returns a refusal result or the built value. */
export function prepare<T>(
  action: ActionName,
  opts: ActionOptions,
  t0: number,
  build: () => T,
): { refusal: ActionResult } | { value: T } {
  const denied = checkAllowed(action, opts.level, opts.readOnly);
  if (denied) return { refusal: refusedResult(action, denied.refusal, denied.message, t0) };
  try {
    return { value: build() };
  } catch (err) {
    if (err instanceof InvalidNameError)
      return { refusal: refusedResult(action, "invalid-input", err.message, t0) };
    throw err;
  }
}

/** HAProxy's reply as one line for a message. */
export function firstLines(reply: string): string {
  return reply.trim().split("\n").slice(0, 3).join(" ").slice(0, 300);
}

/** A write command succeeded when HAProxy answered with the empty line alone. */
export function accepted(reply: string): boolean {
  return reply.trim() === "";
}

export function requestOpts(opts: ActionOptions): RequestOptions {
  return { timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes };
}

/** Sends `before`, `commands` and `verify` in one request: exactly the built lines, nothing else. */
async function send(target: Target, built: BuiltCommand, opts: ActionOptions) {
  const lines = [...built.before, ...built.commands, ...built.verify];
  const replies = await request(target, lines, requestOpts(opts));
  const b = built.before.length;
  const c = built.commands.length;
  return {
    lines,
    before: replies.slice(0, b),
    replies: replies.slice(b, b + c),
    verify: replies.slice(b + c),
  };
}

/**
 * Runs one built action after the local checks (read-only, level): sends exactly its lines and
 * words the outcome. A refused command (any reply but the empty line) is not ok.
 */
export async function runBuilt(
  target: Target,
  built: BuiltCommand,
  opts: ActionOptions,
): Promise<ActionResult> {
  const t0 = performance.now();
  const denied = checkAllowed(built.action, opts.level, opts.readOnly);
  if (denied) return refusedResult(built.action, denied.refusal, denied.message, t0);
  const out = await send(target, built, opts);
  const reply = out.replies.join("");
  const base = { action: built.action, commands: out.lines, reply, durationMs: elapsed(t0) };
  const refused = out.replies.findIndex((r) => !accepted(r));
  if (refused >= 0 || out.replies.length < built.commands.length) {
    const r = out.replies[refused] ?? "";
    return {
      ...base,
      ok: false,
      message: `${built.commands[Math.max(0, refused)]}: ${firstLines(r) || "(no reply)"}`,
    };
  }
  return { ...base, ok: true, message: acceptedMessage(built, out.before, out.verify) };
}

/** Runs several built actions one after the other (the same change in several backends). */
export async function runBuiltAll(
  target: Target,
  builts: readonly BuiltCommand[],
  opts: ActionOptions,
  summary: (failed: number, total: number) => string,
): Promise<ActionResult> {
  const t0 = performance.now();
  const first = builts[0];
  if (!first) return refusedResult("set-server-state", "invalid-input", "nothing to run", t0);
  if (builts.length === 1) return runBuilt(target, first, opts);
  const denied = checkAllowed(first.action, opts.level, opts.readOnly);
  if (denied) return refusedResult(first.action, denied.refusal, denied.message, t0);
  const parts: ActionResult[] = [];
  for (const b of builts) parts.push(await runBuilt(target, b, opts));
  const failed = parts.filter((p) => !p.ok);
  return {
    action: first.action,
    commands: parts.flatMap((p) => p.commands),
    reply: parts.map((p) => p.reply).join(""),
    ok: failed.length === 0,
    message:
      summary(failed.length, parts.length) +
      (failed.length
        ? `: ${failed
            .slice(0, 3)
            .map((p) => p.message)
            .join("; ")}`
        : ""),
    durationMs: elapsed(t0),
    parts,
  };
}
