import { entriesByKey, num, type ProxyEntry, type Snapshot } from "./snapshot.js";

/**
 * Per-second rates of one proxy or server, from counter deltas between two polls. Null: no
 * baseline yet (first poll, new pid, a counter that went backwards, or a field this row lacks).
 */
export interface Rates {
  binPerSec: number | null;
  boutPerSec: number | null;
  sessPerSec: number | null;
  reqPerSec: number | null;
  /** HTTP responses by class, per second (`hrsp_4xx`, `hrsp_5xx`). */
  http4xxPerSec: number | null;
  http5xxPerSec: number | null;
  /** Request errors (frontends), connection errors and response errors (backends, servers). */
  ereqPerSec: number | null;
  econPerSec: number | null;
  erespPerSec: number | null;
  /** Denied requests and responses (ACLs, `http-request deny`). */
  dreqPerSec: number | null;
  drespPerSec: number | null;
  /** Connection retries and redispatches to another server. */
  wretrPerSec: number | null;
  wredisPerSec: number | null;
  /** How fast the queue grows (qcur is a gauge): > 0 means requests wait longer and longer. */
  queueGrowthPerSec: number | null;
}

export type RateName = keyof Rates;

/** Counter behind each rate (HAProxy's `show stat` names). */
export const RATE_COUNTERS: Record<Exclude<RateName, "queueGrowthPerSec">, string> = {
  binPerSec: "bin",
  boutPerSec: "bout",
  sessPerSec: "stot",
  reqPerSec: "req_tot",
  http4xxPerSec: "hrsp_4xx",
  http5xxPerSec: "hrsp_5xx",
  ereqPerSec: "ereq",
  econPerSec: "econ",
  erespPerSec: "eresp",
  dreqPerSec: "dreq",
  drespPerSec: "dresp",
  wretrPerSec: "wretr",
  wredisPerSec: "wredis",
};

export const NO_RATES: Rates = {
  binPerSec: null,
  boutPerSec: null,
  sessPerSec: null,
  reqPerSec: null,
  http4xxPerSec: null,
  http5xxPerSec: null,
  ereqPerSec: null,
  econPerSec: null,
  erespPerSec: null,
  dreqPerSec: null,
  drespPerSec: null,
  wretrPerSec: null,
  wredisPerSec: null,
  queueGrowthPerSec: null,
};

const COUNTER_ENTRIES = Object.entries(RATE_COUNTERS) as [RateName, string][];

/**
 * Rates that are all 0 or null, one frozen object per pattern of nulls (a server has no ereq, a
 * TCP proxy no hrsp_5xx…): most entries are idle in any one second, and sharing their rates saves
 * ~200 bytes an entry and poll (10 MiB at 50k servers). At most 2^14 patterns, a handful in practice.
 */
const IDLE_RATES = new Map<number, Rates>();

function idleRates(r: Rates, nullMask: number): Rates {
  let shared = IDLE_RATES.get(nullMask);
  if (!shared) {
    shared = Object.freeze({ ...r });
    IDLE_RATES.set(nullMask, shared);
  }
  return shared;
}

/** The rates of one entry between two samples `dt` seconds apart (shared and frozen when idle). */
export function entryRates(old: ProxyEntry, cur: ProxyEntry, dt: number): Rates {
  const r: Rates = { ...NO_RATES };
  let nullMask = 0;
  let idle = true;
  let bit = 1;
  for (const [rate, field] of COUNTER_ENTRIES) {
    const v = perSecond(num(old.stats, field), num(cur.stats, field), dt);
    r[rate] = v;
    if (v === null) nullMask |= bit;
    else if (v !== 0) idle = false;
    bit <<= 1;
  }
  // A gauge, not a counter: its change may be negative (the queue drains).
  const q0 = num(old.stats, "qcur");
  const q1 = num(cur.stats, "qcur");
  const q = q0 !== null && q1 !== null && dt > 0 ? (q1 - q0) / dt : null;
  r.queueGrowthPerSec = q;
  if (q === null) nullMask |= bit;
  else if (q !== 0) idle = false;
  return idle ? idleRates(r, nullMask) : r;
}

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
    out.set(key, old ? entryRates(old, entry, dt) : NO_RATES);
  }
  return out;
}

