import { CommandError, formatError } from "../client/errors.js";
import { checkReply, type RequestOptions, request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import { buildSnapshotSliced, type Snapshot } from "../model/snapshot.js";
import { type ErrorsReport, parseErrorsSliced } from "../parse/errors.js";
import { parseInfo } from "../parse/info.js";
import { type CliLevel, parseCliLevel } from "../parse/level.js";
import { parseServersStateSliced, type ServersState } from "../parse/servers-state.js";
import { parseSessSliced, type Session } from "../parse/sess.js";
import { DEFAULT_MAX_ROWS, parseStatReplySliced, type StatRow } from "../parse/stat.js";
import type { ExtraQuery } from "./extras.js";

/**
 * Which `show stat` rows to ask for: all, or frontends+backends plus the servers of some backends.
 * Backends are named by their numeric id (`iid`), never by name: `show stat <name>` resolves a
 * name shared by a frontend and a backend to the frontend (no servers), and a name is text from
 * HAProxy that must never become part of a command.
 */
export interface StatScope {
  /** `iid`s of the backends whose servers are fetched; undefined = every server (one full `show stat`). */
  serversOf?: number[];
}

/** A proxy id HAProxy can have: a positive integer (anything else is left out of a command). */
export function isProxyId(iid: unknown): iid is number {
  return typeof iid === "number" && Number.isSafeInteger(iid) && iid > 0;
}

/**
 * The `show stat` commands for a scope: `-1 3 -1` is frontends+backends only (cheap at 50k
 * servers), `+<iid> 4 -1` the servers of one proxy. Every argument is a number. The `+` matters:
 * HAProxy first looks the argument up as a proxy *name* and only then reads it as an id (atoi), and
 * `backend 7` is a valid name, so `show stat 7 4 -1` may dump another proxy than id 7. No name can
 * hold a `+`, and an id that no longer exists gives an empty dump rather than an error.
 */
export function statCommands(scope: StatScope | undefined): string[] {
  if (!scope?.serversOf) return ["show stat"];
  const ids = [...new Set(scope.serversOf.filter(isProxyId))];
  return ["show stat -1 3 -1", ...ids.map((iid) => `show stat +${iid} 4 -1`)];
}

/** What the screen needs fetched this poll: extra commands only while their view is open. */
export interface Demand {
  sessions: boolean;
  errors: boolean;
  scope?: StatScope;
  /**
   * Also read `show servers state` (exact admin and operational state of each server) on a full
   * poll: on by default, never on a scoped poll (it cannot be asked by backend id).
   */
  serversState?: boolean;
  /**
   * Parse only these `show stat` columns (the monitor's: src/model/columns.ts); undefined: every
   * column (batch mode). Fewer columns: smaller rows, far less garbage per poll.
   */
  columns?: ReadonlySet<string>;
}

/** How to poll: the request's limits, and the most `show stat` rows read per reply. */
export interface PollOptions extends RequestOptions {
  /** `--max-rows`: a `show stat` reply with more rows is refused with a message (default DEFAULT_MAX_ROWS). */
  maxRows?: number;
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

async function part<T>(parse: () => Promise<T>, what: string): Promise<Part<T>> {
  try {
    return { ok: true, value: await parse() };
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
 * `show servers state`, or undefined when it cannot be read (refused, unknown before 1.6): the
 * snapshot then takes each server's states from `show stat`'s status alone.
 */
async function optionalServersState(reply: string, maxRows: number): Promise<ServersState | undefined> {
  try {
    return await parseServersStateSliced(checkReply("show servers state", reply), maxRows);
  } catch {
    return undefined;
  }
}

/**
 * One poll over one fresh connection: `show info`, `show stat` (scoped), `show servers state` on a
 * full poll, and `show sess` / `show errors` when asked for. `show errors` goes last: its output may
 * hold empty lines. Parsing runs in slices (src/parse/slices.ts): the event loop keeps turning.
 * Unreadable `show stat` rows are skipped and counted (`snapshot.statRowsSkipped`); only a reply
 * without a usable header, or with more than `maxRows` rows, fails the poll.
 */
export async function pollOnce(
  target: Target,
  demand: Demand,
  withLevel: boolean,
  opts: PollOptions = {},
): Promise<PollResult> {
  const { maxRows = DEFAULT_MAX_ROWS, ...requestOpts } = opts;
  const stat = statCommands(demand.scope);
  const withServersState = demand.scope?.serversOf === undefined && demand.serversState !== false;
  const commands = [
    ...(withLevel ? ["show cli level"] : []),
    "show info",
    ...stat,
    ...(withServersState ? ["show servers state"] : []),
    ...(demand.sessions ? ["show sess"] : []),
    ...(demand.errors ? ["show errors"] : []),
  ];
  const replies = await request(target, commands, requestOpts);
  const takenAt = Date.now();
  let i = 0;
  const next = () => replies[i++] ?? "";
  const level = withLevel ? optionalLevel(next()) : null;
  const info = parseInfo(checkReply("show info", next(), "Name:"));
  let rows: StatRow[] = [];
  let skipped = 0;
  for (const cmd of stat) {
    const reply = await parseStatReplySliced(checkReply(cmd, next(), "# "), {
      maxRows,
      command: cmd,
      columns: demand.columns,
    });
    rows = rows.length === 0 ? reply.rows : rows.concat(reply.rows);
    skipped += reply.skipped;
  }
  const serversState = withServersState ? await optionalServersState(next(), maxRows) : undefined;
  const snapshot = await buildSnapshotSliced(info, rows, takenAt, level, {
    statRowsSkipped: skipped,
    serversState: serversState?.rows,
  });
  const result: PollResult = { snapshot, level };
  if (demand.sessions) {
    const out = next();
    result.sessions = await part(() => parseSessSliced(checkReply("show sess", out)), "show sess");
  }
  if (demand.errors) {
    const out = next();
    result.errors = await part(
      () => parseErrorsSliced(checkReply("show errors", out, "Total events")),
      "show errors",
    );
  }
  return result;
}

/**
 * One extra query (src/store/extras.ts) over its own fresh connection: its replies checked and
 * parsed. A refusal or an unknown command becomes the query's error in plain words, never a throw.
 */
export async function fetchExtra(
  target: Target,
  query: ExtraQuery,
  opts: RequestOptions = {},
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  try {
    const replies = await request(target, query.commands, opts);
    return { ok: true, value: await query.parse(replies) };
  } catch (e) {
    return { ok: false, error: partError(e, query.commands[0] ?? query.key) };
  }
}

/**
 * One snapshot for batch mode (`--once`): `show cli level`, `show info`, `show stat` and
 * `show servers state` in one request.
 */
export async function fetchSnapshot(target: Target, opts: PollOptions = {}): Promise<Snapshot> {
  return (await pollOnce(target, { sessions: false, errors: false }, true, opts)).snapshot;
}
