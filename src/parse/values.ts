/** A single value from a HAProxy stat dump: null when empty, a number when fully numeric, else text. */
export type StatValue = string | number | null;

/** Counts the ASCII digits of `raw` from `i`; returns the index of the first non-digit. */
function skipDigits(raw: string, i: number): number {
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  return i;
}

/**
 * Returns true when `raw` is entirely a (possibly negative, possibly decimal) number, i.e. matches
 * /^-?\d+(\.\d+)?$/. Written out by hand: it runs for every field of every `show stat` row.
 */
export function isNumeric(raw: string): boolean {
  const start = raw.charCodeAt(0) === 0x2d ? 1 : 0;
  const intEnd = skipDigits(raw, start);
  if (intEnd === start) return false;
  if (intEnd === raw.length) return true;
  if (raw.charCodeAt(intEnd) !== 0x2e) return false;
  const fracEnd = skipDigits(raw, intEnd + 1);
  return fracEnd > intEnd + 1 && fracEnd === raw.length;
}

/** Converts a raw field: "" → null, a fully numeric string → number, anything else unchanged. */
export function toValue(raw: string): StatValue {
  if (raw === "") return null;
  return isNumeric(raw) ? Number(raw) : raw;
}

/** Splits a CLI reply into lines, accepting both LF and CRLF line endings. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

const DURATION_PART = /(\d+(?:\.\d+)?)(d|h|ms|m|us|s)/y;

const UNIT_SECONDS: Record<string, number> = {
  d: 86400,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
  us: 0.000001,
};

/**
 * Parses HAProxy's human_time() format ("0s", "42s", "2m3s", "1h02m", "3d4h", also "250ms"/"10us")
 * into seconds; returns null for "", "?", "<NEVER>" or anything else it does not recognise.
 */
export function parseDuration(raw: string): number | null {
  // show info's Uptime is written "0d 0h00m06s": blanks between parts are allowed.
  const text = raw.replace(/\s+/g, "");
  if (text === "") return null;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(text);
    if (!m) return null;
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    pos = DURATION_PART.lastIndex;
  }
  // Avoid floating point noise such as 0.30000000000000004 for "300ms".
  return Math.round(total * 1e6) / 1e6;
}
