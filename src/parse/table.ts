import { CommandError } from "../client/errors.js";
import { checkReply } from "../client/socket.js";
import { splitLines } from "./values.js";

/**
 * Stick tables: `show table` (the list) and `show table <name> [data.<type> <op> <value>]` (the
 * entries). Measured on HAProxy 2.6, 2.8, 3.0 and 3.2 (test/fixtures/haproxy-<v>/table-*.txt):
 *
 *   # table: st_src, type: ip, size:102400, used:3
 *   0x7f06…: key=127.0.0.2 use=0 exp=59973 shard=0 gpt0=0 gpc0=0 http_req_rate(10000)=6
 *
 * `shard=` appears in 2.8. String keys are escaped by HAProxy (its `dump_text`): a blank is `\ `,
 * `=` is `\=`, a backslash `\\`, a tab `\t`, any other non-printable byte `\xHH`; `;` and quotes are
 * printed as they are. Array types (`gpc(2)`) print one counter per element (`gpc0=… gpc1=…`).
 */

/** One line of `show table`. */
export interface StickTable {
  name: string;
  /** The key type: ip, ipv6, integer, string, binary (as HAProxy prints it). */
  type: string;
  size: number;
  used: number;
}

/** A stored data type as the entries print it: `http_req_rate(10000)` is http_req_rate over 10 s. */
export interface TableDataType {
  /** The name `data.<name>` filters and `set table` take (`http_req_rate`, `gpc0`). */
  name: string;
  /** The period of a rate, in ms (`(10000)`), or null for a counter or tag. */
  periodMs: number | null;
}

/** One entry of a table. */
export interface TableEntry {
  /** The entry's address (`0x…`), unique in the dump. */
  ptr: string;
  /**
   * The key, with HAProxy's escapes undone (`bob\ smith` → `bob smith`); a non-ASCII byte printed as
   * `\xHH` becomes the lone surrogate U+DC00+HH, the form decodeReply uses for a raw byte, so that
   * sanitize() shows it as `\xhh` and it can never be sent back as a different byte.
   */
  key: string;
  use: number | null;
  /** Time to expiry, ms; null when the table has no expire. */
  expMs: number | null;
  /** Stored data by name (`http_req_rate` → 6); non-numeric values (a server key) as text. */
  data: Record<string, number | string>;
}

/** The entries of one table, as far as they were read. */
export interface TableDump {
  /** The header line (null when HAProxy printed none: a key lookup that found nothing). */
  table: StickTable | null;
  /** The stored data types, in the order HAProxy prints them. */
  types: TableDataType[];
  /** At most `maxEntries` entries, in HAProxy's order. */
  entries: TableEntry[];
  /** How many entry lines the reply held (more than `entries.length` when capped). */
  total: number;
  /** The socket's level may list tables but not dump them (`# contents not dumped…`, user level). */
  restricted: boolean;
}

const HEADER = /^# table: (.*), type: ([^,]*), size:(\d+), used:(\d+)\s*$/;
const RESTRICTED = "# contents not dumped due to insufficient privileges";

/** One `# table:` line; null when the line is not one. */
function parseHeader(line: string): StickTable | null {
  const m = HEADER.exec(line);
  return m ? { name: m[1]!, type: m[2]!, size: Number(m[3]), used: Number(m[4]) } : null;
}

/** Parses `show table` (the list); throws a CommandError on a refusal or anything else. */
export function parseTableList(reply: string): StickTable[] {
  checkReply("show table", reply);
  const out: StickTable[] = [];
  for (const line of splitLines(reply)) {
    if (line === "") continue;
    const t = parseHeader(line);
    if (!t) throw new CommandError("command-error", "show table", line);
    out.push(t);
  }
  return out;
}

const ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", e: "\x1b" };

/** Undoes HAProxy's `dump_text` escaping of one token. */
export function unescapeTableText(text: string): string {
  if (!text.includes("\\")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== "\\" || i === text.length - 1) {
      out += c;
      continue;
    }
    const n = text[++i]!;
    const hex = n === "x" ? /^[0-9a-fA-F]{2}/.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      const byte = Number.parseInt(hex[0], 16);
      out += String.fromCharCode(byte >= 0x80 ? 0xdc00 + byte : byte);
      i += 2;
    } else out += ESCAPES[n] ?? n;
  }
  return out;
}

