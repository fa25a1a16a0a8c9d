/**
 * What the certificates view fetches while it is open, and the check every certificate or crt-list
 * name passes before it goes into a command.
 *
 * - `show ssl cert` (the list) every poll: cheap, and a certificate added or removed shows at once.
 * - `show ssl crt-list` + `show ssl sni` (where certificates are used) every minute.
 * - `show ssl crt-list <list>` (what each list holds) every minute, once the lists are known.
 * - `show ssl cert <name>` (details: dates, subject, SANs) every minute, in chunks of names. A
 *   chunk's key is a hash of its names, so a certificate that appears makes a new key, fetched at
 *   once ("not yet known"), while the known ones are refreshed only every minute.
 */
import { CommandError } from "../../client/errors.js";
import { checkReply } from "../../client/socket.js";
import {
  parseCrtListEntries,
  parseCrtLists,
  parseSslCertDetails,
  parseSslCertList,
  parseSslSni,
  type SniEntry,
  type SslCertDetails,
  type SslCertList,
} from "../../parse/sslcert.js";
import type { ExtraQuery } from "../../store/extras.js";

/** Details and crt-list contents are refreshed this often (ms): dates and subjects rarely change. */
export const CERT_DETAILS_EVERY_MS = 60_000;
/** A request line is read into one HAProxy buffer (tune.bufsize, 16 kB by default): stay well below. */
export const MAX_CHUNK_CHARS = 4000;
export const MAX_CHUNK_NAMES = 40;
/** At most this many detail chunks (extras keep 32 results in all): the rest is left undetailed. */
export const MAX_DETAIL_CHUNKS = 16;
/** At most this many crt-lists are opened for their content. */
export const MAX_LISTS = 16;
/** Longer names are refused (a path is at most 4096 bytes, and keeps commands bounded). */
export const MAX_CERT_NAME = 1024;

/**
 * Why a certificate or crt-list name cannot go into a command, or null when it can. HAProxy splits
 * a request on `;`, unescapes `\`, ends it at a line break and splits arguments on blanks; `show ssl
 * cert` reads a leading `*` as a transaction and a `.ocsp` suffix as "its OCSP response". A name
 * with any of these is shown but never sent.
 */
export function certNameProblem(name: string): string | null {
  if (name === "") return "empty";
  if (name.length > MAX_CERT_NAME) return `longer than ${MAX_CERT_NAME} characters`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return "control characters";
  if (/\s/.test(name)) return "blanks";
  if (name.includes(";")) return "a ';'";
  if (name.includes("\\")) return "a '\\'";
  if (name.startsWith("*")) return "a leading '*'";
  if (name.endsWith(".ocsp")) return "a '.ocsp' suffix";
  return null;
}

/** The certificates list, every poll. */
export const CERT_LIST_QUERY: ExtraQuery<SslCertList> = {
  key: "certs:list",
  commands: ["show ssl cert"],
  parse: ([reply]) => {
    let out: string;
    try {
      out = checkReply("show ssl cert", reply ?? "");
    } catch (e) {
      if (e instanceof CommandError && e.code === "unknown-command")
        throw new Error("this HAProxy has no show ssl cert (built without SSL, or older than 2.2)");
      throw e;
    }
    // HAProxy's answer below the operator level (a misleading message of its own).
    if (out.startsWith("Can't allocate memory"))
      throw new Error("show ssl cert needs operator level (HAProxy answered: Can't allocate memory!)");
    if (out.startsWith("Can't show!")) throw new Error("operations on certificates are locked, retrying");
    return parseSslCertList(out);
  },
};

/** Where certificates are used: each part may fail on its own (level, release). */
export interface CertWhere {
  /** The crt-lists and `crt` directories, or null when refused (admin only). */
  lists: string[] | null;
  listsError: string | null;
  /** `show ssl sni` (3.2+), or null when this release has none. */
  sni: SniEntry[] | null;
  sniError: string | null;
}

/** A part's value, or why it failed in plain words (a refusal, a command this release lacks). */
function attempt<T>(
  run: () => T,
  refused: string,
  unknown: string,
): { value: T | null; error: string | null } {
  try {
    return { value: run(), error: null };
  } catch (e) {
    if (e instanceof CommandError && e.code === "command-refused") return { value: null, error: refused };
    if (e instanceof CommandError && e.code === "unknown-command") return { value: null, error: unknown };
    return { value: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** `show ssl crt-list` and `show ssl sni`, every minute; only the last reply may hold empty lines. */
export const CERT_WHERE_QUERY: ExtraQuery<CertWhere> = {
  key: "certs:where",
  commands: ["show ssl crt-list", "show ssl sni"],
  everyMs: CERT_DETAILS_EVERY_MS,
  parse: ([lists, sni]) => {
    const l = attempt(
      () => parseCrtLists(checkReply("show ssl crt-list", lists ?? "")),
      "needs admin level",
      "not in this release",
    );
    const s = attempt(
      () => parseSslSni(checkReply("show ssl sni", sni ?? "")),
      "refused at this level",
      "not in this release (3.2+)",
    );
    return { lists: l.value, listsError: l.error, sni: s.value, sniError: s.error };
  },
};

/** FNV-1a of the names: a short, stable key for a chunk of names. */
export function hashNames(names: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const name of names) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x0a, 0x01000193);
  }
  return `${(h >>> 0).toString(16)}-${names.length}`;
}

/** Names cut into chunks of at most MAX_CHUNK_NAMES names and MAX_CHUNK_CHARS characters of commands. */
export function chunkNames(names: readonly string[], prefix: string): string[][] {
  const chunks: string[][] = [];
  let cur: string[] = [];
  let chars = 0;
  for (const n of names) {
    const cost = prefix.length + n.length + 1;
    if (cur.length > 0 && (cur.length >= MAX_CHUNK_NAMES || chars + cost > MAX_CHUNK_CHARS)) {
      chunks.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(n);
    chars += cost;
  }
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

/** One chunk of `show ssl cert <name>`, refreshed every minute. */
export function certDetailsQuery(names: readonly string[]): ExtraQuery<SslCertDetails> {
  const list = [...names];
  return {
    key: `certs:details:${hashNames(list)}`,
    commands: list.map((n) => `show ssl cert ${n}`),
    everyMs: CERT_DETAILS_EVERY_MS,
    parse: (replies) => {
      // An unknown command or a refusal on the first one is the whole chunk's error.
      checkReply(`show ssl cert ${list[0] ?? ""}`, replies[0] ?? "");
      return parseSslCertDetails(list, replies);
    },
  };
}

/** What each crt-list (or `crt` directory) holds: certificate names by list. */
export type CrtListContents = Map<string, string[]>;

/** `show ssl crt-list <list>` for every list, refreshed every minute. */
export function crtListContentsQuery(lists: readonly string[]): ExtraQuery<CrtListContents> {
  const all = [...lists];
  return {
    key: `certs:crt-lists:${hashNames(all)}`,
    commands: all.map((l) => `show ssl crt-list ${l}`),
    everyMs: CERT_DETAILS_EVERY_MS,
    parse: (replies) => {
      const out: CrtListContents = new Map();
      all.forEach((list, i) => {
        try {
          out.set(list, parseCrtListEntries(checkReply(`show ssl crt-list ${list}`, replies[i] ?? "")).certs);
        } catch {
          /* one list refused: the others still tell */
        }
      });
      return out;
    },
  };
}
