import { compact } from "../../text/format.js";
import type { Column } from "../table/types.js";
import { PROCESS_QUERIES } from "./processQueries.js";
import { type ProcessRow, processRows } from "./processRows.js";
import type { Panel } from "./types.js";

export type { ProcessRow } from "./processRows.js";

/**
 * The process view's columns: name, value, and a detail (per-thread values, a readable size, a
 * worker's reloads and version). Section headers are rows: their title in the name column.
 */
export const processColumns: Column<ProcessRow>[] = [
  {
    id: "name",
    title: "Name",
    width: 22,
    priority: 0,
    grow: true,
    cell: (r) => ({
      text: r.kind === "section" ? `▸ ${r.name}` : `  ${r.name}`,
      tone: r.tone,
    }),
  },
  {
    id: "value",
    title: "Value",
    width: 16,
    align: "right",
    priority: 0,
    cell: (r) => ({ text: r.value, tone: r.kind === "section" ? "accent" : r.tone }),
  },
  {
    id: "detail",
    title: "Detail",
    // 22 + 16 + 40 and the gaps fit 80 columns; the line under the table has the rest.
    width: 40,
    priority: 1,
    cell: (r) => ({
      text: r.detail,
      tone: r.kind === "section" ? "dim" : r.tone === "accent" ? "accent" : "dim",
    }),
  },
];

/**
 * View 9: the process. `show info` in sections, the threads' `show activity`, the memory pools'
 * totals and biggest pools, and under master-worker the master's `show proc` (workers, old workers
 * draining): Enter on a worker points the whole UI at it through the master CLI (`@!<pid>`).
 * Rows keep HAProxy's order inside fixed sections: there is no sort.
 */
export const processPanel: Panel<ProcessRow> = {
  view: "process",
  queries: () => [...PROCESS_QUERIES],
  build: (ctx, filter) => {
    const rows = processRows(ctx.state, filter);
    const via = ctx.state.via ?? null;
    const threads = ctx.state.snapshot?.info.Nbthread;
    return {
      columns: processColumns,
      sortColumns: [],
      rows,
      defaultSort: null,
      emptyText: "nothing matches the filter",
      tabExtra: typeof threads === "number" ? `${compact(threads)} threads` : "",
      note: via
        ? `watching worker ${via.pid} through the master CLI ${via.master} · b: back to ${via.home}`
        : null,
      noteTone: via ? "accent" : null,
    };
  },
  selection: (row) =>
    row?.kind === "worker" && row.pid !== undefined && row.role !== "master"
      ? { kind: "worker", pid: row.pid }
      : { kind: "info" },
  detail: (row) => {
    if (!row) return [];
    if (row.kind === "worker" && row.role !== "master")
      return [
        `Enter: watch ${row.role === "old" ? "old " : ""}worker ${row.pid} (every view polls it through the master CLI, @!${row.pid})`,
      ];
    if (row.perThread && row.perThread.length > 1)
      return [`${row.name} per thread: ${row.perThread.map((v, i) => `t${i + 1} ${v}`).join("  ")}`];
    return [];
  },
};
