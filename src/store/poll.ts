import { CommandError, formatError } from "../client/errors.js";
import { checkReply, escapeArg, type RequestOptions, request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import { buildSnapshot, type Snapshot } from "../model/snapshot.js";
import { type ErrorsReport, parseErrors } from "../parse/errors.js";
import { parseInfo } from "../parse/info.js";
import { type CliLevel, parseCliLevel } from "../parse/level.js";
import { parseSess, type Session } from "../parse/sess.js";
import { parseStat } from "../parse/stat.js";

/** Which `show stat` rows to ask for: all, or frontends+backends plus the servers of some backends. */
export interface StatScope {
  /** Backends whose servers are fetched; undefined = every server (one full `show stat`). */
  serversOf?: string[];
}

/** The `show stat` commands for a scope: `-1 3 -1` is frontends+backends only (cheap at 50k servers). */
export function statCommands(scope: StatScope | undefined): string[] {
  if (!scope?.serversOf) return ["show stat"];
  return ["show stat -1 3 -1", ...scope.serversOf.map((be) => `show stat ${escapeArg(be)} 4 -1`)];
}

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
 * The socket's level, or null when HAProxy does not know `show cli level` (before 2.0): then the
 * monitor works without greying out keys, and HAProxy itself refuses what the level forbids.
 */
export function optionalLevel(reply: string): CliLevel | null {
  try {
    return parseCliLevel(checkReply("show cli level", reply));
  } catch (e) {
    if (e instanceof CommandError && e.code === "unknown-command") return null;
    throw e;
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
  const level = withLevel ? optionalLevel(next()) : null;
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

/** One snapshot for batch mode (`--once`): `show cli level`, `show info` and `show stat` in one request. */
export async function fetchSnapshot(target: Target, opts: RequestOptions = {}): Promise<Snapshot> {
  return (await pollOnce(target, { sessions: false, errors: false }, true, opts)).snapshot;
}
