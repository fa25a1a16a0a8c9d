import { NO_RATES } from "../../model/rates.js";
import type { ServerEntry, Snapshot } from "../../model/snapshot.js";
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
  for (const { row, servers } of sortedBackends) {
    out.push(row);
    if (servers.length === 0) continue;
    const serverRows: BackendRow[] = servers.map((entry) => ({
      kind: "server",
      key: entry.key,
      entry,
      backend: row.entry.name,
      rates: rates.get(entry.key) ?? NO_RATES,
      depth: 1,
    }));
    for (const s of column ? sortRows(serverRows, column, descending) : serverRows) out.push(s);
  }
  return out;
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
