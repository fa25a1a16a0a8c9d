import { parseStat, type StatRow, statTypeOf } from "../parse/stat.js";
import type { BuiltCommand } from "./commands.js";
import { healthAcceptedMessage } from "./healthCommands.js";
import { parseGetWeight } from "./names.js";
import { tableAcceptedMessage } from "./tableCommands.js";

/** How an accepted action reads in the status line, from what was read back after it. */

function tryParseStat(text: string | undefined): StatRow[] | null {
  if (!text?.startsWith("#")) return null;
  try {
    return parseStat(text);
  } catch {
    return null;
  }
}

const numOf = (row: StatRow, field: string): number =>
  typeof row[field] === "number" ? (row[field] as number) : 0;
const sum = (rows: StatRow[], field: string): number => rows.reduce((n, r) => n + numOf(r, field), 0);

/** The message for a built action whose commands were all accepted, from its read-back replies. */
export function acceptedMessage(built: BuiltCommand, before: string[], verify: string[]): string {
  const cmd = built.commands[0] ?? "";
  switch (built.action) {
    case "clear-counters":
    case "clear-counters-all":
      return clearedMessage(built.action === "clear-counters-all", cmd, before[0], verify[0]);
    case "set-server-state": {
      const m = /^set server (\S+)\/(\S+) state (\S+)$/.exec(cmd);
      const status = m ? serverStatus(verify[0], m[1]!, m[2]!) : null;
      return `${m?.[1]}/${m?.[2]} set to ${m?.[3]}${status ? ` (status now ${status})` : ""}`;
    }
    case "set-weight": {
      const m = /^set weight (\S+) (\S+)$/.exec(cmd);
      const now = parseGetWeight(verify[0] ?? "");
      return `${m?.[1]} weight now ${now ? `${now.current} (initial ${now.initial})` : m?.[2]}`;
    }
    case "shutdown-session":
      return `session ${cmd.split(" ").at(-1)} shut down`;
    case "shutdown-sessions-server":
      return `sessions on ${cmd.split(" ").at(-1)} shut down`;
    case "reload":
      return "reloaded";
    case "set-health-check":
    case "set-agent-check":
    case "set-maxconn-server":
      return healthAcceptedMessage(built, verify);
    case "clear-table-entry":
    case "set-table-entry":
      return tableAcceptedMessage(built, verify);
    // Map changes run (and are verified) in controllerMaps.ts, not through runBuilt.
    case "map-add-entry":
    case "map-del-entry":
    case "map-set-entry":
      return `${cmd}: accepted`;
  }
}

function clearedMessage(all: boolean, cmd: string, beforeDump?: string, afterDump?: string): string {
  const before = tryParseStat(beforeDump);
  const after = tryParseStat(afterDump);
  if (!before || !after) return `${cmd}: done (could not read show stat to verify)`;
  const proxies = after.filter((r) => statTypeOf(r) === 0 || statTypeOf(r) === 1);
  const totals = `stot ${sum(before, "stot")} → ${sum(after, "stot")}, req_tot ${sum(before, "req_tot")} → ${sum(after, "req_tot")}`;
  if (all) return `all counters cleared (${totals})`;
  const stillHigh = proxies.filter((r) => numOf(r, "smax") > numOf(r, "scur"));
  const maxes =
    stillHigh.length === 0
      ? `smax ≤ scur on all ${proxies.length} proxies`
      : `smax ≤ scur on ${proxies.length - stillHigh.length} of ${proxies.length} proxies (new sessions meanwhile on ${stillHigh
          .slice(0, 3)
          .map((r) => r.pxname)
          .join(", ")})`;
  return `max values cleared: ${maxes}; totals kept (${totals})`;
}

/** The `status` of server `be/srv` in a `show stat +<iid> 4 -1` dump, or null. */
function serverStatus(dump: string | undefined, be: string, srv: string): string | null {
  const rows = tryParseStat(dump);
  const row = rows?.find((r) => r.pxname === be && r.svname === srv && statTypeOf(r) === 2);
  return row ? String(row.status ?? "") : null;
}
