import { runSliced, runToEnd, type Steps } from "./slices.js";
import { parseDuration } from "./values.js";

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
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x5b) depth++;
    else if (c === 0x5d && depth > 0) depth--;
    else if (depth === 0 && (c === 0x20 || c === 0x09)) {
      if (i > start) tokens.push(body.slice(start, i));
      start = i + 1;
    }
  }
  if (body.length > start) tokens.push(body.slice(start));
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

/** Most sessions read from one `show sess` reply: the rest of a longer one is left out (bounded cost). */
export const MAX_SESSIONS = 200_000;

/** Lines parsed between two chances to yield (see slices.ts). */
const STEP_LINES = 256;

/**
 * Parses a `show sess` reply into sessions, skipping blank lines and lines not starting with "0x",
 * reading at most `max` sessions.
 */
export function parseSess(text: string, max = MAX_SESSIONS): Session[] {
  return runToEnd(sessSteps(text, max));
}

/** parseSess in slices, so the event loop keeps turning on a reply with many sessions. */
export function parseSessSliced(text: string, max = MAX_SESSIONS): Promise<Session[]> {
  return runSliced(sessSteps(text, max));
}

function* sessSteps(text: string, max: number): Steps<Session[]> {
  const out: Session[] = [];
  let pos = 0;
  while (pos < text.length && out.length < max) {
    pos = readSessLines(text, pos, STEP_LINES, max, out);
    yield;
  }
  return out;
}

/**
 * Reads up to `count` lines from `pos` into `out` and returns where it stopped (a plain function:
 * V8 optimizes its loop far better than a generator's).
 */
function readSessLines(text: string, pos: number, count: number, max: number, out: Session[]): number {
  for (let n = 0; n < count && pos < text.length && out.length < max; n++) {
    const lf = text.indexOf("\n", pos);
    const end = lf < 0 ? text.length : lf;
    if (text.startsWith("0x", pos)) {
      const session = parseSessLine(text.slice(pos, end));
      if (session) out.push(session);
    }
    pos = end + 1;
  }
  return pos;
}
