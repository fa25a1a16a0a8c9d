/** A single value from a HAProxy stat dump: null when empty, a number when fully numeric, else text. */
export type StatValue = string | number | null;

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** Returns true when `raw` is entirely a (possibly negative, possibly decimal) number. */
export function isNumeric(raw: string): boolean {
  return NUMERIC.test(raw);
}

/** Converts a raw field: "" → null, a fully numeric string → number, anything else unchanged. */
export function toValue(raw: string): StatValue {
  if (raw === "") return null;
  if (NUMERIC.test(raw)) return Number(raw);
  return raw;
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
