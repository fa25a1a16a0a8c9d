import { ReplyError } from "../client/errors.js";
import { splitLines } from "./values.js";

/** One memory pool of `show pools`. */
export interface PoolEntry {
  /** The pool's name as HAProxy prints it (untrusted text: shown escaped, never sent back). */
  name: string;
  /** Size of one item, bytes. */
  itemSize: number;
  /** Items allocated, and their bytes. */
  allocated: number;
  allocatedBytes: number;
  used: number;
  failures: number;
  /** Several pools of the same size share one allocator (`[SHARED]`, and `users` counts them). */
  users: number;
  shared: boolean;
}

/** The `Total:` line of `show pools`. */
export interface PoolTotals {
  pools: number;
  allocatedBytes: number;
  usedBytes: number;
  /** "(~N by thread caches)": bytes held in the threads' local caches; null when not printed. */
  cachedBytes: number | null;
}

export interface PoolsReport {
  /** The totals HAProxy printed; null when the line is missing (a reply cut short). */
  totals: PoolTotals | null;
  pools: PoolEntry[];
}

/** HAProxy dumps at most 1024 pools (POOLS_MAX_DUMPED_ENTRIES); anything beyond is not read. */
export const MAX_POOLS = 1024;

// "  - Pool buffer (16384 bytes) : 4 allocated (65536 bytes), 4 used (~2 by thread caches),
//  needed_avg 1, 0 failures, 1 users, @0x55818e1f8cc0 [SHARED]" — same shape from 2.6 to 3.2.
const POOL_LINE =
  /^\s*- Pool (\S+) \((\d+) bytes\) : (\d+) allocated \((\d+) bytes\), (\d+) used(?:[^,]*),(?:.*?(\d+) failures)?(?:.*?(\d+) users)?(.*)$/;
const TOTAL_LINE =
  /^Total:\s*(\d+) pools?, (\d+) bytes allocated, (\d+) used(?: \(~(\d+) by thread caches\))?/;

/**
 * Parses a `show pools` reply: each pool line and the `Total:` line. Lines of other shapes
 * (the "Dumping pools usage" banner, the `detailed` registrations) are skipped; a reply with
 * neither a pool nor a total (an error text) is a ReplyError.
 */
export function parsePools(text: string): PoolsReport {
  const report: PoolsReport = { totals: null, pools: [] };
  const lines = splitLines(text);
  for (const line of lines.slice(0, MAX_POOLS + 16)) {
    const t = TOTAL_LINE.exec(line);
    if (t) {
      report.totals = {
        pools: Number(t[1]),
        allocatedBytes: Number(t[2]),
        usedBytes: Number(t[3]),
        cachedBytes: t[4] === undefined ? null : Number(t[4]),
      };
      continue;
    }
    const m = POOL_LINE.exec(line);
    if (!m || report.pools.length >= MAX_POOLS) continue;
    report.pools.push({
      name: m[1]!,
      itemSize: Number(m[2]),
      allocated: Number(m[3]),
      allocatedBytes: Number(m[4]),
      used: Number(m[5]),
      failures: m[6] === undefined ? 0 : Number(m[6]),
      users: m[7] === undefined ? 1 : Number(m[7]),
      shared: /\[SHARED\]/.test(m[8] ?? ""),
    });
  }
  if (report.totals === null && report.pools.length === 0) {
    const first = lines.find((l) => l.trim() !== "") ?? "";
    throw new ReplyError(
      `show pools: no pool in the reply (it begins ${JSON.stringify(first.slice(0, 60))})`,
    );
  }
  return report;
}

/** The `n` pools holding the most bytes, biggest first (ties by name, so the order is stable). */
export function biggestPools(report: PoolsReport, n: number): PoolEntry[] {
  return [...report.pools]
    .sort((a, b) => b.allocatedBytes - a.allocatedBytes || a.name.localeCompare(b.name))
    .slice(0, Math.max(0, n));
}
