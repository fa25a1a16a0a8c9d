import { runSliced, runToEnd, type Steps } from "./slices.js";
import { ownString } from "./stat.js";
import { isNumeric } from "./values.js";

/** One line of `show servers state`, keyed by HAProxy's column names (`srv_op_state`, `srv_admin_state`…). */
export type ServerStateRow = Record<string, string | number>;

/** A `show servers state` reply, read. */
export interface ServersState {
  /** The format version on the first line (1 on every release from 1.6 to 3.2), null when absent. */
  version: number | null;
  /** Column names of the `# be_id be_name …` header line. */
  header: string[];
  rows: ServerStateRow[];
  /** Lines with a wrong number of fields, skipped. */
  skipped: number;
}

/** Columns kept as text even when they look numeric (names, addresses). */
const TEXTUAL: ReadonlySet<string> = new Set([
  "be_name",
  "srv_name",
  "srv_addr",
  "srv_fqdn",
  "srvrecord",
  "srv_check_addr",
  "srv_agent_addr",
]);

/** Lines read between two chances to yield (see slices.ts). */
const STEP_LINES = 512;

/**
 * Parses `show servers state` (a version line, a `# col …` header, then one space-separated line
 * per server, closed by a blank line). Lines with a wrong number of fields are skipped and counted;
 * at most `maxRows` rows are read (the rest of a longer reply is counted as skipped).
 */
export function parseServersState(text: string, maxRows = Number.POSITIVE_INFINITY): ServersState {
  return runToEnd(serversStateSteps(text, maxRows));
}

/** parseServersState in slices, so the event loop keeps turning during a big reply. */
export function parseServersStateSliced(
  text: string,
  maxRows = Number.POSITIVE_INFINITY,
): Promise<ServersState> {
  return runSliced(serversStateSteps(text, maxRows));
}

function* serversStateSteps(text: string, maxRows: number): Steps<ServersState> {
  const out: ServersState = { version: null, header: [], rows: [], skipped: 0 };
  let pos = 0;
  let started = false;
  let template: ServerStateRow | undefined;
  for (let n = 1; pos < text.length; n++) {
    const lf = text.indexOf("\n", pos);
    const end = lf < 0 ? text.length : lf;
    const line = text.slice(pos, end).trim();
    pos = end + 1;
    if (n % STEP_LINES === 0) yield;
    if (line === "") {
      if (started) break;
      continue;
    }
    started = true;
    if (out.header.length === 0) {
      if (line.startsWith("#")) {
        out.header = line.slice(1).trim().split(/\s+/);
        continue;
      }
      if (out.version === null && /^\d+$/.test(line)) {
        out.version = Number(line);
        continue;
      }
    }
    if (line.startsWith("#")) continue; // a comment
    const fields = line.split(/\s+/);
    if (out.header.length === 0 || fields.length !== out.header.length || out.rows.length >= maxRows) {
      out.skipped++;
      continue;
    }
    // Copied from a template with every column, so rows share one hidden class: adding ~20
    // properties one by one by computed name leaves each row in V8's dictionary mode (~1.5 KiB a
    // row: 75 MiB at 50k servers, where the fast row is a fifth of that).
    template ??= Object.fromEntries(out.header.filter((n) => n !== "__proto__").map((n) => [n, ""]));
    const row: ServerStateRow = { ...template };
    for (let i = 0; i < out.header.length; i++) {
      const name = out.header[i]!;
      const raw = fields[i]!;
      if (name !== "__proto__")
        row[name] = !TEXTUAL.has(name) && isNumeric(raw) ? Number(raw) : ownString(raw);
    }
    out.rows.push(row);
  }
  return out;
}
