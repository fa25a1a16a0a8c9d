import { CommandError } from "../client/errors.js";

/**
 * Maps and ACLs as the Runtime API lists them. The same format on every release of the matrix
 * (2.6.12, 2.8.0, 3.0.0, 3.2.0, captured in test/fixtures/haproxy-<v>/): only the set of internal
 * ACLs (httpclient's) differs.
 *
 *   show map / show acl   `# id (file) description` then one line per map or ACL:
 *                         `2 (/etc/haproxy/block.map) pattern loaded from file '…' used by map at
 *                         file '/etc/haproxy/haproxy.cfg' line 34. curr_ver=0 next_ver=0 entry_cnt=2`;
 *                         an inline ACL has an empty file: `1 () acl 'src' file '…' line 33. …`
 *   show map #<id>        `0x55d0c2a1b2c0 10.0.0.1 abuse`: reference, key, value (the rest of the line)
 *   show acl #<id>        `0x55d0c2a1b2c0 10.0.0.0/24`: reference, pattern (the rest of the line)
 *
 * Ids are shared by maps and ACLs (one list of pattern references in HAProxy): a map file used by an
 * ACL too appears in both lists under the same id.
 */
export type MapType = "map" | "acl";

/** One line of `show map` / `show acl`. */
export interface MapInfo {
  type: MapType;
  /** The unique id, addressed as `#<id>` in commands. */
  id: number;
  /** The file name between parentheses; "" for an ACL written inline in the configuration. */
  file: string;
  /** The rest of the line, versions and count removed (where it is used). */
  description: string;
  /** The configuration file and line that use it (`haproxy.cfg:34`), when the description says. */
  usedAt: string | null;
  currVer: number | null;
  nextVer: number | null;
  /** Every entry, including ones being added to a next version; null when not printed. */
  entryCount: number | null;
}

/** One entry of `show map #<id>` (key and value) or `show acl #<id>` (pattern as the key). */
export interface MapEntry {
  /** HAProxy's reference of the entry (`0x…`), unique in the map: `del map #<id> #<ref>`. */
  ref: string;
  key: string;
  /** The value of a map entry; null for an ACL pattern. */
  value: string | null;
}

export interface MapEntries {
  /** The first `limit` entries, in HAProxy's order. */
  entries: MapEntry[];
  /** Every entry line in the reply (more than `entries.length` when capped). */
  total: number;
  /** Lines that are not entries (hostile or unknown output), skipped. */
  malformed: number;
}

/** Entries read per poll at most: a 1M-entry block list is listed in part, with a note. */
export const MAP_ENTRY_LIMIT = 10_000;

const HEADER = "# id (file) description";
const LIST_LINE = /^(\d{1,10}) \((.*?)\) (.*)$/;
const TAIL = /(?:^|\s)curr_ver=(\d+) next_ver=(\d+) entry_cnt=(\d+)\s*$/;
const USED_AT = / file '([^']*)' line (\d+)\.?/;
/** A reference as HAProxy prints it: a heap address in hex. */
export const ENTRY_REF = /^0x[0-9a-f]{1,16}$/i;

/** The first line of a reply: HAProxy's error text when the command was refused. */
const firstLine = (text: string) => (text.split("\n", 1)[0] ?? "").trim();

function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(i + 1) : path;
}

/**
 * `show map` or `show acl`. Throws a CommandError when the reply is not a list (another release's
 * error text, a refusal): an empty list is only the header.
 */
export function parseMapList(text: string, type: MapType): MapInfo[] {
  const lines = text.split("\n");
  if ((lines[0] ?? "").trim() !== HEADER) {
    throw new CommandError("command-error", `show ${type}`, firstLine(text) || "(empty reply)");
  }
  const out: MapInfo[] = [];
  for (const raw of lines.slice(1)) {
    const line = raw.replace(/\r$/, "");
    const m = LIST_LINE.exec(line);
    if (!m) continue;
    const rest = m[3]!;
    const tail = TAIL.exec(rest);
    const description = (tail ? rest.slice(0, tail.index) : rest).trim();
    const used = USED_AT.exec(description);
    out.push({
      type,
      id: Number(m[1]),
      file: m[2]!,
      description,
      usedAt: used ? `${basename(used[1]!)}:${used[2]}` : null,
      currVer: tail ? Number(tail[1]) : null,
      nextVer: tail ? Number(tail[2]) : null,
      entryCount: tail ? Number(tail[3]) : null,
    });
  }
  return out;
}

