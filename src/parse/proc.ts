import { parseDuration, splitLines } from "./values.js";

/** One process listed by the master CLI's `show proc`. */
export interface ProcEntry {
  pid: number;
  /** "master", "worker", or a program's name. */
  type: string;
  reloads: number;
  /** The master's "[failed: N]" counter; null on other lines or when absent. */
  failed: number | null;
  /** Uptime as printed, e.g. "0d00h00m02s". */
  uptime: string;
  /** Version as printed ("-" for programs, "" when the column does not exist, e.g. 1.9/2.0). */
  version: string;
  /** Uptime in seconds, null when not understood. */
  uptimeSec: number | null;
  /** The "<relative PID>" column of HAProxy 1.9/2.0, null when absent. */
  relativePid: number | null;
}

/** The whole `show proc` reply of the master CLI. */
export interface ProcReport {
  master: ProcEntry | null;
  workers: ProcEntry[];
  oldWorkers: ProcEntry[];
  programs: ProcEntry[];
}

type Section = "master" | "workers" | "oldWorkers" | "programs";

const DEFAULT_COLUMNS = ["PID", "type", "reloads", "uptime", "version"];

/** Column names from the "#<PID>  <type>  <reloads> ..." header line. */
function headerColumns(line: string): string[] {
  return [...line.matchAll(/<([^>]+)>/g)].map((m) => m[1]!.trim().toLowerCase());
}

function parseEntry(line: string, columns: string[]): ProcEntry | null {
  let failed: number | null = null;
  const normalized = line
    // 2.x master line: "2752  master  0 [failed: 0]  0d00h00m02s ..."
    .replace(/\s*\[failed:\s*(-?\d+)\]/, (_all, n: string) => {
      failed = Number(n);
      return "";
    })
    // 1.9/2.0 old worker: "1233  worker  [was: 1]  3  0d00h00m43s"
    .replace(/\[was:\s*(-?\d+)\]/, "$1");
  const parts = normalized.trim().split(/\s+/);
  const values: Record<string, string> = {};
  columns.forEach((name, i) => {
    if (i >= parts.length) return;
    // The last column takes the rest of the line.
    values[name] = i === columns.length - 1 ? parts.slice(i).join(" ") : parts[i]!;
  });
  const pid = values.pid;
  const reloads = values.reloads;
  if (pid === undefined || !/^\d+$/.test(pid) || values.type === undefined) return null;
  const uptime = values.uptime ?? "";
  const relative = values["relative pid"];
  return {
    pid: Number(pid),
    type: values.type,
    reloads: reloads !== undefined && /^\d+$/.test(reloads) ? Number(reloads) : 0,
    failed,
    uptime,
    version: values.version ?? "",
    uptimeSec: parseDuration(uptime),
    relativePid: relative !== undefined && /^\d+$/.test(relative) ? Number(relative) : null,
  };
}

/** Parses the master CLI's `show proc` reply into the master, workers, old workers and programs. */
export function parseShowProc(text: string): ProcReport {
  const report: ProcReport = { master: null, workers: [], oldWorkers: [], programs: [] };
  let columns = DEFAULT_COLUMNS.map((c) => c.toLowerCase());
  let section: Section = "master";
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const title = line.slice(1).trim().toLowerCase();
      if (line.includes("<")) {
        const cols = headerColumns(line);
        if (cols.includes("pid")) columns = cols;
      } else if (title === "workers") section = "workers";
      else if (title === "old workers") section = "oldWorkers";
      else if (title === "programs") section = "programs";
      continue;
    }
    const entry = parseEntry(line, columns);
    if (!entry) continue;
    if (entry.type === "master" && section === "master") {
      report.master ??= entry;
      continue;
    }
    switch (section) {
      case "master":
      case "workers":
        report.workers.push(entry);
        break;
      case "oldWorkers":
        report.oldWorkers.push(entry);
        break;
      case "programs":
        report.programs.push(entry);
        break;
    }
  }
  return report;
}

/** A HAProxy release as [major, minor], from a version string such as "2.6.12-1+deb12u4". */
export interface ReleaseVersion {
  major: number;
  minor: number;
  /** The string as HAProxy printed it. */
  text: string;
}

/** Reads "2.6.12-1+deb12u4", "3.2.0-e134140d2", "2.7-dev7-4827fb-69" → {major, minor}; null if not a version. */
export function parseReleaseVersion(text: string): ReleaseVersion | null {
  const m = /^\s*(\d+)\.(\d+)/.exec(text);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), text: text.trim() };
}

/**
 * True from 2.7 on: the master CLI's `reload` is synchronous (it answers `Success=1`/`Success=0`
 * and the startup logs) and the master CLI knows `show startup-logs` (the last reload's messages).
 */
export function hasSyncMasterReload(v: ReleaseVersion | null): boolean {
  return v !== null && (v.major > 2 || (v.major === 2 && v.minor >= 7));
}

/** The master CLI's answer to `reload` (2.7+): a status line, `--`, then the startup logs. */
export interface MasterReloadReply {
  /** "success" for Success=1, "failure" for Success=0, "none" when the reply has no status (2.6, a cut reply). */
  status: "success" | "failure" | "none";
  /** Every startup-log line after `--` (or after the status when `--` is missing), trimmed at the end. */
  logs: string[];
  /** The `[ALERT]` lines among them, in order, whole (they carry `[file:line]`). */
  alerts: string[];
  /** The new worker's pid when the logs name it ("New worker (N) forked", "Initializing new worker (N)"). */
  newWorkerPid: number | null;
}

/** Parses the master CLI's `reload` reply; also reads a bare `show startup-logs` reply (status "none"). */
export function parseMasterReload(text: string): MasterReloadReply {
  const lines = splitLines(text);
  let status: MasterReloadReply["status"] = "none";
  let start = 0;
  const first = lines.findIndex((l) => l.trim() !== "");
  const m = first >= 0 ? /^Success=([01])\s*$/.exec(lines[first]!.trim()) : null;
  if (m) {
    status = m[1] === "1" ? "success" : "failure";
    start = first + 1;
    if (lines[start]?.trim() === "--") start++;
  }
  const logs = lines
    .slice(start)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "");
  let newWorkerPid: number | null = null;
  for (const l of logs) {
    const w = /(?:New worker|Initializing new worker) \((\d+)\)/.exec(l);
    if (w) newWorkerPid = Number(w[1]);
  }
  return { status, logs, alerts: logs.filter((l) => l.includes("[ALERT]")), newWorkerPid };
}
