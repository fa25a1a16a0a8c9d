import { entriesByKey, num, type Snapshot } from "./snapshot.js";

/** Per-second rates of one proxy or server, from counter deltas. Null: no baseline yet. */
export interface Rates {
  binPerSec: number | null;
  boutPerSec: number | null;
  sessPerSec: number | null;
  reqPerSec: number | null;
}

export const NO_RATES: Rates = { binPerSec: null, boutPerSec: null, sessPerSec: null, reqPerSec: null };

const COUNTERS = { binPerSec: "bin", boutPerSec: "bout", sessPerSec: "stot", reqPerSec: "req_tot" } as const;

/**
 * Rates for every entry of `cur` from the deltas since `prev`. A new pid (reload) or a counter
 * that went backwards (clear counters all) resets that baseline: the rate is null, never negative.
 */
export function computeRates(prev: Snapshot | null, cur: Snapshot): Map<string, Rates> {
  const out = new Map<string, Rates>();
  const dt = prev ? (cur.takenAt - prev.takenAt) / 1000 : 0;
  const samePid = prev !== null && num(prev.info, "Pid") === num(cur.info, "Pid");
  const before = prev && samePid && dt > 0 ? entriesByKey(prev) : null;
  for (const [key, entry] of entriesByKey(cur)) {
    const old = before?.get(key);
    const r: Rates = { ...NO_RATES };
    if (old) {
      for (const [rate, field] of Object.entries(COUNTERS) as [keyof Rates, string][]) {
        r[rate] = perSecond(num(old.stats, field), num(entry.stats, field), dt);
      }
    }
    out.set(key, r);
  }
  return out;
}

/** (b - a) / dt, or null when either is missing, the counter went backwards, or no time passed. */
export function perSecond(a: number | null, b: number | null, dt: number): number | null {
  if (a === null || b === null || dt <= 0 || b < a) return null;
  return (b - a) / dt;
}

/** Process-wide rates from `show info` counters (CumConns, CumReq), same reset rules. */
export function computeGlobalRates(
  prev: Snapshot | null,
  cur: Snapshot,
): { connPerSec: number | null; reqPerSec: number | null } {
  if (!prev || num(prev.info, "Pid") !== num(cur.info, "Pid")) return { connPerSec: null, reqPerSec: null };
  const dt = (cur.takenAt - prev.takenAt) / 1000;
  return {
    connPerSec: perSecond(num(prev.info, "CumConns"), num(cur.info, "CumConns"), dt),
    reqPerSec: perSecond(num(prev.info, "CumReq"), num(cur.info, "CumReq"), dt),
  };
}
