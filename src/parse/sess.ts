import { parseDuration, splitLines } from "./values.js";

/** One stream listed by `show sess`. */
export interface Session {
  /** Stream pointer without the colon, e.g. "0x555ab27bcef0" (what `shutdown session <id>` takes). */
  id: string;
  proto: string;
  src: string;
  fe: string;
  /** Backend name, null for "<NONE>". */
  be: string | null;
  /** Server name, null for "<none>". */
  srv: string | null;
  /** Age in seconds, null when absent or not understood. */
  ageSec: number | null;
  calls: number | null;
  rate: number | null;
  /** CPU time as reported by HAProxy (nanoseconds in 2.x), null when absent. */
  cpu: number | null;
  /** Latency as reported by HAProxy (nanoseconds in 2.x), null when absent. */
  lat: number | null;
  /** True for a CLI session (frontend "GLOBAL"), such as the one running `show sess` itself. */
  isCli: boolean;
  /** Every key=value token as written, e.g. ts, epoch, exp, rq ("[f=...]"), scf ("[8,0h,fd=17]"). */
  fields: Record<string, string>;
}

/**
 * Splits a `show sess` line body into whitespace-separated tokens, not splitting inside [...] groups
 * (so "rq[f=808000h,i=0,...]" and "scf=[8,0h,fd=17]" stay whole).
 */
export function tokenizeSessLine(body: string): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of body) {
    if (ch === "[") depth++;
    else if (ch === "]" && depth > 0) depth--;
    if (depth === 0 && (ch === " " || ch === "\t")) {
      if (current !== "") tokens.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (current !== "") tokens.push(current);
  return tokens;
}

function splitToken(token: string): [string, string] | null {
  const eq = token.indexOf("=");
  const br = token.indexOf("[");
  // "rq[f=...]" style: the name is directly followed by the bracketed group.
  if (br > 0 && (eq < 0 || br < eq)) return [token.slice(0, br), token.slice(br)];
  if (eq > 0) return [token.slice(0, eq), token.slice(eq + 1)];
  return null;
}

function nullIfNone(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  return value.toLowerCase() === "<none>" ? null : value;
}

function toInt(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+$/.test(value)) return null;
  return Number(value);
}

/** Parses one `show sess` line ("0x...: proto=... src=... fe=..."), or returns null if it is not one. */
export function parseSessLine(line: string): Session | null {
  const m = /^(0x[0-9a-fA-F]+):?(?:\s+(.*))?$/.exec(line.trim());
  if (!m) return null;
  const fields: Record<string, string> = {};
  for (const token of tokenizeSessLine(m[2] ?? "")) {
    const kv = splitToken(token);
    if (kv && kv[0] !== "__proto__" && !Object.hasOwn(fields, kv[0])) fields[kv[0]] = kv[1];
  }
  const fe = fields.fe ?? "";
  return {
    id: m[1]!,
    proto: fields.proto ?? "",
    src: fields.src ?? "",
    fe,
    be: nullIfNone(fields.be),
    srv: nullIfNone(fields.srv),
    ageSec: fields.age === undefined ? null : parseDuration(fields.age),
    calls: toInt(fields.calls),
    rate: toInt(fields.rate),
    cpu: toInt(fields.cpu),
    lat: toInt(fields.lat),
    isCli: fe === "GLOBAL",
    fields,
  };
}

/** Parses a `show sess` reply into sessions, skipping blank lines and lines not starting with "0x". */
export function parseSess(text: string): Session[] {
  const out: Session[] = [];
  for (const line of splitLines(text)) {
    if (!line.startsWith("0x")) continue;
    const session = parseSessLine(line);
    if (session) out.push(session);
  }
  return out;
}
