import { NO_RATES, type Rates } from "../../model/rates.js";
import type { ServerEntry, Snapshot } from "../../model/snapshot.js";
import { LayeredRates } from "../../store/apply.js";
import type { MonitorState } from "../../store/state.js";
import type { Column } from "../table/types.js";
import type { BackendRow } from "./backendCells.js";

import { MATCH_ALL, type NameFilter } from "./filter.js";
import { type RowSort, sortRows } from "./sort.js";

export {
  BACKEND_GAUGE_WIDTH,
  type BackendRow,
  backendDetail,
  backendTroubleColumn,
  checkCell,
} from "./backendCells.js";
export {
  BACKEND_COLUMN_SET_ORDER,
  BACKEND_COLUMN_SET_TITLES,
  type BackendColumnSetId,
  backendColumnSets,
  nextBackendColumnSet,
} from "./backendColumns.js";

export interface BackendRowsOptions {
  /** Keys (`be/<name>`) of the backends whose servers are shown. */
  expanded: ReadonlySet<string>;
  filter?: NameFilter;
  sort?: RowSort<BackendRow>;
}

/**
 * The rows of the backends view. Backends are sorted among themselves and servers within their
 * backend. A backend whose name passes the filter shows as the operator left it (expanded or not,
 * with all its servers); otherwise it shows only when some of its servers pass, expanded, with only
 * those servers.
 */
export function buildBackendRows(state: MonitorState, options: BackendRowsOptions): BackendRow[] {
  const snapshot = state.snapshot;
  if (!snapshot) return [];
  const filter = options.filter ?? MATCH_ALL;
  const column = options.sort?.column;
  const descending = options.sort?.descending ?? false;
  const rates = state.rates;

  const groups: { row: BackendRow & { kind: "backend" }; servers: ServerEntry[] }[] = [];
  for (const entry of snapshot.backends) {
    let servers: ServerEntry[];
    let expanded: boolean;
    if (filter.match(entry.name)) {
      expanded = options.expanded.has(entry.key);
      servers = expanded ? entry.servers : [];
    } else {
      servers = entry.servers.filter((s) => filter.match(s.name));
      if (servers.length === 0) continue;
      expanded = true;
    }
    const row = {
      kind: "backend",
      key: entry.key,
      entry,
      rates: rates.get(entry.key) ?? NO_RATES,
      expanded,
      depth: 0,
    } as const;
    groups.push({ row, servers });
  }

  const sortedBackends = column ? sortRows(groups, wrapColumn(column), descending) : groups;
  const out: BackendRow[] = [];
  const root = ratesRoot(rates);
  for (const { row, servers } of sortedBackends) {
    out.push(row);
    if (servers.length === 0) continue;
    // A backend's whole server list (not a filtered one) that a scoped poll carried over is the
    // very array of the last build: its sorted rows are reused (at 50k servers rebuilding and
    // sorting every list after each poll blocked the event loop for 250-600 ms, profiled).
    const whole = servers === row.entry.servers;
    const cached = whole ? serverRowsCache.get(servers) : undefined;
    if (cached && cached.root === root && cached.column === column && cached.descending === descending) {
      for (const s of cached.rows) out.push(s);
      continue;
    }
    const serverRows: BackendRow[] = servers.map((entry) => ({
      kind: "server",
      key: entry.key,
      entry,
      backend: row.entry.name,
      rates: rates.get(entry.key) ?? NO_RATES,
      depth: 1,
    }));
    const sorted = column ? sortRows(serverRows, column, descending) : serverRows;
    if (whole) serverRowsCache.set(servers, { root, column, descending, rows: sorted });
    for (const s of sorted) out.push(s);
  }
  return out;
}

/** The sorted server rows of one backend's server list, with what they were built from. */
interface ServerRows {
  root: ReadonlyMap<string, Rates>;
  column: Column<BackendRow> | undefined;
  descending: boolean;
  rows: readonly BackendRow[];
}

/** Keyed on the server list itself: a list is never changed, a new poll makes a new one. */
const serverRowsCache = new WeakMap<readonly ServerEntry[], ServerRows>();

/**
 * The map that holds the rates of carried servers. A scoped poll's rates are a LayeredRates over
 * the last full poll's (src/store/apply.ts): a carried list's servers keep exactly the Rates
 * objects they had as long as that base is the same; a new base (a full poll, a reload) means
 * new rates, and a new list anyway except after a reload.
 */
function ratesRoot(rates: ReadonlyMap<string, Rates>): ReadonlyMap<string, Rates> {
  return rates instanceof LayeredRates ? rates.base : rates;
}

/** Sorts the backend groups by their backend row. */
function wrapColumn<G extends { row: BackendRow }>(column: Column<BackendRow>): Column<G> {
  const sortValue = column.sortValue;
  return {
    ...column,
    cell: (g) => column.cell(g.row),
    sortValue: sortValue ? (g) => sortValue(g.row) : undefined,
  };
}

/** Number of servers in every backend of the snapshot. */
export function allServersCount(snapshot: Snapshot | null): number {
  if (!snapshot) return 0;
  let n = 0;
  for (const b of snapshot.backends) n += b.servers.length;
  return n;
}

/** The keys of every backend, for "expand all". */
export function expandAll(snapshot: Snapshot | null): Set<string> {
  const keys = new Set<string>();
  if (!snapshot) return keys;
  for (const b of snapshot.backends) keys.add(b.key);
  return keys;
}
