import type { ActivityReport } from "../../parse/activity.js";
import { groupInfo } from "../../parse/infoGroups.js";
import { biggestPools, type PoolsReport } from "../../parse/pools.js";
import type { ProcEntry, ProcReport } from "../../parse/proc.js";
import { type ExtraResult, readExtra } from "../../store/extras.js";
import type { MonitorState } from "../../store/state.js";
import { bytes, compact, duration } from "../../text/format.js";
import type { Tone } from "../table/types.js";
import type { NameFilter } from "../views/filter.js";
import { ACTIVITY_QUERY, MASTER_PROC_QUERY, POOLS_QUERY } from "./processQueries.js";

/**
 * One line of the process view. The view is sections drawn as rows: a section's header row, then
 * its "name value" rows. Keys are stable across polls (`info:CurrConns`, `activity:loops`,
 * `proc:1234`), so the cursor stays on its line while the values move.
 */
export interface ProcessRow {
  key: string;
  kind: "section" | "field" | "worker" | "note";
  section: string;
  name: string;
  value: string;
  detail: string;
  tone: Tone;
  /** Worker rows: the pid the master's own `show proc` listed (the only source of a pid to watch). */
  pid?: number;
  /** Worker rows: "master", "worker" (current) or "old" (still draining after a reload). */
  role?: "master" | "worker" | "old";
  /** Activity rows: the per-thread values, for the detail line. */
  perThread?: number[];
}

/** The most pools listed under the totals (the biggest by bytes allocated). */
export const TOP_POOLS = 8;

const section = (id: string, title: string, extra = ""): ProcessRow => ({
  key: `section:${id}`,
  kind: "section",
  section: id,
  name: title,
  value: "",
  detail: extra,
  tone: "accent",
});

const note = (id: string, text: string, tone: Tone = "dim"): ProcessRow => ({
  key: `note:${id}`,
  kind: "note",
  section: id,
  name: text,
  value: "",
  detail: "",
  tone,
});

/** Why a section has no data yet: its query's error (it names the command), or "fetching". */
function missing(id: string, r: ExtraResult | null, what: string): ProcessRow[] {
  if (r?.error) return [note(id, r.error, "warn")];
  return r?.value ? [] : [note(id, `fetching ${what}…`)];
}

/** A value of `show info` with a readable form beside it where the raw number is hard to read. */
function infoDetail(name: string, value: string | number): string {
  if (typeof value !== "number") return "";
  if (/_bytes$|^TotalBytesOut$|^TotalSplic\w*BytesOut$|^ZlibMemUsage$|^MaxZlibMemUsage$/.test(name))
    return bytes(value);
  if (name === "Uptime_sec") return duration(value);
  if (name === "Start_time_sec" || name === "Start_time")
    return new Date(value * 1000).toISOString().replace(".000Z", "Z");
  return "";
}

function infoTone(name: string, value: string | number): Tone {
  if (name === "Stopping" && value === 1) return "warn";
  if ((name === "PoolFailed" || name === "MaxconnReached" || name === "DroppedLogs") && Number(value) > 0)
    return "bad";
  if (name === "TotalWarnings" && Number(value) > 0) return "warn";
  return "none";
}

/** The master's processes: the master, its current workers, its old workers still draining. */
export function workerRows(state: MonitorState): ProcessRow[] {
  const r = readExtra<ProcReport>(state.extras, MASTER_PROC_QUERY);
  const via = state.via ?? null;
  const head = section("workers", "Master and workers", via ? `watching ${via.pid} via master` : "");
  const proc: ProcReport | null = r?.value ?? null;
  if (!proc) {
    const why = r?.error ?? null;
    return [
      head,
      why
        ? note("workers", `master CLI: ${why}`, "warn")
        : note("workers", "asking the master CLI (show proc)…"),
    ];
  }
  const row = (p: ProcEntry, role: "master" | "worker" | "old"): ProcessRow => {
    const watched = via?.pid === p.pid;
    const label = role === "master" ? "master" : role === "old" ? "old worker" : "worker";
    return {
      key: `proc:${p.pid}`,
      kind: "worker",
      section: "workers",
      name: `${label} ${p.pid}${watched ? " ◀ watched" : ""}`,
      value: p.uptimeSec !== null ? duration(p.uptimeSec) : p.uptime,
      detail: [
        `reloads ${p.reloads}`,
        ...(p.failed !== null && p.failed > 0 ? [`failed ${p.failed}`] : []),
        ...(p.version ? [p.version] : []),
        ...(role === "old" ? ["draining"] : []),
      ].join(" · "),
      tone: watched ? "accent" : role === "old" ? "warn" : role === "master" ? "none" : "good",
      pid: p.pid,
      role,
    };
  };
  const error = r?.error ? [note("workers", `master CLI: ${r.error} (last answer shown)`, "warn")] : [];
  return [
    head,
    ...(proc.master ? [row(proc.master, "master")] : []),
    ...proc.workers.map((w) => row(w, "worker")),
    ...proc.oldWorkers.map((w) => row(w, "old")),
    ...error,
  ];
}

