import { ENTRY_REF, entryRefs, findEntries, type MapEntry, type MapType } from "../parse/map.js";
import type { ActionName } from "./level.js";
import type { MapRef } from "./plan.js";

/**
 * The map and ACL commands, built from typed arguments (pure: what the dialog shows is what is
 * sent). A map is addressed by its `#<id>` only, never by its file name (HAProxy's text, untrusted);
 * an entry to delete or change by its `#<ref>` from `show map`, so exactly that entry is touched
 * (a key may be listed twice, and `del map <key>` would delete every copy).
 *
 * How HAProxy's CLI reads a line (cli.c, checked on 2.6–3.2): `;` ends a command, blanks (space,
 * tab) split arguments, `\` makes the next character literal. So `\`, `;` and space are escaped;
 * control bytes (newline ends the request), and `<<` (a line ending with it, escaped or not, opens
 * a payload and the CLI waits for more) are refused with the reason.
 */
export type MapChange =
  | { kind: "add"; map: MapRef; key: string; value: string | null }
  | { kind: "del"; map: MapRef; ref: string; key: string }
  | { kind: "set"; map: MapRef; ref: string; key: string; value: string };

export interface MapBuilt {
  action: ActionName;
  /** The changing command: what the dialog shows. */
  commands: string[];
  /** Read just before the change (add: the entries before, to tell the new entry from an old one). */
  before: string[];
  /** Read right after the change: the map's entries, to verify it. */
  verify: string[];
}

/** Why a key, value or reference cannot be sent; the dialog shows the message. */
export class MapInputError extends Error {
  override name = "MapInputError";
}

/** Longer keys and values are refused: commands and messages stay bounded. */
export const MAX_MAP_TEXT = 1024;

/** `#<id>` of a map or ACL, checked (a non-negative integer, as `show map` prints it). */
export function mapId(map: Pick<MapRef, "type" | "id">): string {
  if (map.type !== "map" && map.type !== "acl")
    throw new MapInputError(`unknown list type ${String(map.type)}`);
  if (!Number.isSafeInteger(map.id) || map.id < 0)
    throw new MapInputError(`invalid ${map.type} id ${map.id}`);
  return `#${map.id}`;
}

/** `show map #<id>` / `show acl #<id>`: the entries of one. */
export function showEntriesCommand(map: Pick<MapRef, "type" | "id">): string {
  return `show ${map.type} ${mapId(map)}`;
}

/** The two lists, in one request. */
export const MAP_LIST_COMMANDS = ["show map", "show acl"] as const;

/**
 * One argument for HAProxy's CLI: `\`, `;` and spaces escaped; refused when it cannot be sent
 * safely. `what` names it in the message ("key", "value", "pattern").
 */
export function escapeMapArg(text: string, what: string, opts: { spaces: boolean }): string {
  if (text === "") throw new MapInputError(`empty ${what}`);
  if (text.length > MAX_MAP_TEXT) throw new MapInputError(`${what} longer than ${MAX_MAP_TEXT} characters`);
  const control = /[\u0000-\u001f\u007f]/.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, "0");
    throw new MapInputError(
      `${what} holds a control character (\\x${code}): a line break or tab cannot be sent as data on the CLI`,
    );
  }
  if (text.includes("<<")) {
    throw new MapInputError(`${what} holds "<<": HAProxy's CLI would take it as the start of a payload`);
  }
  if (!opts.spaces && text.includes(" ")) {
    throw new MapInputError(
      `${what} holds a space: \`show map\` could not tell the key from its value (a map file cannot hold it either)`,
    );
  }
  return text.replace(/[\\; ]/g, (c) => `\\${c}`);
}

/** An entry's reference from `show map`, checked before it goes into a command. */
export function entryRef(ref: string): string {
  if (!ENTRY_REF.test(ref))
    throw new MapInputError(`invalid entry reference ${JSON.stringify(ref.slice(0, 40))}`);
  return `#${ref}`;
}

/** The commands of one change; throws MapInputError on what cannot be sent. */
export function buildMapChange(change: MapChange): MapBuilt {
  const { map } = change;
  const id = mapId(map);
  const show = showEntriesCommand(map);
  switch (change.kind) {
    case "add": {
      const key = escapeMapArg(change.key, map.type === "acl" ? "pattern" : "key", {
        spaces: map.type === "acl",
      });
      if (map.type === "acl") {
        return {
          action: "map-add-entry",
          commands: [`add acl ${id} ${key}`],
          before: [show],
          verify: [show],
        };
      }
      const value = escapeMapArg(change.value ?? "", "value", { spaces: true });
      return {
        action: "map-add-entry",
        commands: [`add map ${id} ${key} ${value}`],
        before: [show],
        verify: [show],
      };
    }
    case "del":
      return {
        action: "map-del-entry",
        commands: [`del ${map.type} ${id} ${entryRef(change.ref)}`],
        before: [],
        verify: [show],
      };
    case "set": {
      if (map.type !== "map") throw new MapInputError("an ACL pattern has no value to set");
      const value = escapeMapArg(change.value, "value", { spaces: true });
      return {
        action: "map-set-entry",
        commands: [`set map ${id} ${entryRef(change.ref)} ${value}`],
        before: [],
        verify: [show],
      };
    }
  }
}

/** What an entry reads as in a message: `key value` or the pattern. */
export function entryText(type: MapType, key: string, value: string | null): string {
  return type === "map" && value !== null ? `${key} ${value}` : key;
}

/**
 * Whether the map's entries read back after the change show it done: the new entry there (a
 * reference that was not there before, with that key and value), the deleted reference gone, the
 * reference holding the new value. `before`/`after` are `show map #<id>` replies.
 */
export function verifyMapChange(
  change: MapChange,
  before: string | undefined,
  after: string | undefined,
): { ok: boolean; message: string } {
  const type = change.map.type;
  const what = `${type} #${change.map.id}`;
  if (after === undefined || (after !== "" && !after.startsWith("0x"))) {
    return {
      ok: false,
      message: `not verified: ${showEntriesCommand(change.map)} answered ${JSON.stringify((after ?? "").split("\n", 1)[0])}`,
    };
  }
  switch (change.kind) {
    case "add": {
      const line = entryText(type, change.key, change.value);
      const old = before === undefined ? new Set<string>() : entryRefs(before);
      const found = findEntries(after, type, { line }).filter((e) => !old.has(e.ref.toLowerCase()));
      return found.length > 0
        ? { ok: true, message: `verified: ${line} is in ${what} (entry ${found[0]!.ref})` }
        : { ok: false, message: `accepted, but ${line} is not among the entries of ${what} read back` };
    }
    case "del": {
      const left = findEntries(after, type, { ref: change.ref });
      return left.length === 0
        ? { ok: true, message: `verified: entry ${change.ref} (${change.key}) is gone from ${what}` }
        : { ok: false, message: `accepted, but entry ${change.ref} is still in ${what}` };
    }
    case "set": {
      const [e] = findEntries(after, type, { ref: change.ref }) as (MapEntry | undefined)[];
      if (!e) return { ok: false, message: `accepted, but entry ${change.ref} is no longer in ${what}` };
      // A key shown with a space (added escaped) splits differently: its line still ends with the value.
      return e.value === change.value || `${e.key} ${e.value}`.endsWith(` ${change.value}`)
        ? { ok: true, message: `verified: ${change.key} → ${change.value} in ${what}` }
        : {
            ok: false,
            message: `accepted, but ${change.key} reads ${JSON.stringify(e.value)} in ${what}, not ${JSON.stringify(change.value)}`,
          };
    }
  }
}
