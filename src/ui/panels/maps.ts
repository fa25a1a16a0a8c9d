import { MAP_LIST_COMMANDS, showEntriesCommand } from "../../actions/mapCommands.js";
import type { MapRef, Selection } from "../../actions/plan.js";
import { checkReply } from "../../client/socket.js";
import {
  MAP_ENTRY_LIMIT,
  type MapEntries,
  type MapEntry,
  type MapInfo,
  type MapType,
  parseMapEntries,
  parseMapList,
} from "../../parse/map.js";
import { type ExtraQuery, readExtra } from "../../store/extras.js";
import type { Column, SortState } from "../table/types.js";
import { numberColumn, uniqueKey } from "../views/cells.js";
import type { Filter } from "../views/filter.js";
import { findColumn, sortRows } from "../views/sort.js";
import type { Panel, PanelBuilt, PanelContext } from "./types.js";

/**
 * View 7, maps and ACLs: the lists (`show map`, `show acl`), and with Enter the entries of one
 * (`show map #<id>`), filtered locally, capped at MAP_ENTRY_LIMIT per poll. Addressed by `#<id>`
 * only; the actions (a, x, =) are planned in src/actions/controllerMaps.ts.
 */
export interface MapListRow {
  key: string;
  kind: "list";
  info: MapInfo;
}

export interface MapEntryRow {
  key: string;
  kind: "entry";
  map: MapRef;
  entry: MapEntry;
}

export type MapsRow = MapListRow | MapEntryRow;

export interface MapLists {
  maps: MapInfo[];
  acls: MapInfo[];
}

/** Both lists, every poll while the view is open (two short replies). */
export const MAP_LIST_QUERY: ExtraQuery<MapLists> = {
  key: "maps:list",
  commands: [...MAP_LIST_COMMANDS],
  parse: ([maps = "", acls = ""]) => ({
    maps: parseMapList(checkReply("show map", maps), "map"),
    acls: parseMapList(checkReply("show acl", acls), "acl"),
  }),
};

/** A huge map is re-read every 10 s, not every poll: HAProxy sends every entry each time. */
const HUGE_EVERY_MS = 10_000;

/** The entries of one map or ACL (its drill key is `map:<id>` / `acl:<id>`). */
export function entriesQuery(
  ref: { type: MapType; id: number },
  entryCount: number | null,
): ExtraQuery<MapEntries> {
  const command = showEntriesCommand(ref);
  return {
    key: `maps:entries:${ref.type}:${ref.id}`,
    commands: [command],
    parse: ([out = ""]) => parseMapEntries(checkReply(command, out), ref.type),
    everyMs: entryCount !== null && entryCount > MAP_ENTRY_LIMIT ? HUGE_EVERY_MS : undefined,
  };
}

/** The drill key of a list row, and back. */
export const drillKeyOf = (info: { type: MapType; id: number }) => `${info.type}:${info.id}`;
export function parseDrillKey(key: string | null): { type: MapType; id: number } | null {
  const m = key ? /^(map|acl):(\d{1,10})$/.exec(key) : null;
  return m ? { type: m[1] as MapType, id: Number(m[2]) } : null;
}

function lists(ctx: PanelContext) {
  return readExtra<MapLists>(ctx.state.extras, MAP_LIST_QUERY);
}

/** The opened map's line of the list, and its reference for commands. */
function opened(ctx: PanelContext): { ref: MapRef; info: MapInfo | null } | null {
  const d = parseDrillKey(ctx.drill);
  if (!d) return null;
  const l = lists(ctx)?.value;
  const info = (d.type === "map" ? l?.maps : l?.acls)?.find((m) => m.id === d.id) ?? null;
  return { ref: { ...d, file: info?.file || info?.description || "" }, info };
}

/** The file, or for an ACL written in the configuration what it matches (USED AT says where). */
const fileText = (m: MapInfo) =>
  m.file || `(inline) ${m.description.replace(/ file '[^']*' line \d+\.?$/, "")}`;
