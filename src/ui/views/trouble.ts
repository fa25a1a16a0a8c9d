import type { Column, SortState } from "../table/types.js";

/** The id of the default sort of the frontends and backends views: trouble on top. */
export const TROUBLE_ID = "trouble";

/** The default sort: the most troubled rows first. */
export const TROUBLE_SORT: SortState = { columnId: TROUBLE_ID, descending: true };

/**
 * How bad a status word is, for the trouble sort: 2 for a proxy or server that does not serve
 * (DOWN, STOP, a frontend FULL at its maxconn, a MAINT forced by a DNS failure), 1 for the states
 * in between (UP 1/3 going down, DOWN 1/2 coming up, NOLB), 0 otherwise. A server put in MAINT or
 * DRAIN on purpose is not trouble.
 */
export function statusRank(status: string): number {
  // The common case first, without a regex: this runs for every row of a 50k-server tree.
  if (status === "UP" || status === "OPEN" || status === "no check") return 0;
  const s = status.trim();
  if (/^MAINT \(resolution\)/.test(s)) return 2;
  if (/^(DOWN|STOP|FULL)$/.test(s) || /^DOWN \(agent\)/.test(s)) return 2;
  if (/^(UP|DOWN|NOLB|DRAIN) \d+\/\d+$/.test(s) || s === "NOLB") return 1;
  return 0;
}

/** What one row's trouble is made of, worst first in each slot. */
export interface Trouble {
  status: string;
  /** Some of its servers are DOWN while the proxy itself is UP: ranks as an in-between state. */
  degraded?: boolean;
  http5xxPerSec: number | null;
  errPerSec: number | null;
  queue: number | null;
  /** How full the sessions gauge is (scur / slim). */
  fill: number | null;
}

/** The sort key: status, then 5xx per second, then errors per second, then queue, then gauge fill. */
export function troubleKey(t: Trouble): readonly number[] {
  const rank = Math.max(statusRank(t.status), t.degraded ? 1 : 0);
  return [rank, t.http5xxPerSec ?? 0, t.errPerSec ?? 0, t.queue ?? 0, t.fill ?? 0];
}

/**
 * A column that is never shown, only sorted on: the default sort of a view, reachable again
 * from the column picker ("trouble first").
 */
export function troubleColumn<R>(trouble: (row: R) => Trouble): Column<R> {
  return {
    id: TROUBLE_ID,
    title: "trouble",
    width: 0,
    priority: Number.MAX_SAFE_INTEGER,
    cell: () => ({ text: "" }),
    sortValue: (row) => troubleKey(trouble(row)),
    descendingFirst: true,
  };
}
