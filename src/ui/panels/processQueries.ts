import { ReplyError } from "../../client/errors.js";
import { checkReply } from "../../client/socket.js";
import { type ActivityReport, parseActivity } from "../../parse/activity.js";
import { type PoolsReport, parsePools } from "../../parse/pools.js";
import { type ProcReport, parseShowProc } from "../../parse/proc.js";
import type { ExtraQuery } from "../../store/extras.js";

/**
 * What the process view fetches while open, beside the poll's own `show info`: the threads'
 * activity (every poll: a few dozen lines), the memory pools (every 5 s: the dump walks every
 * pool under a lock on older releases) and, from the master CLI, its `show proc` (every 2 s).
 * The commands are fixed text: nothing from HAProxy goes into them.
 */
export const ACTIVITY_QUERY: ExtraQuery<ActivityReport> = {
  key: "process:activity",
  commands: ["show activity"],
  parse: ([reply = ""]) => parseActivity(checkReply("show activity", reply)),
};

export const POOLS_EVERY_MS = 5000;

export const POOLS_QUERY: ExtraQuery<PoolsReport> = {
  key: "process:pools",
  commands: ["show pools"],
  parse: ([reply = ""]) => parsePools(checkReply("show pools", reply)),
  everyMs: POOLS_EVERY_MS,
};

/**
 * The key's `master:` prefix keeps the answer across `Poller.retarget` (the master is the same
 * whichever worker is watched; the other answers belonged to the process watched before).
 */
export const MASTER_PROC_QUERY: ExtraQuery<ProcReport> = {
  key: "master:show-proc",
  commands: ["show proc"],
  to: "master",
  everyMs: 2000,
  parse: ([reply = ""]) => {
    const proc = parseShowProc(checkReply("show proc", reply));
    // A stats socket given as --master-socket answers something else (Unknown command, caught above).
    if (!proc.master) throw new ReplyError("the master CLI's show proc lists no master line");
    return proc;
  },
};

/** Every query of the view, in the order their sections are drawn. */
export const PROCESS_QUERIES: readonly ExtraQuery[] = [MASTER_PROC_QUERY, ACTIVITY_QUERY, POOLS_QUERY];
