import { formatError } from "../client/errors.js";
import { request, runCommand, sendRaw } from "../client/socket.js";
import type { Target } from "../client/target.js";
import { parseHelpCommands } from "../parse/help.js";
import type { CliLevel } from "../parse/level.js";
import type { TimelineEvent } from "../store/state.js";
import { type CliCheck, checkCliLine, mayCrash, waitDurationMs } from "./cliPolicy.js";
import type { CliHistory } from "./history.js";

/**
 * The Runtime API prompt's I/O: checks a typed line (cliPolicy.ts), sends it over one fresh
 * connection, classifies the reply, and records it on the timeline. Shared by the TUI's `:` prompt
 * (injected into the App: components do no I/O) and `haptop cli`.
 */

/** How HAProxy answered a line (or why nothing was sent). */
export type CliOutcome =
  | { kind: "refused"; check: Extract<CliCheck, { ok: false }> }
  | {
      kind: "answered";
      /** ok: an answer; denied: `Permission denied`; unknown: `Unknown command`. */
      status: "ok" | "denied" | "unknown";
      /** The reply as HAProxy sent it, without the closing empty line. */
      reply: string;
      durationMs: number;
    }
  | { kind: "failed"; error: string; cause: unknown; durationMs: number };

/** The names Tab completes besides commands: stick tables, maps and ACLs (`#id` and file). */
export interface ObjectNames {
  tables: string[];
  maps: string[];
  acls: string[];
}

/** What the prompt needs; the App gets it from run.tsx. */
export interface CliSession {
  readOnly: boolean;
  history: CliHistory;
  /** Checks a line against read-only mode and the socket's level now. */
  check(line: string): CliCheck;
  /** Checks, then sends the line and records it on the timeline (refusals are not sent). */
  send(line: string): Promise<CliOutcome>;
  /** The command words of the socket's `help` (fetched once; [] until then or on failure). */
  commands(): readonly string[][];
  /** Tables, maps and ACLs (fetched once per prompt opening; empty until then). */
  objects(): ObjectNames;
  /** Starts fetching what completion needs (called when the prompt opens). */
  prepare(): void;
}

export interface CliSessionOptions {
  timeoutMs: number;
  readOnly: boolean;
  history: CliHistory;
  /** The socket's level now (null: unknown, HAProxy judges). */
  level: () => CliLevel | null;
  /** HAProxy's version now (`show info` Version), for the commands that crash a release. */
  version?: () => string | null;
  /** Where sent commands are recorded (the poller's timeline); none for `haptop cli`. */
  addEvent?: (e: TimelineEvent) => void;
}

/** The start of each command's output: the reply's first line and every line after an empty one. */
function outputStarts(reply: string): string[] {
  const lines = reply.split("\n");
  return lines.filter((_l, i) => i === 0 || lines[i - 1] === "").map((l) => l.trim());
}

/** Permission denied or Unknown command anywhere a command's output starts; else ok. */
export function classifyReply(reply: string): "ok" | "denied" | "unknown" {
  const starts = outputStarts(reply);
  if (starts.includes("Permission denied")) return "denied";
  if (starts.some((l) => l.startsWith("Unknown command"))) return "unknown";
  return "ok";
}

/** The reply without the empty line(s) that close it. */
export function trimReply(raw: string): string {
  return raw.replace(/\r/g, "").replace(/\n+$/, "");
}

/** Sends a checked line over one fresh connection; never throws. */
export async function sendCliLine(target: Target, line: string, timeoutMs: number): Promise<CliOutcome> {
  const t0 = performance.now();
  try {
    // A `wait <delay>` holds the reply that long: the timeout starts counting after it.
    const raw = await sendRaw(target, line.trim(), { timeoutMs: timeoutMs + waitDurationMs(line) });
    const reply = trimReply(raw);
    return { kind: "answered", status: classifyReply(reply), reply, durationMs: performance.now() - t0 };
  } catch (e) {
    return { kind: "failed", error: formatError(e), cause: e, durationMs: performance.now() - t0 };
  }
}

