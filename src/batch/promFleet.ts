import { EXIT, type ExitCode } from "../client/exit.js";
import type { FleetRow } from "../model/fleet.js";
import type { FleetState } from "../store/fleet.js";
import { compact } from "../text/format.js";
import { asciiJson, fit as fitText, sanitize } from "../text/sanitize.js";

/**
 * `--once` over a Prometheus server: the fleet overview's rows, read once (src/store/fleet.ts
 * PromFleet.once), as one JSON document keyed by instance or as an aligned text table. Unknown
 * values stay null / "-" (never 0). Exit: 3 when Prometheus did not answer or an instance is down
 * (`up == 0`), as `--once` over socket targets exits 3 when one cannot be read; else 0.
 */
export function promFleetOutput(state: FleetState, json: boolean): { text: string; exit: ExitCode } {
  const rows = [...state.rows].sort((a, b) => a.name.localeCompare(b.name));
  const down = state.link !== "ok" || rows.some((r) => r.reachable === false);
  const exit: ExitCode = down ? EXIT.socket : EXIT.ok;
  if (json) {
    const instances: Record<string, object> = {};
    for (const r of rows) instances[r.name] = rowJson(r);
    return { text: `${asciiJson({ source: state.source, error: state.error, instances }, 2)}\n`, exit };
  }
  const lines = [`${sanitize(state.source)}  ${rows.length} instance${rows.length === 1 ? "" : "s"}`];
  if (state.error) lines.push(`haptop: ${sanitize(state.error)}`);
  if (rows.length) lines.push("", ...textTable(rows));
  return { text: `${lines.join("\n")}\n`, exit };
}

function rowJson(r: FleetRow): object {
  return {
    reachable: r.reachable,
    error: r.error,
    version: r.version,
    uptimeSec: r.uptimeSec,
    curConns: r.curConns,
    maxConn: r.maxConn,
    reqPerSec: r.reqPerSec,
    http5xxPerSec: r.http5xxPerSec,
    errPerSec: r.errPerSec,
    serversDown: r.serversDown,
    serversMaint: r.serversMaint,
    serversTotal: r.serversTotal,
  };
}

const known = (v: number | null, f: (n: number) => string = compact) => (v === null ? "-" : f(v));
const perSec = (v: number | null) => known(v);

const COLUMNS: { title: string; right?: boolean; cell: (r: FleetRow) => string }[] = [
  { title: "INSTANCE", cell: (r) => r.name },
  { title: "STATE", cell: (r) => (r.reachable === null ? "?" : r.reachable ? "UP" : "DOWN") },
  { title: "VERSION", cell: (r) => r.version ?? "-" },
  { title: "CONNS", right: true, cell: (r) => `${known(r.curConns)}/${known(r.maxConn)}` },
  { title: "REQ/S", right: true, cell: (r) => perSec(r.reqPerSec) },
  { title: "5XX/S", right: true, cell: (r) => perSec(r.http5xxPerSec) },
  { title: "ERR/S", right: true, cell: (r) => perSec(r.errPerSec) },
  {
    title: "DOWN/MAINT/SRV",
    right: true,
    cell: (r) => `${known(r.serversDown)}/${known(r.serversMaint)}/${known(r.serversTotal)}`,
  },
  { title: "ERROR", cell: (r) => r.error ?? "" },
];

function textTable(rows: readonly FleetRow[]): string[] {
  const cells = rows.map((r) => COLUMNS.map((c) => sanitize(c.cell(r))));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => [...row[i]!].length)));
  const line = (texts: string[]) =>
    texts
      .map((t, i) => fitText(t, widths[i]!, COLUMNS[i]!.right ? "right" : "left"))
      .join("  ")
      .trimEnd();
  return [line(COLUMNS.map((c) => c.title)), ...cells.map(line)];
}
