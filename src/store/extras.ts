/**
 * Commands a view needs beyond the poll (stick tables, maps, certificates, the process), fetched
 * with each poll while that view is open, over their own fresh connection (one per query): a
 * failing or slow query never fails the poll, and a reply holding empty lines cannot confuse the
 * poll's split. The view builds the query (its commands from src/actions/commands.ts builders or
 * fixed text, never raw names from HAProxy), the poller runs it and keeps the result by `key`.
 */
export interface ExtraQuery<T = unknown> {
  /** Stable name of what is fetched ("tables", "table-entries:<t>:<filter>"): the result's key. */
  key: string;
  /** The exact commands, sent in one request (only the last reply may hold empty lines). */
  commands: string[];
  /** Reads the replies (one per command, in order); throws (CommandError…) to report a failure. */
  parse: (replies: string[]) => T | Promise<T>;
  /**
   * Refetch at most this often (ms): a certificate list needs no 1 s refresh. Default: every poll.
   */
  everyMs?: number;
  /**
   * Where it is sent: the monitored process (default), or the master CLI of a master-worker HAProxy
   * (`show proc`), which keeps answering whichever worker the UI watches.
   */
  to?: "master";
}

/** The last answer to a query: its value, or why it failed (the previous value is kept). */
export interface ExtraResult<T = unknown> {
  value: T | null;
  error: string | null;
  /** When it was last fetched (ms epoch), whatever the outcome. */
  at: number;
}

/** The most query results kept: the oldest are dropped (a user browsing many tables). */
export const MAX_EXTRAS = 32;

/**
 * The result of a query, typed by the query that made it: the value is whatever its `parse`
 * returned (the key is unique to one query shape, which is what makes this cast sound).
 */
export function readExtra<T>(
  extras: Readonly<Record<string, ExtraResult>>,
  query: Pick<ExtraQuery<T>, "key">,
): ExtraResult<T> | null {
  return (extras[query.key] as ExtraResult<T> | undefined) ?? null;
}

/** The extras with one result stored: the previous value kept on a failure; at most MAX_EXTRAS. */
export function storeExtra(
  extras: Readonly<Record<string, ExtraResult>>,
  key: string,
  outcome: { ok: true; value: unknown } | { ok: false; error: string },
  at: number,
): Record<string, ExtraResult> {
  const prev = extras[key];
  const next: Record<string, ExtraResult> = { ...extras };
  delete next[key];
  next[key] = outcome.ok
    ? { value: outcome.value, error: null, at }
    : { value: prev?.value ?? null, error: outcome.error, at };
  const keys = Object.keys(next);
  // Insertion order is recency order (the key was deleted and re-added): drop from the front.
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_EXTRAS))) delete next[k];
  return next;
}

/** Whether a query is due: never fetched, or its `everyMs` has passed. */
export function extraDue(extras: Readonly<Record<string, ExtraResult>>, q: ExtraQuery, now: number): boolean {
  const r = extras[q.key];
  return !r || q.everyMs === undefined || now - r.at >= q.everyMs;
}