const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
const plural = (n: number, w: string) => `${n.toLocaleString("en-US")} ${w}${n === 1 ? "" : "s"}`;

const listColumns: Column<MapsRow>[] = [
  {
    id: "type",
    title: "TYPE",
    width: 4,
    priority: 0,
    cell: (r) => ({ text: r.kind === "list" ? r.info.type : "" }),
    sortValue: (r) => (r.kind === "list" ? r.info.type : null),
  },
  {
    id: "id",
    title: "ID",
    width: 4,
    align: "right",
    priority: 0,
    cell: (r) => ({ text: r.kind === "list" ? `#${r.info.id}` : "" }),
    sortValue: (r) => (r.kind === "list" ? [r.info.type === "map" ? 0 : 1, r.info.id] : null),
  },
  {
    id: "file",
    title: "FILE",
    width: 12,
    grow: true,
    priority: 0,
    cell: (r) =>
      r.kind === "list" ? { text: fileText(r.info), tone: r.info.file ? "none" : "dim" } : { text: "" },
    sortValue: (r) => (r.kind === "list" ? fileText(r.info) : null),
  },
  numberColumn<MapsRow>("entries", "ENTRIES", (r) => (r.kind === "list" ? r.info.entryCount : null), {
    width: 8,
    priority: 0,
  }),
  {
    id: "used",
    title: "USED AT",
    width: 16,
    priority: 2,
    cell: (r) => ({ text: r.kind === "list" ? (r.info.usedAt ?? "") : "" }),
    sortValue: (r) => (r.kind === "list" ? r.info.usedAt : null),
  },
  {
    id: "version",
    title: "VER",
    width: 5,
    align: "right",
    priority: 3,
    // A next version above the current one: entries are being prepared (prepare/commit map).
    cell: (r) =>
      r.kind === "list" && r.info.currVer !== null
        ? {
            text:
              r.info.nextVer !== r.info.currVer
                ? `${r.info.currVer}→${r.info.nextVer}`
                : String(r.info.currVer),
            tone: r.info.nextVer !== r.info.currVer ? "warn" : "dim",
          }
        : { text: "" },
  },
];

function entryColumns(type: MapType): Column<MapsRow>[] {
  const text = (f: (e: MapEntry) => string | null) => (r: MapsRow) =>
    r.kind === "entry" ? f(r.entry) : null;
  const key = text((e) => e.key);
  const value = text((e) => e.value);
  return [
    {
      id: "ref",
      title: "REF",
      width: 14,
      priority: 2,
      cell: (r) => ({ text: r.kind === "entry" ? r.entry.ref : "", tone: "dim" }),
    },
    {
      id: "key",
      title: type === "map" ? "KEY" : "PATTERN",
      width: 16,
      grow: true,
      priority: 0,
      cell: (r) => ({ text: key(r) ?? "" }),
      sortValue: key,
    },
    ...(type === "map"
      ? [
          {
            id: "value",
            title: "VALUE",
            width: 24,
            priority: 0,
            cell: (r: MapsRow) => ({ text: value(r) ?? "" }),
            sortValue: value,
          } satisfies Column<MapsRow>,
        ]
      : []),
  ];
}

function sorted(rows: MapsRow[], columns: Column<MapsRow>[], sort: SortState | null): MapsRow[] {
  const column = sort ? findColumn(columns, sort.columnId) : undefined;
  return sortRows(rows, column, sort?.descending ?? false);
}

function buildList(ctx: PanelContext, filter: Filter, sort: SortState | null): PanelBuilt<MapsRow> {
  const res = lists(ctx);
  const all = [...(res?.value?.maps ?? []), ...(res?.value?.acls ?? [])];
  const seen = new Set<string>();
  const rows: MapsRow[] = all
    .filter((m) => filter.match(`${m.type} #${m.id} ${m.file} ${m.description}`))
    .map((info) => ({ key: uniqueKey(seen, drillKeyOf(info)), kind: "list" as const, info }));
  const counts = res?.value
    ? `${plural(res.value.maps.length, "map")}, ${plural(res.value.acls.length, "ACL")}`
    : "";
  return {
    columns: listColumns,
    // HAProxy's order (by id), maps first: no sort label taking the tab bar's room.
    rows: sorted(rows, listColumns, sort),
    defaultSort: null,
    emptyText:
      res?.error ?? (res?.value ? "no map or ACL in this configuration" : "fetching show map, show acl…"),
    tabExtra: counts,
    note: res?.error ?? null,
    noteTone: res?.error ? "warn" : null,
  };
}