/** One line for the status line and the timeline: what came back. */
export function outcomeSummary(line: string, o: CliOutcome): string {
  if (o.kind === "refused") return o.check.message;
  if (o.kind === "failed") return `: ${line} failed: ${o.error}`;
  if (o.status === "denied") return `: ${line}: Permission denied (the socket's level is too low)`;
  if (o.status === "unknown") return `: ${line}: HAProxy does not know this command`;
  const first = o.reply.split("\n", 1)[0] ?? "";
  const more = o.reply.includes("\n") ? ` (+${o.reply.split("\n").length - 1} lines)` : "";
  return `: ${line} → ${first === "" ? "(empty reply: done)" : first}${more}`;
}

/** The most of a reply kept on the timeline (and in the `--log` file): events stay small. */
export const MAX_TIMELINE_REPLY = 64 * 1024;

/** A reply as the timeline keeps it: whole, or its start and how much was left out. */
export function timelineReply(reply: string): string {
  if (reply.length <= MAX_TIMELINE_REPLY) return reply;
  const cut = reply.slice(0, MAX_TIMELINE_REPLY);
  return `${cut.slice(0, cut.lastIndexOf("\n") + 1)}… (${reply.length - cut.length}+ more characters not kept)`;
}

/** `show table` / `show map` / `show acl` names for completion (untrusted: only shown escaped). */
export function parseObjectNames(table: string, map: string, acl: string): ObjectNames {
  const tables = [...table.matchAll(/^# table: ([^\s,]+),/gm)].map((m) => m[1]!);
  const files = (text: string) =>
    [...text.matchAll(/^(\d+) \((.*?)\)/gm)].flatMap((m) => [`#${m[1]}`, ...(m[2] ? [m[2]] : [])]);
  return { tables, maps: files(map), acls: files(acl) };
}

/**
 * The prompt's session. `target` may be a getter: the prompt then talks to the process the UI shows
 * (a worker watched through the master CLI, view 9), asked at each command.
 */
export function createCliSession(target: Target | (() => Target), opts: CliSessionOptions): CliSession {
  const current = typeof target === "function" ? target : () => target;
  let commands: string[][] = [];
  let commandsAsked = false;
  let objects: ObjectNames = { tables: [], maps: [], acls: [] };
  const check = (line: string, version = opts.version?.() ?? null) =>
    checkCliLine(line, { level: opts.level(), readOnly: opts.readOnly, version });
  return {
    readOnly: opts.readOnly,
    history: opts.history,
    check,
    commands: () => commands,
    objects: () => objects,
    prepare: () => {
      if (!commandsAsked) {
        commandsAsked = true;
        sendRaw(current(), "help", { timeoutMs: opts.timeoutMs })
          .then((reply) => {
            commands = parseHelpCommands(reply);
          })
          .catch(() => {
            commandsAsked = false; // asked again at the next opening
          });
      }
      request(current(), ["show table", "show map", "show acl"], { timeoutMs: opts.timeoutMs })
        .then(([t = "", m = "", a = ""]) => {
          objects = parseObjectNames(t, m, a);
        })
        .catch(() => undefined);
    },
    send: async (line) => {
      let checked = check(line);
      // A command that kills some release's process: the version is asked right before (a reload
      // may have changed it), whatever the snapshot says.
      const to = current();
      if (checked.ok && mayCrash(line)) {
        const version = await runCommand(to, "show version", { timeoutMs: opts.timeoutMs })
          .then((v) => v.trim() || null)
          .catch(() => null);
        checked = check(line, version);
      }
      if (!checked.ok) return { kind: "refused", check: checked };
      const at = Date.now();
      const o = await sendCliLine(to, line, opts.timeoutMs);
      opts.addEvent?.({
        at,
        kind: "action",
        text: outcomeSummary(line.trim(), o) + (to.kind === "worker" ? ` (worker ${to.pid})` : ""),
        command: line.trim(),
        reply: o.kind === "answered" ? timelineReply(o.reply) : o.kind === "failed" ? o.error : "",
        ok: o.kind === "answered" && o.status === "ok",
        durationMs: o.kind === "refused" ? undefined : o.durationMs,
      });
      return o;
    },
  };
}