/** (b - a) / dt, or null when either is missing, the counter went backwards, or no time passed. */
export function perSecond(a: number | null, b: number | null, dt: number): number | null {
  if (a === null || b === null || dt <= 0 || b < a) return null;
  return (b - a) / dt;
}

/** `part` as a percentage of `whole` (both per second); null without requests to divide by. */
export function percentOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || !(whole > 0)) return null;
  return (part / whole) * 100;
}

/** Sum of the rates present; null when none is (a TCP proxy has no 5xx: "-" rather than 0). */
export function sumRates(...values: (number | null)[]): number | null {
  let total: number | null = null;
  for (const v of values) if (v !== null) total = (total ?? 0) + v;
  return total;
}

/** Errors per second of one row: request errors + connection errors + response errors. */
export function errorRate(r: Rates): number | null {
  return sumRates(r.ereqPerSec, r.econPerSec, r.erespPerSec);
}

/** Denials per second (requests + responses). */
export function denialRate(r: Rates): number | null {
  return sumRates(r.dreqPerSec, r.drespPerSec);
}

/** Retries + redispatches per second. */
export function retryRate(r: Rates): number | null {
  return sumRates(r.wretrPerSec, r.wredisPerSec);
}

/** Process-wide rates for the header. */
export interface GlobalRates {
  /**
   * HAProxy's own rates over its last second: ConnRate and SessRate of `show info`, and the sum of
   * the frontends' `req_rate` (`show info` has no request rate). haptop's own CLI connections are
   * not in them, unlike deltas of CumConns.
   */
  connPerSec: number | null;
  sessPerSec: number | null;
  reqPerSec: number | null;
  /** 5xx responses per second, summed over every frontend (what clients received). */
  http5xxPerSec: number | null;
  /** 5xx as a percentage of the frontends' HTTP requests over the same interval. */
  http5xxPct: number | null;
  /** Frontend request errors + backend connection and response errors, per second. */
  errPerSec: number | null;
}

/** A field of `show info`, or null when this release lacks it. */
const info = (s: Snapshot, field: string) => num(s.info, field);

/**
 * The header's rates. Connection, session and request rates are HAProxy's own (`ConnRate`,
 * `SessRate`, the frontends' `req_rate`, over its last second): deltas of `CumConns` would count
 * haptop's own CLI connection of every poll. Only when a release lacks a field is a delta used.
 * 5xx and errors come from the frontends' and backends' counter deltas, with the same reset rules.
 */
export function computeGlobalRates(prev: Snapshot | null, cur: Snapshot): GlobalRates {
  const samePid = prev !== null && info(prev, "Pid") === info(cur, "Pid");
  const dt = prev && samePid ? (cur.takenAt - prev.takenAt) / 1000 : 0;
  const delta = (field: string) =>
    prev && samePid ? perSecond(info(prev, field), info(cur, field), dt) : null;
  const sum = (s: Snapshot, pick: (s: Snapshot) => ProxyEntry[], fields: string[]) => {
    let total: number | null = null;
    for (const e of pick(s))
      for (const f of fields) {
        const v = num(e.stats, f);
        if (v !== null) total = (total ?? 0) + v;
      }
    return total;
  };
  const across = (pick: (s: Snapshot) => ProxyEntry[], fields: string[]) =>
    prev && samePid ? perSecond(sum(prev, pick, fields), sum(cur, pick, fields), dt) : null;
  const fe = (s: Snapshot) => s.frontends;
  const be = (s: Snapshot) => s.backends;
  const http5xxPerSec = across(fe, ["hrsp_5xx"]);
  const feErr = across(fe, ["ereq"]);
  const beErr = across(be, ["econ", "eresp"]);
  return {
    connPerSec: info(cur, "ConnRate") ?? delta("CumConns"),
    sessPerSec: info(cur, "SessRate"),
    reqPerSec: sum(cur, fe, ["req_rate"]) ?? delta("CumReq"),
    http5xxPerSec,
    http5xxPct: percentOf(http5xxPerSec, across(fe, ["req_tot"])),
    errPerSec: sumRates(feErr, beErr),
  };
}
