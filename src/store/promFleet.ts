import { emptyFleetRow, type FleetRow } from "../model/fleet.js";
import { type PromSample, selector } from "../parse/prometheus.js";

/** What each fleet query asks Prometheus: one query per metric family, never one per instance. */
export type PromQueryId =
  | "up"
  | "version"
  | "start"
  | "conns"
  | "maxconn"
  | "req"
  | "http5xx"
  | "reqErrors"
  | "connErrors"
  | "respErrors"
  | "servers";

/**
 * The PromQL of the fleet overview, over HAProxy's built-in exporter (`prometheus-exporter`
 * service): `matchers` are the user's `--match` label matchers, `windowSec` the rate window
 * (a few scrape intervals, so a rate always has two points).
 */
export function fleetQueries(matchers: string, windowSec: number): Record<PromQueryId, string> {
  const m = (metric: string, extra = "") => selector(metric, matchers, extra);
  const w = `[${Math.max(1, Math.round(windowSec))}s]`;
  const rate = (metric: string, extra = "") => `sum by (instance) (rate(${m(metric, extra)}${w}))`;
  return {
    // `up` is Prometheus's own: 0 when the scrape failed (the instance is unreachable).
    up: m("up"),
    version: m("haproxy_process_build_info"),
    start: m("haproxy_process_start_time_seconds"),
    conns: m("haproxy_process_current_connections"),
    maxconn: m("haproxy_process_max_connections"),
    req: rate("haproxy_frontend_http_requests_total"),
    http5xx: rate("haproxy_frontend_http_responses_total", 'code="5xx"'),
    // The three error counters, one query each, summed per instance here: one selector over the
    // three would be refused ("same labelset": a backend has both of its counters once rate() drops
    // the names), and `a + b + c` would drop an instance that lacks one of them.
    reqErrors: rate("haproxy_frontend_request_errors_total"),
    connErrors: rate("haproxy_backend_connection_errors_total"),
    respErrors: rate("haproxy_backend_response_errors_total"),
    // One sample per instance and state (UP, DOWN, MAINT, DRAIN, NOLB): how many servers are in it.
    servers: `count by (instance, state) (${m("haproxy_server_status")} == 1)`,
  };
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * The fleet rows from the answers to `fleetQueries`, one per `instance` that `up` knows (or that
 * any HAProxy metric names). A query that failed is absent from `answers`: its columns stay unknown.
 * `now` is the answer's time (ms epoch), for uptime.
 */
export function fleetFromProm(
  answers: Partial<Record<PromQueryId, PromSample[]>>,
  now: number,
  previous: ReadonlyMap<string, FleetRow> = new Map(),
): FleetRow[] {
  const rows = new Map<string, FleetRow>();
  const rowOf = (s: PromSample): FleetRow | null => {
    const instance = s.labels.instance;
    if (instance === undefined) return null;
    let r = rows.get(instance);
    if (!r) {
      r = emptyFleetRow(`p/${instance}`, instance, "prometheus");
      rows.set(instance, r);
    }
    return r;
  };
  for (const s of answers.up ?? []) {
    const r = rowOf(s);
    if (!r) continue;
    r.reachable = s.value === 1;
    r.error = s.value === 1 ? null : "Prometheus could not scrape it (up == 0)";
    if (s.value === 1) r.lastOkAt = now;
  }
  const each = (id: PromQueryId, set: (r: FleetRow, s: PromSample) => void) => {
    for (const s of answers[id] ?? []) {
      const r = rowOf(s);
      if (r) set(r, s);
    }
  };
  each("version", (r, s) => {
    r.version = s.labels.version ?? null;
  });
  each("start", (r, s) => {
    const start = finite(s.value);
    r.uptimeSec = start === null ? null : Math.max(0, Math.round(now / 1000 - start));
  });
  each("conns", (r, s) => {
    r.curConns = finite(s.value);
  });
  each("maxconn", (r, s) => {
    r.maxConn = finite(s.value);
  });
  each("req", (r, s) => {
    r.reqPerSec = finite(s.value);
  });
  each("http5xx", (r, s) => {
    r.http5xxPerSec = finite(s.value);
  });
  for (const id of ["reqErrors", "connErrors", "respErrors"] as const)
    each(id, (r, s) => {
      const v = finite(s.value);
      if (v !== null) r.errPerSec = (r.errPerSec ?? 0) + v;
    });
  if (answers.servers) {
    for (const r of rows.values()) {
      r.serversDown = 0;
      r.serversMaint = 0;
      r.serversTotal = 0;
    }
    each("servers", (r, s) => {
      const n = finite(s.value) ?? 0;
      r.serversTotal = (r.serversTotal ?? 0) + n;
      if (s.labels.state === "DOWN") r.serversDown = (r.serversDown ?? 0) + n;
      if (s.labels.state === "MAINT") r.serversMaint = (r.serversMaint ?? 0) + n;
    });
  }
  // A new start time is a reload or a restart: remembered as the row's change time.
  for (const r of rows.values()) {
    const prev = previous.get(r.key);
    const restarted = prev?.uptimeSec != null && r.uptimeSec !== null && r.uptimeSec + 2 < prev.uptimeSec;
    r.changedAt = restarted ? now : (prev?.changedAt ?? null);
    if (r.lastOkAt === null) r.lastOkAt = prev?.lastOkAt ?? null;
  }
  return [...rows.values()];
}

/** A PromQL string literal: the value in double quotes, `\` and `"` escaped (a label value is data). */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** The servers of one instance in their current state (the read-only view of an unmapped instance). */
export function instanceServersQuery(matchers: string, instance: string): string {
  return `${selector("haproxy_server_status", matchers, `instance=${promString(instance)}`)} == 1`;
}

/**
 * What Prometheus knows of one instance's servers, as lines for a pane: each backend with its
 * servers and their states, the ones not UP first. The text is HAProxy's (untrusted): the pane
 * escapes it.
 */
export function instanceLines(instance: string, servers: readonly PromSample[]): string[] {
  const byBackend = new Map<string, { server: string; state: string }[]>();
  for (const s of servers) {
    const be = s.labels.proxy ?? "?";
    const list = byBackend.get(be) ?? [];
    list.push({ server: s.labels.server ?? "?", state: s.labels.state ?? "?" });
    byBackend.set(be, list);
  }
  const lines = [
    `${instance}: read from Prometheus (read-only; map it to a target in the config file to act on it)`,
    "",
  ];
  if (byBackend.size === 0) lines.push("no server state known (haproxy_server_status is empty)");
  const rank = (state: string) => (state === "UP" ? 1 : 0);
  for (const [be, list] of [...byBackend.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const down = list.filter((x) => x.state !== "UP").length;
    lines.push(`${be}  (${list.length} servers${down ? `, ${down} not UP` : ""})`);
    list.sort((a, b) => rank(a.state) - rank(b.state) || a.server.localeCompare(b.server));
    for (const x of list) lines.push(`  ${x.server.padEnd(24)} ${x.state}`);
  }
  return lines;
}
