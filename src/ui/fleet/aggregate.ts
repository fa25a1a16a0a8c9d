import type { MonitorState } from "../../store/state.js";
import type { Column, Tone } from "../table/types.js";
import type { NameFilter } from "../views/filter.js";
import { statusRank } from "../views/trouble.js";

/** One backend or server across the fleet: its status on each target (null: not there). */
export interface AggregateRow {
  key: string;
  kind: "backend" | "server";
  /** "be_app" or "be_app/app1". */
  name: string;
  statuses: (string | null)[];
  /** Not the same everywhere (a server DOWN on one load balancer only, or missing on one). */
  differs: boolean;
  /** The worst status rank across targets (src/ui/views/trouble.ts). */
  rank: number;
}

/** A server's status as the operator reads it: MAINT/DRAIN from its admin state, else show stat's. */
function serverStatus(s: { status: string; admin: string | null }): string {
  return s.admin === "MAINT" || s.admin === "DRAIN" ? s.admin : s.status;
}

/**
 * The same backends side by side across targets: a backend row, then its servers, each with one
 * status per target. Backends in trouble (a server DOWN somewhere, or a difference between load
 * balancers) come first; within one, the servers in trouble first; otherwise by name.
 */
export function aggregateRows(
  targets: readonly { name: string; state: MonitorState }[],
  filter: NameFilter,
): AggregateRow[] {
  const n = targets.length;
  const backends = new Map<string, { row: AggregateRow; servers: Map<string, AggregateRow> }>();
  const blank = () => new Array<string | null>(n).fill(null);
  targets.forEach((t, i) => {
    for (const b of t.state.snapshot?.backends ?? []) {
      let entry = backends.get(b.name);
      if (!entry) {
        const row: AggregateRow = {
          key: `be/${b.name}`,
          kind: "backend",
          name: b.name,
          statuses: blank(),
          differs: false,
          rank: 0,
        };
        entry = { row, servers: new Map() };
        backends.set(b.name, entry);
      }
      entry.row.statuses[i] = b.status;
      for (const s of b.servers) {
        let sv = entry.servers.get(s.name);
        if (!sv) {
          sv = {
            key: `sv/${b.name}/${s.name}`,
            kind: "server",
            name: `${b.name}/${s.name}`,
            statuses: blank(),
            differs: false,
            rank: 0,
          };
          entry.servers.set(s.name, sv);
        }
        sv.statuses[i] = serverStatus(s);
      }
    }
  });
  // A target with no data yet (or unreachable from the start), or not answering now (its column
  // shows the last known statuses), is not a difference: only live answers are compared.
  const reachable = targets.map((t) => t.state.snapshot !== null && !isStale(t.state));
  // Right after the first (skeleton) poll a target knows its backends but not their servers yet.
  const serversKnown = targets.map((t, i) => reachable[i]! && !t.state.serversPending);
  const finish = (r: AggregateRow) => {
    const live = r.kind === "server" ? serversKnown : reachable;
    const seen = r.statuses.filter((_, i) => live[i]);
    r.differs = seen.some((s) => s !== seen[0]);
    r.rank = Math.max(0, ...r.statuses.map((s) => (s === null ? 0 : statusRank(s))));
    return r;
  };
  const trouble = (r: AggregateRow) => r.rank * 2 + (r.differs ? 1 : 0);
  const byTrouble = (a: AggregateRow, b: AggregateRow) =>
    trouble(b) - trouble(a) || a.name.localeCompare(b.name);
  const groups = [...backends.values()].map(({ row, servers }) => {
    const svs = [...servers.values()].map(finish).sort(byTrouble);
    finish(row);
    const worst = svs.reduce((m, s) => Math.max(m, trouble(s)), trouble(row));
    return { row, svs, worst, shown: filter.match(row.name) ? svs : svs.filter((s) => filter.match(s.name)) };
  });
  groups.sort((a, b) => b.worst - a.worst || a.row.name.localeCompare(b.row.name));
  const out: AggregateRow[] = [];
  for (const g of groups) {
    if (!filter.match(g.row.name) && g.shown.length === 0) continue;
    out.push(g.row, ...g.shown);
  }
  return out;
}

const toneOf = (s: string | null): Tone => {
  if (s === null) return "dim";
  const rank = statusRank(s);
  if (rank === 2) return "bad";
  if (rank === 1 || s === "MAINT" || s === "DRAIN") return "warn";
  return "good";
};

/** The target is not answering now: what it shows is its last known data. */
export function isStale(state: MonitorState): boolean {
  return state.link === "disconnected" || state.link === "stale";
}

/** One target's column: its name, and whether its statuses are the last known ones (not answering). */
export interface AggregateTarget {
  name: string;
  stale: boolean;
  /** Its backends are known but not their servers yet (the first, quick poll): "…", not "—". */
  loading?: boolean;
}

/**
 * Columns: the name, "≠" marks, then one status column per target (titled by its name). A target
 * not answering is titled "✗ name" and its cells read "UP?" in dim: last known, not current.
 */
export function aggregateColumns(targets: readonly AggregateTarget[]): Column<AggregateRow>[] {
  return [
    {
      id: "name",
      title: "BACKEND/SERVER",
      width: 16,
      priority: 0,
      grow: true,
      cell: (r) => ({
        text: r.kind === "server" ? `  ${r.name.slice(r.name.indexOf("/") + 1)}` : r.name,
        tone: r.kind === "backend" ? "accent" : "none",
      }),
    },
    {
      id: "differs",
      title: "≠",
      width: 1,
      priority: 0,
      cell: (r) => (r.differs ? { text: "≠", tone: "warn" } : { text: "" }),
    },
    ...targets.map(({ name, stale, loading }, i): Column<AggregateRow> => {
      const title = stale ? `✗ ${name}` : name;
      return {
        id: `t${i}`,
        title,
        width: Math.min(12, Math.max(8, [...title].length)),
        priority: 1 + i,
        cell: (r) => {
          const s = r.statuses[i] ?? null;
          if (s === null && loading && r.kind === "server") return { text: "…", tone: "dim" };
          if (stale) return { text: s === null ? "—" : `${s}?`, tone: "dim" };
          return { text: s ?? "—", tone: toneOf(s) };
        },
      };
    }),
  ];
}
