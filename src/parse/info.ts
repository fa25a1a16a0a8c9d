import { isNumeric, splitLines } from "./values.js";

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
 * Parses a `show info` reply ("Name: value" lines, split on the first ": ") into a record.
 * Reading stops at the blank line that ends the reply, so the start of a batched reply works too.
 */
export function parseInfo(text: string): InfoRecord {
  const out: InfoRecord = {};
  let started = false;
  for (const line of splitLines(text)) {
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
    if (key === "" || key.startsWith("#")) continue;
    started = true;
    out[key] = !TEXTUAL_INFO_KEYS.has(key) && isNumeric(value) ? Number(value) : value;
  }
  return out;
}
