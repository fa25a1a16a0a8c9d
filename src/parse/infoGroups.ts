import type { InfoRecord } from "./info.js";

/** The sections the process view shows `show info` in. */
export type InfoGroupId =
  | "process"
  | "connections"
  | "rates"
  | "ssl"
  | "compression"
  | "memory"
  | "tasks"
  | "other";

export interface InfoGroup {
  id: InfoGroupId;
  title: string;
  /** The group's fields in HAProxy's order: [name exactly as printed, value]. */
  fields: [string, string | number][];
}

/** Section order and titles. */
export const INFO_GROUPS: readonly { id: InfoGroupId; title: string }[] = [
  { id: "process", title: "Process" },
  { id: "connections", title: "Connections" },
  { id: "rates", title: "Rates and bytes" },
  { id: "ssl", title: "SSL" },
  { id: "compression", title: "Compression" },
  { id: "memory", title: "Memory" },
  { id: "tasks", title: "Tasks and threads" },
  { id: "other", title: "Other" },
];

/**
 * Where each known field of `show info` goes (2.6 to 3.2). A field a later release adds lands in
 * "other" until it is named here: nothing HAProxy prints is hidden.
 */
const GROUP_OF: Readonly<Record<string, InfoGroupId>> = {
  Name: "process",
  Version: "process",
  Release_date: "process",
  Nbproc: "process",
  Process_num: "process",
  Pid: "process",
  Uptime: "process",
  Uptime_sec: "process",
  Start_time_sec: "process",
  BootTime_ms: "process",
  Stopping: "process",
  node: "process",
  description: "process",
  "Build info": "process",
  Tainted: "process",
  TotalWarnings: "process",
  DebugCommandsIssued: "process",
  "Ulimit-n": "process",
  Maxsock: "process",

  Maxconn: "connections",
  Hard_maxconn: "connections",
  CurrConns: "connections",
  CumConns: "connections",
  CumReq: "connections",
  MaxconnReached: "connections",
  CurrStreams: "connections",
  CumStreams: "connections",
  Jobs: "connections",
  "Unstoppable Jobs": "connections",
  Listeners: "connections",
  ActivePeers: "connections",
  ConnectedPeers: "connections",
  Maxpipes: "connections",
  PipesUsed: "connections",
  PipesFree: "connections",

  ConnRate: "rates",
  ConnRateLimit: "rates",
  MaxConnRate: "rates",
  SessRate: "rates",
  SessRateLimit: "rates",
  MaxSessRate: "rates",
  BytesOutRate: "rates",
  TotalBytesOut: "rates",
  TotalSplicedBytesOut: "rates",
  // 2.6 spells it so.
  TotalSplicdedBytesOut: "rates",

  MaxSslConns: "ssl",
  CurrSslConns: "ssl",
  CumSslConns: "ssl",
  SslRate: "ssl",
  SslRateLimit: "ssl",
  MaxSslRate: "ssl",
  SslFrontendKeyRate: "ssl",
  SslFrontendMaxKeyRate: "ssl",
  SslFrontendSessionReuse_pct: "ssl",
  SslBackendKeyRate: "ssl",
  SslBackendMaxKeyRate: "ssl",
  SslCacheLookups: "ssl",
  SslCacheMisses: "ssl",

  CompressBpsIn: "compression",
  CompressBpsOut: "compression",
  CompressBpsRateLim: "compression",
  ZlibMemUsage: "compression",
  MaxZlibMemUsage: "compression",

  Memmax_MB: "memory",
  PoolAlloc_MB: "memory",
  PoolUsed_MB: "memory",
  PoolFailed: "memory",
  Memmax_bytes: "memory",
  PoolAlloc_bytes: "memory",
  PoolUsed_bytes: "memory",

  Nbthread: "tasks",
  Tasks: "tasks",
  Run_queue: "tasks",
  Idle_pct: "tasks",
  Niced_tasks: "tasks",
  BusyPolling: "tasks",
};

/** The group a `show info` field belongs to ("other" when not known). */
export function infoGroupOf(field: string): InfoGroupId {
  return Object.hasOwn(GROUP_OF, field) ? GROUP_OF[field]! : "other";
}

/**
 * `show info` split into the process view's sections, each field once, in HAProxy's order inside a
 * section; sections with no field (compression on a build without it) are left out.
 */
export function groupInfo(info: InfoRecord): InfoGroup[] {
  const fields = new Map<InfoGroupId, [string, string | number][]>();
  for (const [name, value] of Object.entries(info)) {
    const id = infoGroupOf(name);
    let list = fields.get(id);
    if (!list) {
      list = [];
      fields.set(id, list);
    }
    list.push([name, value]);
  }
  return INFO_GROUPS.filter((g) => fields.has(g.id)).map((g) => ({ ...g, fields: fields.get(g.id)! }));
}