/** The blank-separated tokens of an entry line; a blank after a backslash is part of its token. */
function tokens(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x5c)
      i++; // `\x`: the next character is escaped
    else if (c === 0x20) {
      if (i > start) out.push(line.slice(start, i));
      start = i + 1;
    }
  }
  if (start < line.length) out.push(line.slice(start));
  return out;
}

const DATA_NAME = /^([a-z_]+[0-9]*)(?:\((\d+)\))?$/;
const NUMBER = /^-?\d+$/;

/** One entry line; null when it is not one. `types` collects the data types seen. */
function parseEntry(line: string, types: Map<string, TableDataType>): TableEntry | null {
  const colon = line.indexOf(": ");
  if (!line.startsWith("0x") || colon < 0) return null;
  const parts = tokens(line.slice(colon + 2));
  const first = parts[0];
  if (!first?.startsWith("key=")) return null;
  const e: TableEntry = {
    ptr: line.slice(0, colon),
    key: unescapeTableText(first.slice(4)),
    use: null,
    expMs: null,
    data: {},
  };
  for (const tok of parts.slice(1)) {
    const eq = tok.indexOf("=");
    if (eq <= 0) continue;
    const name = tok.slice(0, eq);
    const raw = tok.slice(eq + 1);
    const value = NUMBER.test(raw) ? Number(raw) : unescapeTableText(raw);
    if (name === "use") e.use = typeof value === "number" ? value : null;
    else if (name === "exp") e.expMs = typeof value === "number" ? value : null;
    else if (name === "shard")
      continue; // 2.8+: which shard holds it (not the operator's concern)
    else {
      const m = DATA_NAME.exec(name);
      if (!m) continue;
      if (!types.has(m[1]!)) types.set(m[1]!, { name: m[1]!, periodMs: m[2] ? Number(m[2]) : null });
      e.data[m[1]!] = value;
    }
  }
  return e;
}

/** Why HAProxy refused a dump (`No such table`, `Filter entry #1: Unknown data type`), or null. */
function dumpError(first: string): string | null {
  return first === "" || first.startsWith("# table:") || first.startsWith("0x") ? null : first;
}

/**
 * Parses the reply to `show table <name> …`, keeping at most `maxEntries` entries. Past the cap the
 * entry lines are only counted (a scan for "\n0x", no line is split nor kept): a dump of a million
 * entries costs one pass over the text, not a million objects. Throws a CommandError when HAProxy
 * refused the command (the message is HAProxy's first line).
 */
export function parseTableDump(reply: string, command = "show table", maxEntries = Infinity): TableDump {
  checkReply(command, reply);
  const firstEnd = reply.indexOf("\n");
  const err = dumpError((firstEnd < 0 ? reply : reply.slice(0, firstEnd)).replace(/\r$/, ""));
  if (err !== null) throw new CommandError("command-error", command, err);
  const types = new Map<string, TableDataType>();
  const dump: TableDump = { table: null, types: [], entries: [], total: 0, restricted: false };
  let pos = 0;
  while (pos < reply.length) {
    const nl = reply.indexOf("\n", pos);
    const end = nl < 0 ? reply.length : nl;
    const line = reply.slice(pos, end).replace(/\r$/, "");
    pos = end + 1;
    if (line.startsWith("0x")) {
      dump.total++;
      if (dump.entries.length >= maxEntries) break;
      const e = parseEntry(line, types);
      if (e) dump.entries.push(e);
    } else if (line.startsWith("# table:")) dump.table ??= parseHeader(line);
    else if (line.startsWith(RESTRICTED)) dump.restricted = true;
  }
  // The rest is only counted.
  for (let at = reply.indexOf("\n0x", pos - 1); at >= 0; at = reply.indexOf("\n0x", at + 3)) dump.total++;
  dump.types = [...types.values()];
  return dump;
}
