import { ReplyError } from "../client/errors.js";
import { splitLines } from "./values.js";

/**
 * One counter of `show activity`: its total and its value on each thread.
 *
 * Every release of the matrix (2.6 to 3.2) prints one line per counter, `name: total [ t1 t2 … ]`,
 * the per-thread values in brackets; with one thread only the value is printed (`loops: 11`, no
 * total, no brackets), which is read here as a total and one thread. The counters differ between
 * releases (2.8 adds `uptime_now`, `avg_cpu_pct`; 3.0 `curr_rq`, `check_*`): they are read by name,
 * whatever the set.
 */
export interface ActivityCounter {
  name: string;
  /** What HAProxy printed as the aggregate (a sum, or an average for `avg_*`); null if not a number. */
  total: number | null;
  /** One value per thread, thread 1 first (empty when HAProxy printed only a total). */
  perThread: number[];
}

export interface ActivityReport {
  /** The thread that answered and the thread count, from `thread_id: 1 (1..2)`; null when absent. */
  threadId: number | null;
  threads: number | null;
  /** Non-counter lines kept as text (`date_now`, `uptime_now`). */
  facts: Record<string, string>;
  counters: ActivityCounter[];
}

/** Most lines read (3.2 prints ~35 lines): a longer reply is read no further, so its cost is bounded. */
export const MAX_ACTIVITY_LINES = 512;
/** Most per-thread values kept per counter (HAProxy's MAX_THREADS is 64, 4096 with thread groups). */
export const MAX_ACTIVITY_THREADS = 4096;

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * Parses a `show activity` reply. Lines it does not understand are skipped; a reply with no counter
 * at all (an error text, a refusal) is a ReplyError.
 */
export function parseActivity(text: string): ActivityReport {
  const report: ActivityReport = { threadId: null, threads: null, facts: {}, counters: [] };
  const lines = splitLines(text);
  for (const raw of lines.slice(0, MAX_ACTIVITY_LINES)) {
    const line = raw.trim();
    if (line === "") continue;
    const sep = line.indexOf(":");
    if (sep <= 0) continue;
    const name = line.slice(0, sep).trim();
    const rest = line.slice(sep + 1).trim();
    if (!/^[A-Za-z0-9_.]+$/.test(name) || name === "__proto__") continue;
    if (name === "thread_id") {
      const m = /^(\d+)\s*\((\d+)\.\.(\d+)\)/.exec(rest);
      if (m) {
        report.threadId = Number(m[1]);
        report.threads = Number(m[3]) - Number(m[2]) + 1;
      }
      continue;
    }
    const counter = readCounter(name, rest);
    if (counter) report.counters.push(counter);
    else report.facts[name] = rest;
  }
  if (report.counters.length === 0) {
    const first = lines.find((l) => l.trim() !== "") ?? "";
    throw new ReplyError(
      `show activity: no counter in the reply (it begins ${JSON.stringify(first.slice(0, 60))})`,
    );
  }
  return report;
}

/** `123 [ 60 63 ]`, `123` (one thread) → a counter; `1796005681.555727` (a date) → null (a fact). */
function readCounter(name: string, rest: string): ActivityCounter | null {
  const open = rest.indexOf("[");
  const head = (open < 0 ? rest : rest.slice(0, open)).trim();
  // date_now / uptime_now are seconds with a fraction: facts, not counters.
  if (!/^-?\d+$/.test(head) && !(head === "" && open >= 0)) return null;
  const total = head === "" ? null : Number(head);
  if (open < 0) return { name, total, perThread: total === null ? [] : [total] };
  const close = rest.indexOf("]", open);
  const inner = rest.slice(open + 1, close < 0 ? undefined : close).trim();
  const perThread: number[] = [];
  for (const v of inner === "" ? [] : inner.split(/\s+/)) {
    if (perThread.length >= MAX_ACTIVITY_THREADS) break;
    // HAProxy prints unsigned integers only; anything else is not a thread's value.
    if (NUMBER.test(v)) perThread.push(Number(v));
  }
  return { name, total, perThread };
}

/** The counter named `name`, or null when this release does not print it. */
export function activityCounter(report: ActivityReport, name: string): ActivityCounter | null {
  return report.counters.find((c) => c.name === name) ?? null;
}