/** `show info` of the process polled, in sections (src/parse/infoGroups.ts). */
export function infoRows(state: MonitorState): ProcessRow[] {
  const info = state.snapshot?.info;
  if (!info) return [section("info", "show info"), note("info", "waiting for the first poll…")];
  return groupInfo(info).flatMap((g) => [
    section(`info-${g.id}`, g.title),
    ...g.fields.map(
      ([name, value]): ProcessRow => ({
        key: `info:${name}`,
        kind: "field",
        section: `info-${g.id}`,
        name,
        value: String(value),
        detail: infoDetail(name, value),
        tone: infoTone(name, value),
      }),
    ),
  ]);
}

/** `show activity`: one row per counter, its total and each thread's value. */
export function activityRows(state: MonitorState): ProcessRow[] {
  const r = readExtra<ActivityReport>(state.extras, ACTIVITY_QUERY);
  const report: ActivityReport | null = r?.value ?? null;
  const threads = report?.threads ?? null;
  const head = section("activity", "Threads (show activity)", threads !== null ? `${threads} threads` : "");
  if (!report) return [head, ...missing("activity", r, "show activity")];
  return [
    head,
    ...report.counters.map(
      (c): ProcessRow => ({
        key: `activity:${c.name}`,
        kind: "field",
        section: "activity",
        name: c.name,
        value: c.total === null ? "-" : String(c.total),
        detail: c.perThread.length > 1 ? c.perThread.map((v) => compact(v)).join(" ") : "",
        tone: (c.name === "pool_fail" || c.name === "accq_full") && (c.total ?? 0) > 0 ? "bad" : "none",
        perThread: c.perThread,
      }),
    ),
  ];
}

/** `show pools`: the totals, then the biggest pools. */
export function poolRows(state: MonitorState): ProcessRow[] {
  const r = readExtra<PoolsReport>(state.extras, POOLS_QUERY);
  const report: PoolsReport | null = r?.value ?? null;
  const head = section("pools", "Memory pools (show pools)", report ? `${report.pools.length} pools` : "");
  if (!report) return [head, ...missing("pools", r, "show pools")];
  const t = report.totals;
  const failures = report.pools.reduce((n, p) => n + p.failures, 0);
  const totals: ProcessRow[] = t
    ? [
        {
          key: "pools:allocated",
          kind: "field",
          section: "pools",
          name: "allocated",
          value: bytes(t.allocatedBytes),
          detail: `${t.allocatedBytes} bytes in ${t.pools} pools`,
          tone: "none",
        },
        {
          key: "pools:used",
          kind: "field",
          section: "pools",
          name: "used",
          value: bytes(t.usedBytes),
          detail: t.cachedBytes !== null ? `~${bytes(t.cachedBytes)} in thread caches` : "",
          tone: "none",
        },
        {
          key: "pools:failures",
          kind: "field",
          section: "pools",
          name: "failures",
          value: String(failures),
          detail: "allocations refused (memory limit reached)",
          tone: failures > 0 ? "bad" : "none",
        },
      ]
    : [note("pools", "no Total line in the reply (cut short?)", "warn")];
  const top = biggestPools(report, TOP_POOLS).map(
    (p): ProcessRow => ({
      key: `pool:${p.name}`,
      kind: "field",
      section: "pools",
      name: `pool ${p.name}`,
      value: bytes(p.allocatedBytes),
      detail: `${p.allocated}×${p.itemSize} B, ${p.used} used${p.failures ? `, ${p.failures} failures` : ""}${p.shared ? ", shared" : ""}`,
      tone: p.failures > 0 ? "bad" : "none",
    }),
  );
  return [head, ...totals, ...top];
}

/**
 * Every row of the view, filtered: a section keeps its header when one of its rows passes the
 * filter (or its title does); notes stay with their section.
 */
export function processRows(state: MonitorState, filter: NameFilter): ProcessRow[] {
  const all = [...workerRows(state), ...infoRows(state), ...activityRows(state), ...poolRows(state)];
  const out: ProcessRow[] = [];
  let header: ProcessRow | null = null;
  let headerPasses = false;
  for (const row of all) {
    if (row.kind === "section") {
      header = row;
      headerPasses = filter.match(row.name);
      continue;
    }
    if (!(headerPasses || row.kind === "note" || filter.match(row.name))) continue;
    if (header) {
      out.push(header);
      header = null;
    }
    out.push(row);
  }
  return out;
}
