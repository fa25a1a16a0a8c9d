import { CommandError, formatError } from "../client/errors.js";
import { checkReply, type RequestOptions, request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import { buildSnapshot, type Snapshot } from "../model/snapshot.js";
import { type ErrorsReport, parseErrors } from "../parse/errors.js";
import { parseInfo } from "../parse/info.js";
import { type CliLevel, parseCliLevel } from "../parse/level.js";
import { parseSess, type Session } from "../parse/sess.js";
import { parseStat } from "../parse/stat.js";
import { type StatScope, statCommands } from "./fetchSnapshot.js";

/** What the screen needs fetched this poll: extra commands only while their view is open. */
export interface Demand {
  sessions: boolean;
  errors: boolean;
  scope?: StatScope;
}

/** A part of the poll that HAProxy refused (e.g. `show sess` on a user-level socket). */
export type Part<T> = { ok: true; value: T } | { ok: false; error: string };

export interface PollResult {
  snapshot: Snapshot;
  level: CliLevel | null;
  sessions?: Part<Session[]>;
  errors?: Part<ErrorsReport>;
}

/** Why an optional part failed, in words an operator can act on. */
function partError(e: unknown, what: string): string {
  if (e instanceof CommandError && e.code === "command-refused")
    return `${what} needs operator level (this socket refused it)`;
  return formatError(e);
}

function part<T>(parse: () => T, what: string): Part<T> {
  try {
    return { ok: true, value: parse() };
  } catch (e) {
    return { ok: false, error: partError(e, what) };
  }
}

/**
 * One poll over one fresh connection: `show info`, `show stat` (scoped), and `show sess` /
 * `show errors` when asked for. `show errors` goes last: its output may hold empty lines.
 */
export async function pollOnce(
  target: Target,
  demand: Demand,
  withLevel: boolean,
  opts: RequestOptions = {},
): Promise<PollResult> {
  const stat = statCommands(demand.scope);
  const commands = [
    ...(withLevel ? ["show cli level"] : []),
    "show info",
    ...stat,
    ...(demand.sessions ? ["show sess"] : []),
    ...(demand.errors ? ["show errors"] : []),
  ];
  const replies = await request(target, commands, opts);
  const takenAt = Date.now();
  let i = 0;
  const next = () => replies[i++] ?? "";
  const level = withLevel ? parseCliLevel(checkReply("show cli level", next())) : null;
  const info = parseInfo(checkReply("show info", next(), "Name:"));
  const rows = stat.flatMap((cmd) => parseStat(checkReply(cmd, next(), "# ")));
  const result: PollResult = { snapshot: buildSnapshot(info, rows, takenAt, level), level };
  if (demand.sessions) {
    const out = next();
    result.sessions = part(() => parseSess(checkReply("show sess", out)), "show sess");
  }
  if (demand.errors) {
    const out = next();
    result.errors = part(() => parseErrors(checkReply("show errors", out, "Total events")), "show errors");
  }
  return result;
}
