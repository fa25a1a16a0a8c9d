import type { ObjectNames } from "../../actions/cliSession.js";
import type { Snapshot } from "../../model/snapshot.js";
import { isClean } from "../../text/sanitize.js";

/**
 * Tab completion for the Runtime API prompt. Pure: the line typed, the command words of the
 * socket's `help` (src/parse/help.ts) and the names known (proxies and servers from the snapshot,
 * tables and maps from `show table` / `show map` / `show acl`) in, the completed line out.
 */

/** Names a command's first argument can take, by kind. */
export interface CompletionNames extends ObjectNames {
  /** `backend/server`. */
  servers: string[];
  backends: string[];
  frontends: string[];
}

type ArgKind = "server" | "frontend" | "backend" | "table" | "map" | "acl";

/** What the first argument of a command names (the help's placeholders differ per release). */
const ARG_KIND: Readonly<Record<string, ArgKind>> = {
  "get weight": "server",
  "set weight": "server",
  "set server": "server",
  "enable server": "server",
  "disable server": "server",
  "enable health": "server",
  "disable health": "server",
  "enable agent": "server",
  "disable agent": "server",
  "del server": "server",
  "set maxconn server": "server",
  "shutdown sessions server": "server",
  "enable frontend": "frontend",
  "disable frontend": "frontend",
  "shutdown frontend": "frontend",
  "set maxconn frontend": "frontend",
  "show servers state": "backend",
  "show servers conn": "backend",
  "enable dynamic-cookie backend": "backend",
  "disable dynamic-cookie backend": "backend",
  "set dynamic-cookie-key backend": "backend",
  "show table": "table",
  "clear table": "table",
  "set table": "table",
  "show map": "map",
  "get map": "map",
  "add map": "map",
  "del map": "map",
  "set map": "map",
  "clear map": "map",
  "prepare map": "map",
  "show acl": "acl",
  "get acl": "acl",
  "add acl": "acl",
  "del acl": "acl",
  "clear acl": "acl",
  "prepare acl": "acl",
};

/** Commands known before `help` answered (or when it cannot): the ones names complete after. */
export const FALLBACK_COMMANDS: readonly string[][] = [
  ...Object.keys(ARG_KIND).map((k) => k.split(" ")),
  ["show", "info"],
  ["show", "stat"],
  ["show", "sess"],
  ["help"],
];

export const NO_NAMES: CompletionNames = {
  servers: [],
  backends: [],
  frontends: [],
  tables: [],
  maps: [],
  acls: [],
};

/** Proxy and server names of a snapshot (names with control characters are left out). */
export function namesFromSnapshot(snap: Snapshot | null, objects: Partial<CompletionNames> = {}) {
  const clean = (xs: string[]) => xs.filter((x) => x !== "" && isClean(x));
  return {
    ...NO_NAMES,
    ...objects,
    servers: clean(snap?.backends.flatMap((b) => b.servers.map((s) => `${b.name}/${s.name}`)) ?? []),
    backends: clean(snap?.backends.map((b) => b.name) ?? []),
    frontends: clean(snap?.frontends.map((f) => f.name) ?? []),
  };
}

const NAMES_OF: Record<ArgKind, keyof CompletionNames> = {
  server: "servers",
  frontend: "frontends",
  backend: "backends",
  table: "tables",
  map: "maps",
  acl: "acls",
};

/** A word as typed into the CLI: `\` before what HAProxy would otherwise split on. */
export function escapeWord(w: string): string {
  return w.replace(/[\\; \t]/g, (c) => `\\${c}`);
}

/** Where the last command of the line starts (after the last `;` not escaped). */
function lastCommandStart(text: string): number {
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === ";") start = i + 1;
  }
  return start;
}

/** The words of a command typed so far, and where its last (partial) word starts. */
function wordsOf(tail: string, offset: number): { words: string[]; partialAt: number } {
  const words: string[] = [];
  let word: string | null = null;
  let at = offset;
  for (let i = 0; i < tail.length; i++) {
    const c = tail[i]!;
    if (c === "\\" && i + 1 < tail.length) {
      if (word === null) at = offset + i;
      word = (word ?? "") + tail[++i];
    } else if (c === " " || c === "\t") {
      if (word !== null) words.push(word);
      word = null;
    } else {
      if (word === null) at = offset + i;
      word = (word ?? "") + c;
    }
  }
  if (word === null) return { words, partialAt: offset + tail.length };
  return { words: [...words, word], partialAt: at };
}

const commonPrefix = (xs: string[]) =>
  xs.reduce((p, x) => {
    let i = 0;
    while (i < p.length && i < x.length && p[i] === x[i]) i++;
    return p.slice(0, i);
  });

export interface Completion {
  /** The line completed (unchanged when nothing matches). */
  text: string;
  /** Every candidate when more than one matches (for display), else []. */
  candidates: string[];
}

/** Completes the last word of the line: a command word, or a command's first argument (a name). */
export function complete(text: string, commands: readonly string[][], names: CompletionNames): Completion {
  const start = lastCommandStart(text);
  const { words, partialAt } = wordsOf(text.slice(start), start);
  const partial = partialAt < text.length ? (words.pop() ?? "") : "";
  // A master CLI routing prefix (`@1`) is not part of the command.
  const typed = words.filter(
    (w, i) => !(w.startsWith("@") && words.slice(0, i).every((x) => x.startsWith("@"))),
  );
  const list = commands.length > 0 ? commands : FALLBACK_COMMANDS;
  const found = new Set<string>();
  for (const c of list) {
    if (c.length > typed.length && typed.every((w, i) => c[i] === w) && c[typed.length]!.startsWith(partial))
      found.add(c[typed.length]!);
  }
  const kind = ARG_KIND[typed.join(" ")];
  if (kind) for (const n of names[NAMES_OF[kind]]) if (n.startsWith(partial)) found.add(n);
  const candidates = [...found].sort();
  if (candidates.length === 0) return { text, candidates: [] };
  const head = text.slice(0, partialAt);
  if (candidates.length === 1) return { text: `${head}${escapeWord(candidates[0]!)} `, candidates: [] };
  const prefix = commonPrefix(candidates);
  return { text: prefix.length > partial.length ? head + escapeWord(prefix) : text, candidates };
}
