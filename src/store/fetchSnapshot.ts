import { checkReply, type RequestOptions, request } from "../client/socket.js";
import type { Target } from "../client/target.js";
import { buildSnapshot, type Snapshot } from "../model/snapshot.js";
import { parseInfo } from "../parse/info.js";
import { type CliLevel, parseCliLevel } from "../parse/level.js";
import { parseStat } from "../parse/stat.js";

/** Which `show stat` rows to ask for: all, or frontends+backends plus the servers of some backends. */
export interface StatScope {
  /** Backends whose servers are fetched; undefined = every server (one full `show stat`). */
  serversOf?: string[];
}

export interface FetchOptions extends RequestOptions {
  scope?: StatScope;
  /** Also ask `show cli level` in the same request. */
  withLevel?: boolean;
}

/** The `show stat` commands for a scope: `-1 3 -1` is frontends+backends only (cheap at 50k servers). */
export function statCommands(scope: StatScope | undefined): string[] {
  if (!scope?.serversOf) return ["show stat"];
  return ["show stat -1 3 -1", ...scope.serversOf.map((be) => `show stat ${be} 4 -1`)];
}

/** One poll: `show info` and `show stat` in one request over a fresh connection. */
export async function fetchSnapshot(target: Target, opts: FetchOptions = {}): Promise<Snapshot> {
  const stat = statCommands(opts.scope);
  const commands = [...(opts.withLevel ? ["show cli level"] : []), "show info", ...stat];
  const replies = await request(target, commands, opts);
  const takenAt = Date.now();
  let i = 0;
  let level: CliLevel | null = null;
  if (opts.withLevel) level = parseCliLevel(checkReply("show cli level", replies[i++] ?? ""));
  const info = parseInfo(checkReply("show info", replies[i++] ?? "", "Name:"));
  const rows = stat.flatMap((cmd) => parseStat(checkReply(cmd, replies[i++] ?? "", "# ")));
  return buildSnapshot(info, rows, takenAt, level);
}
