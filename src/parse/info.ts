import { isNumeric } from "./values.js";

/** The fields of `show info`, keyed exactly as HAProxy names them (e.g. `CurrConns`, `Build info`). */
export type InfoRecord = Record<string, string | number>;

/** Keys whose values are text by nature, kept as strings even when they look numeric. */
export const TEXTUAL_INFO_KEYS: ReadonlySet<string> = new Set([
  "Name",
  "Version",
  "Release_date",
  "Uptime",
  "node",
  "description",
  "Build info",
  "Tainted",
]);

/**
 * Most lines read from a `show info` reply: HAProxy 3.2 prints ~75. A longer reply (a hostile peer)
 * is read no further, so its cost stays bounded.
 */
export const MAX_INFO_LINES = 4096;

/**
 * Parses a `show info` reply ("Name: value" lines, split on the first ": ") into a record.
 * Reading stops at the blank line that ends the reply, so the start of a batched reply works too.
 * Fields a release does not print are absent from the record (undefined), never 0.
 */
export function parseInfo(text: string): InfoRecord {
  const out: InfoRecord = {};
  let started = false;
  let pos = 0;
  for (let n = 0; pos < text.length && n < MAX_INFO_LINES; n++) {
    const lf = text.indexOf("\n", pos);
    const end = lf < 0 ? text.length : lf;
    let line = text.slice(pos, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    pos = end + 1;
    if (line.trim() === "") {
      if (started) break;
      continue;
    }
    let key: string;
    let value: string;
    const sep = line.indexOf(": ");
    if (sep > 0) {
      key = line.slice(0, sep);
      value = line.slice(sep + 2);
    } else if (line.endsWith(":") && line.length > 1) {
      // An empty value, e.g. "description:" once trailing blanks are lost.
      key = line.slice(0, -1);
      value = "";
    } else {
      continue;
    }
    key = key.trim();
    value = value.trim();
    if (key === "" || key.startsWith("#") || key === "__proto__") continue;
    started = true;
    out[key] = !TEXTUAL_INFO_KEYS.has(key) && isNumeric(value) ? Number(value) : value;
  }
  return out;
}
