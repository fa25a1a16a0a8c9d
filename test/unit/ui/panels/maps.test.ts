/**
 * The maps and ACLs panel (src/ui/panels/maps.ts) on the replies of a real HAProxy 3.2
 * (test/fixtures/haproxy-3.2.0/): what it asks HAProxy for at the top level and inside a map, the
 * rows, the drill key, the selections the actions get (by id and reference), the local filter,
 * the cap note and the error notes.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { MapEntries } from "../../../../src/parse/map.js";
import type { ExtraQuery } from "../../../../src/store/extras.js";
import { initialState, type MonitorState } from "../../../../src/store/state.js";
import {
  entriesQuery,
  MAP_LIST_QUERY,
  type MapLists,
  mapsPanel,
  parseDrillKey,
} from "../../../../src/ui/panels/maps.js";
import type { PanelContext } from "../../../../src/ui/panels/types.js";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";

const fixture = (file: string) =>
  readFileSync(new URL(`../../../fixtures/haproxy-3.2.0/${file}`, import.meta.url), "latin1").replace(
    /\n$/,
    "",
  );

const LISTS = MAP_LIST_QUERY.parse([fixture("show-map.txt"), fixture("show-acl.txt")]) as MapLists;
const BLOCK = LISTS.maps.find((m) => m.file.endsWith("/block.map"))!;
const ACL = LISTS.acls.find((m) => m.file.endsWith("/blocked.acl"))!;

function stateWith(results: [ExtraQuery, unknown, string | null][]): MonitorState {
  const s = initialState("test", 1000);
  const extras = Object.fromEntries(results.map(([q, value, error]) => [q.key, { value, error, at: 1 }]));
  return { ...s, extras };
}

const ctxOf = (state: MonitorState, drill: string | null = null): PanelContext => ({ state, drill });

describe("the list of maps and ACLs", () => {
  const ctx = ctxOf(stateWith([[MAP_LIST_QUERY, LISTS, null]]));
  const built = mapsPanel.build(ctx, MATCH_ALL, null);

  it("asks for both lists, nothing else", () => {
    expect(mapsPanel.queries(ctxOf(initialState("t", 1000))).map((q) => q.commands)).toEqual([
      ["show map", "show acl"],
    ]);
  });

  it("one row per map then per ACL: type, id, file, entries, where used", () => {
    expect(built.columns.map((c) => c.title)).toEqual(["TYPE", "ID", "FILE", "ENTRIES", "USED AT", "VER"]);
    const cells = built.rows.map((r) => built.columns.map((c) => c.cell(r).text));
    expect(cells[0]).toEqual([
      "map",
      `#${BLOCK.id}`,
      BLOCK.file,
      "2",
      expect.stringMatching(/^haproxy\.cfg:\d+$/),
      "0",
    ]);
    expect(cells.filter((c) => c[0] === "map")).toHaveLength(3);
    const acl = cells.find((c) => c[2] === ACL.file)!;
    expect(acl.slice(0, 4)).toEqual(["acl", `#${ACL.id}`, ACL.file, "3"]);
    // An inline ACL has no file: its description says where it is.
    expect(cells.find((c) => c[0] === "acl" && c[2] === "(inline) acl 'src'")).toBeDefined();
    expect(built.tabExtra).toMatch(/^3 maps, \d+ ACLs$/);
  });

  it("the filter matches the type, the id, the file and the description", () => {
    const only = (text: string) => mapsPanel.build(ctx, compileFilter(text), null).rows.length;
    expect(only("block.map")).toBe(1);
    expect(only("blocked.acl")).toBe(1);
    expect(only("httpclient")).toBeGreaterThan(0);
    expect(only("nothing-like-this")).toBe(0);
  });

  it("a row is a map selection by id; Enter opens it", () => {
    const row = built.rows[0]!;
    expect(mapsPanel.selection(row, ctx)).toEqual({
      kind: "map",
      map: { type: "map", id: BLOCK.id, file: BLOCK.file },
    });
    expect(mapsPanel.drillInto!(row, ctx)).toBe(`map:${BLOCK.id}`);
    expect(parseDrillKey(`map:${BLOCK.id}`)).toEqual({ type: "map", id: BLOCK.id });
    expect(parseDrillKey("map:1;show")).toBeNull();
  });

  it("before the first answer, and when HAProxy refuses", () => {
    expect(mapsPanel.build(ctxOf(initialState("t", 1000)), MATCH_ALL, null).emptyText).toBe(
      "fetching show map, show acl…",
    );
    const failed = mapsPanel.build(
      ctxOf(stateWith([[MAP_LIST_QUERY, null, "HAProxy does not know the command show map"]])),
      MATCH_ALL,
      null,
    );
    expect(failed).toMatchObject({
      note: "HAProxy does not know the command show map",
      noteTone: "warn",
      rows: [],
    });
  });

  it("a refused list reply is the query's error, never an empty list", () => {
    expect(() => MAP_LIST_QUERY.parse(["Permission denied\n", ""])).toThrow(/Permission denied/);
    expect(() => MAP_LIST_QUERY.parse(["Unknown command: 'show map'\n", ""])).toThrow(/does not know/);
  });
});

describe("inside a map", () => {
  const drill = `map:${BLOCK.id}`;
  const q = entriesQuery(BLOCK, BLOCK.entryCount);
  const entries = q.parse([fixture("show-map-entries.txt")]) as MapEntries;
  const ctx = ctxOf(
    stateWith([
      [MAP_LIST_QUERY, LISTS, null],
      [q, entries, null],
    ]),
    drill,
  );
  const built = mapsPanel.build(ctx, MATCH_ALL, null);

  it("asks for the list and the map's entries by #id", () => {
    expect(mapsPanel.queries(ctx).map((x) => x.commands)).toEqual([
      ["show map", "show acl"],
      [`show map #${BLOCK.id}`],
    ]);
    expect(q.everyMs).toBeUndefined();
    expect(entriesQuery(BLOCK, 2_000_000).everyMs).toBe(10_000);
  });

  it("one row per entry in HAProxy's order: reference, key, value", () => {
    expect(built.columns.map((c) => c.title)).toEqual(["REF", "KEY", "VALUE"]);
    expect(built.rows.map((r) => built.columns.map((c) => c.cell(r).text).slice(1))).toEqual([
      ["10.77.0.1", "abuse"],
      ["10.77.0.0/16", "scanner"],
      ["127.0.0.2", "added at runtime"],
    ]);
    expect(built.tabExtra).toBe("3 in block.map");
    expect(built.note).toBeNull();
  });

  it("an entry's selection carries the map's id and the entry's reference", () => {
    const row = built.rows[0]!;
    expect(mapsPanel.selection(row, ctx)).toEqual({
      kind: "map-entry",
      map: { type: "map", id: BLOCK.id, file: BLOCK.file },
      entryId: entries.entries[0]!.ref,
      key: "10.77.0.1",
      value: "abuse",
    });
    expect(mapsPanel.drillInto!(row, ctx)).toBeNull();
    expect(mapsPanel.detail!(row, { width: 100, bodyHeight: 20, showCapture: false }, ctx)).toEqual([
      `${entries.entries[0]!.ref}  key 10.77.0.1  value abuse`,
    ]);
  });

  it("the filter is local, on key and value", () => {
    expect(mapsPanel.build(ctx, compileFilter("scanner"), null).rows).toHaveLength(1);
    expect(mapsPanel.build(ctx, compileFilter("~^10\\.77"), null).rows).toHaveLength(2);
    const none = mapsPanel.build(ctx, compileFilter("zzz"), null);
    expect(none.emptyText).toBe("no entry matches the filter");
    // No row under the cursor: `a` still knows which map it adds to.
    expect(mapsPanel.selection(undefined, ctx)).toEqual({
      kind: "map",
      map: { type: "map", id: BLOCK.id, file: BLOCK.file },
    });
  });

  it("sorts on key or value when asked, HAProxy's order otherwise", () => {
    const byValue = mapsPanel.build(ctx, MATCH_ALL, { columnId: "value", descending: false });
    expect(byValue.rows.map((r) => (r.kind === "entry" ? r.entry.value : ""))).toEqual([
      "abuse",
      "added at runtime",
      "scanner",
    ]);
  });

  it("a capped map says how much is shown", () => {
    const capped: MapEntries = { ...entries, total: 1_000_000, malformed: 2 };
    const c = mapsPanel.build(
      ctxOf(
        stateWith([
          [MAP_LIST_QUERY, LISTS, null],
          [q, capped, null],
        ]),
        drill,
      ),
      MATCH_ALL,
      null,
    );
    expect(c.note).toBe(
      "showing the first 3 of 1,000,000 entries (the filter searches those; re-read every 10 s); 2 lines not understood, skipped",
    );
    expect(c.tabExtra).toBe("1,000,000 in block.map");
  });

  it("an ACL's entries are patterns (no value column); an empty one says how to add", () => {
    const aq = entriesQuery(ACL, ACL.entryCount);
    const aclCtx = ctxOf(
      stateWith([
        [MAP_LIST_QUERY, LISTS, null],
        [aq, aq.parse([""]), null],
      ]),
      `acl:${ACL.id}`,
    );
    const b = mapsPanel.build(aclCtx, MATCH_ALL, null);
    expect(b.columns.map((c) => c.title)).toEqual(["REF", "PATTERN"]);
    expect(b.emptyText).toBe(`acl #${ACL.id} ${ACL.file} is empty (a adds an entry)`);
  });

  it("an unknown id (the map went away in a reload) is the note", () => {
    const err = "HAProxy answered show map #2 with: Unknown map identifier. Please use #<id> or <file>.";
    const gone = mapsPanel.build(
      ctxOf(
        stateWith([
          [MAP_LIST_QUERY, LISTS, null],
          [q, null, err],
        ]),
        drill,
      ),
      MATCH_ALL,
      null,
    );
    expect(gone).toMatchObject({ note: err, noteTone: "warn", emptyText: err });
    expect(() => q.parse([fixture("show-map-unknown.txt")])).toThrow(/Unknown map identifier/);
  });
});