function buildEntries(ctx: PanelContext, filter: Filter, sort: SortState | null): PanelBuilt<MapsRow> {
  const open = opened(ctx)!;
  const { ref, info } = open;
  const res = readExtra<MapEntries>(ctx.state.extras, entriesQuery(ref, info?.entryCount ?? null));
  const value = res?.value ?? null;
  const seen = new Set<string>();
  const rows: MapsRow[] = (value?.entries ?? [])
    .filter((e) => filter.match(e.value === null ? e.key : `${e.key} ${e.value}`))
    .map((entry) => ({ key: uniqueKey(seen, `e:${entry.ref}`), kind: "entry" as const, map: ref, entry }));
  const columns = entryColumns(ref.type);
  const notes: string[] = [];
  if (res?.error) notes.push(res.error);
  if (value && value.total > value.entries.length) {
    notes.push(
      `showing the first ${value.entries.length.toLocaleString("en-US")} of ${value.total.toLocaleString("en-US")} entries` +
        ` (the filter searches those; re-read every ${HUGE_EVERY_MS / 1000} s)`,
    );
  }
  if (value && value.malformed > 0) notes.push(`${plural(value.malformed, "line")} not understood, skipped`);
  const name = `${ref.type} #${ref.id}${ref.file ? ` ${ref.file}` : ""}`;
  // The tab bar has ~20 columns left at 120: the file's base name there (the id when inline).
  const short = info?.file ? baseName(info.file) : `${ref.type} #${ref.id}`;
  return {
    columns,
    rows: sorted(rows, columns, sort),
    defaultSort: null,
    emptyText:
      res?.error ??
      (value
        ? filter.label
          ? "no entry matches the filter"
          : `${name} is empty (a adds an entry)`
        : `fetching ${showEntriesCommand(ref)}…`),
    // The count first: a long file name is what the tab bar cuts.
    tabExtra: value ? `${value.total.toLocaleString("en-US")} in ${short}` : short,
    note: notes.length ? notes.join("; ") : null,
    noteTone: res?.error ? "warn" : notes.length ? "dim" : null,
  };
}

export const mapsPanel: Panel<MapsRow> = {
  view: "maps",
  queries: (ctx) => {
    const open = opened(ctx);
    return open ? [MAP_LIST_QUERY, entriesQuery(open.ref, open.info?.entryCount ?? null)] : [MAP_LIST_QUERY];
  },
  build: (ctx, filter, sort) =>
    opened(ctx) ? buildEntries(ctx, filter, sort) : buildList(ctx, filter, sort),
  selection: (row, ctx): Selection => {
    if (row?.kind === "list") {
      const { type, id, file, description } = row.info;
      return { kind: "map", map: { type, id, file: file || description } };
    }
    if (row?.kind === "entry") {
      return {
        kind: "map-entry",
        map: row.map,
        entryId: row.entry.ref,
        key: row.entry.key,
        value: row.entry.value,
      };
    }
    // An opened map with no entry (or none matching): actions still know which map (a adds to it).
    const open = opened(ctx);
    return open ? { kind: "map", map: open.ref } : { kind: null };
  },
  detail: (row) => {
    if (row?.kind === "list") return [`${row.info.type} #${row.info.id}: ${row.info.description}`];
    if (row?.kind === "entry") {
      const e = row.entry;
      return [`${e.ref}  ${e.value === null ? `pattern ${e.key}` : `key ${e.key}  value ${e.value}`}`];
    }
    return [];
  },
  drillInto: (row) => (row.kind === "list" ? drillKeyOf(row.info) : null),
};