/**
 * `show map #<id>` or `show acl #<id>`: at most `limit` entries kept, every line counted. Scans
 * with indexOf (no split of the whole reply): a million-line map costs one pass, and only the kept
 * entries become objects. Throws a CommandError on HAProxy's error text (an unknown id).
 */
export function parseMapEntries(text: string, type: MapType, limit = MAP_ENTRY_LIMIT): MapEntries {
  const entries: MapEntry[] = [];
  let total = 0;
  let malformed = 0;
  let pos = 0;
  let first = true;
  while (pos < text.length) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    if (line === "" || line === "\r") continue;
    if (first && !line.startsWith("0x")) {
      throw new CommandError("command-error", `show ${type}`, line.trim());
    }
    first = false;
    const entry = total < limit ? parseEntryLine(line, type) : line.startsWith("0x") ? true : null;
    if (entry === null) {
      malformed++;
      continue;
    }
    total++;
    if (entry !== true) entries.push(entry);
  }
  return { entries, total, malformed };
}

/** One entry line, or null when it is not one. */
export function parseEntryLine(line: string, type: MapType): MapEntry | null {
  const sp = line.indexOf(" ");
  if (sp < 0) return null;
  const ref = line.slice(0, sp);
  if (!ENTRY_REF.test(ref)) return null;
  const rest = line.slice(sp + 1).replace(/\r$/, "");
  if (type === "acl") return { ref, key: rest, value: null };
  // A map line is `key value`: the key is one word (a map file cannot hold a key with a space);
  // a key added with an escaped space is shown as HAProxy prints it, ambiguous as it is there.
  const sp2 = rest.indexOf(" ");
  return sp2 < 0
    ? { ref, key: rest, value: "" }
    : { ref, key: rest.slice(0, sp2), value: rest.slice(sp2 + 1) };
}

/**
 * Every entry of a whole reply whose reference, or key (and value), is the one given: what the
 * verification of a change looks for. No cap: it reads the whole map once, after the change.
 */
export function findEntries(text: string, type: MapType, want: { ref?: string; line?: string }): MapEntry[] {
  const out: MapEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("0x")) continue;
    const sp = line.indexOf(" ");
    if (sp < 0) continue;
    const ref = line.slice(0, sp);
    const rest = line.slice(sp + 1);
    if (want.ref !== undefined && ref.toLowerCase() !== want.ref.toLowerCase()) continue;
    if (want.line !== undefined && rest !== want.line) continue;
    const e = parseEntryLine(line, type);
    if (e) out.push(e);
  }
  return out;
}

/** The references of every entry in a whole reply (a before/after comparison). */
export function entryRefs(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const sp = line.indexOf(" ");
    const ref = sp > 0 ? line.slice(0, sp) : "";
    if (ENTRY_REF.test(ref)) out.add(ref.toLowerCase());
  }
  return out;
}

/** `get map #<id> <key>`: whether a lookup of the key matches, and what (key, value as quoted). */
export interface MapLookup {
  found: boolean;
  key: string | null;
  value: string | null;
}

/**
 * `get map` / `get acl`: `type=ip, case=sensitive, found=yes, idx=tree, key="…", value="…", …`
 * (an ACL says `match=yes`). Null when the reply is not a lookup result (an error text).
 */
export function parseMapLookup(text: string): MapLookup | null {
  const line = firstLine(text);
  const m = /(?:^|, )(?:found|match)=(yes|no)(?:,|$)/.exec(line);
  if (!m) return null;
  // HAProxy prints the text between the quotes raw (a `"` or `\` inside is not escaped): the value
  // ends at the quote followed by the next `, name=` field or by the end of the line.
  const quoted = (name: string) => new RegExp(`, ${name}="(.*?)"(?=, [a-z_]+=|$)`).exec(line)?.[1] ?? null;
  return { found: m[1] === "yes", key: quoted("key") ?? quoted("pattern"), value: quoted("value") };
}
