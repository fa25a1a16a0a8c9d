/**
 * The stick tables panel (src/ui/panels/tables.ts): the list with its fill gauge, a table's entries
 * with one column per stored data type (highest rate first), the key filter, the data filter kept
 * in the drill key (and the command built from it), the cap note, selections, and the `f` prompt.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTableDump, parseTableList } from "../../../../src/parse/table.js";
import type { ExtraResult } from "../../../../src/store/extras.js";
import { initialState, type MonitorState } from "../../../../src/store/state.js";
import { tablesPanel } from "../../../../src/ui/panels/tables.js";
import type { TablesRow } from "../../../../src/ui/panels/tablesColumns.js";
import { tableFilterPrompt } from "../../../../src/ui/panels/tablesFilter.js";
import {
  drillKey,
  MAX_TABLE_ENTRIES,
  parseDrill,
  TABLE_LIST_QUERY,
} from "../../../../src/ui/panels/tablesQueries.js";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";

const fixture = (f: string, v = "3.2.0") =>
  readFileSync(new URL(`../../../fixtures/haproxy-${v}/table-${f}.txt`, import.meta.url), "latin1");
const ok = <T>(value: T): ExtraResult<T> => ({ value, error: null, at: 1 });

/** A state whose extras answer the panel's queries for `drill` from the fixtures (or `dumps`). */
function stateFor(drill: string | null, dumps: Record<string, string> = {}): MonitorState {
  let state: MonitorState = {
    ...initialState("test", 1000),
    extras: { [TABLE_LIST_QUERY.key]: ok(parseTableList(fixture("list"))) },
  };
  for (const q of tablesPanel.queries({ state, drill })) {
    if (q.key === TABLE_LIST_QUERY.key) continue;
    const cmd = q.commands[0]!;
    const reply =
      dumps[cmd] ??
      fixture(cmd === "show table st_src" ? "st_src" : cmd.includes("data.") ? "st_src-filter" : "st_user");
    state = { ...state, extras: { ...state.extras, [q.key]: ok(q.parse([reply])) } };
  }
  return state;
}

const cellText = (
  built: { columns: { id: string; cell: (r: TablesRow) => { text: string } }[] },
  row: TablesRow,
  id: string,
) => built.columns.find((c) => c.id === id)!.cell(row).text;
const keys = (rows: TablesRow[]) => rows.map((r) => (r.kind === "entry" ? r.entry.key : r.table.name));

describe("the table list", () => {
  it("fetches `show table` only, lists every table with its fill gauge, fullest first", () => {
    const state = stateFor(null);
    expect(tablesPanel.queries({ state, drill: null }).map((q) => q.commands)).toEqual([["show table"]]);
    const built = tablesPanel.build({ state, drill: null }, MATCH_ALL, null);
    expect(built.columns.map((c) => c.id)).toEqual(["name", "type", "size", "used", "fill"]);
    expect(keys(built.rows)).toEqual(["st_user", "st_src", "st_empty"]);
    const user = built.rows[0]!;
    expect(cellText(built, user, "fill")).toMatch(/^█?▏?.*░+ 7\/1024$/);
    expect(built.tabExtra).toBe("3 tables");
    expect(tablesPanel.selection(user, { state, drill: null })).toEqual({ kind: "table", table: "st_user" });
    expect(tablesPanel.drillInto?.(user, { state, drill: null })).toBe("st_user");
  });

  it("a full table's gauge is red; the `/` filter works on names", () => {
    const state: MonitorState = {
      ...initialState("t", 1000),
      extras: {
        [TABLE_LIST_QUERY.key]: ok(
          parseTableList(
            "# table: full, type: ip, size:10, used:10\n# table: x, type: ip, size:10, used:1\n\n",
          ),
        ),
      },
    };
    const built = tablesPanel.build({ state, drill: null }, compileFilter("ful"), null);
    expect(keys(built.rows)).toEqual(["full"]);
    expect(built.columns.find((c) => c.id === "fill")!.cell(built.rows[0]!).tone).toBe("bad");
  });
});

describe("a table's entries", () => {
  it("key, expiry and one column per stored type; the first rate, highest first, by default", () => {
    const state = stateFor("st_src");
    const ctx = { state, drill: "st_src" };
    expect(tablesPanel.queries(ctx).map((q) => q.commands[0])).toEqual(["show table", "show table st_src"]);
    const built = tablesPanel.build(ctx, MATCH_ALL, null);
    expect(built.columns.map((c) => c.title)).toEqual([
      "KEY",
      "EXPIRES",
      "GPT0",
      "GPC0",
      "CONN_RATE/10s",
      "CONN_CUR",
      "HTTP_REQ_RATE/10s",
      "HTTP_ERR_RATE/10s",
      "BYTES_OUT_RATE/10s",
    ]);
    expect(built.defaultSort).toEqual({ columnId: "data:conn_rate", descending: true });
    expect(keys(built.rows)).toEqual(["127.0.0.3", "127.0.0.2", "127.0.0.1"]);
    expect(cellText(built, built.rows[1]!, "data:http_req_rate")).toBe("6");
    expect(built.tabExtra).toBe("st_src: 3/102k");
    expect(tablesPanel.selection(built.rows[1], ctx)).toEqual({
      kind: "table-entry",
      table: "st_src",
      key: "127.0.0.2",
    });
    expect(tablesPanel.drillInto?.(built.rows[1]!, ctx)).toBeNull();
  });

  it("sorts on any column the operator picks; a sort of the list falls back to the default", () => {
    const ctx = { state: stateFor("st_src"), drill: "st_src" };
    const byKey = tablesPanel.build(ctx, MATCH_ALL, { columnId: "key", descending: false });
    expect(keys(byKey.rows)).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3"]);
    const stale = tablesPanel.build(ctx, MATCH_ALL, { columnId: "fill", descending: true });
    expect(keys(stale.rows)).toEqual(["127.0.0.3", "127.0.0.2", "127.0.0.1"]);
  });

  it("the `/` filter matches keys as shown (escaped)", () => {
    const ctx = { state: stateFor("st_user"), drill: "st_user" };
    expect(keys(tablesPanel.build(ctx, compileFilter("smith"), null).rows)).toEqual(["bob smith"]);
    expect(keys(tablesPanel.build(ctx, compileFilter("caf\\xe9"), null).rows)).toEqual(["caf\udce9"]);
    const all = tablesPanel.build(ctx, MATCH_ALL, null);
    expect(all.rows).toHaveLength(7);
    const detail = tablesPanel.detail?.(
      all.rows.find((r) => r.kind === "entry" && r.entry.key === "tab\there"),
      { width: 100, bodyHeight: 20, showCapture: false },
      ctx,
    );
    expect(detail?.[0]).toContain("key tab\there");
  });

  it("a data filter is part of the drill key and of the command; the note says it", () => {
    const drill = drillKey({ table: "st_src", filter: { type: "http_req_rate", op: "gt", value: 4 } });
    expect(drill).toBe("st_src data.http_req_rate gt 4");
    expect(parseDrill(drill)).toEqual({
      table: "st_src",
      filter: { type: "http_req_rate", op: "gt", value: 4 },
    });
    const ctx = { state: stateFor(drill), drill };
    expect(tablesPanel.queries(ctx).map((q) => q.commands[0])).toEqual([
      "show table",
      "show table st_src data.http_req_rate gt 4",
    ]);
    const built = tablesPanel.build(ctx, MATCH_ALL, null);
    expect(keys(built.rows)).toEqual(["127.0.0.3", "127.0.0.2"]);
    expect(built.note).toContain("HAProxy filter: data.http_req_rate gt 4");
    // A drill key that does not parse sends nothing for the entries.
    for (const bad of ["a;b", "st_src data.x gt 1;show info", "st_src data.gpc0 gt"])
      expect(tablesPanel.queries({ state: ctx.state, drill: bad }).map((q) => q.commands[0])).toEqual([
        "show table",
      ]);
  });

  it("a table bigger than the cap is not dumped without a data filter; with one, capped", () => {
    const n = MAX_TABLE_ENTRIES + 5;
    const header = `# table: st_src, type: ip, size:102400, used:${n}`;
    const lines = Array.from(
      { length: n },
      (_, i) =>
        `0x${i.toString(16)}: key=10.0.${i >> 8}.${i & 255} use=0 exp=100 http_req_rate(10000)=${i % 7}`,
    );
    let state: MonitorState = {
      ...initialState("t", 1000),
      extras: { [TABLE_LIST_QUERY.key]: ok(parseTableList(`${header}\n\n`)) },
    };
    // No filter: only the list is fetched, and the view says why and what to do.
    expect(tablesPanel.queries({ state, drill: "st_src" }).map((q) => q.commands[0])).toEqual(["show table"]);
    const asked = tablesPanel.build({ state, drill: "st_src" }, MATCH_ALL, null);
    expect(asked.rows).toEqual([]);
    expect(asked.note).toBe(
      "st_src holds 10,005 entries, more than haptop reads per poll (10,000): press f for a data filter HAProxy applies (e.g. http_req_rate gt 10)",
    );
    expect(asked.noteTone).toBe("warn");
    // A filter that still matches more than the cap: the first 10,000, said so.
    const drill = "st_src data.http_req_rate ge 0";
    const [, q] = tablesPanel.queries({ state, drill });
    expect(q!.commands).toEqual(["show table st_src data.http_req_rate ge 0"]);
    state = {
      ...state,
      extras: { ...state.extras, [q!.key]: ok(q!.parse([`${header}\n${lines.join("\n")}\n\n`])) },
    };
    const built = tablesPanel.build({ state, drill }, MATCH_ALL, null);
    expect(built.rows).toHaveLength(MAX_TABLE_ENTRIES);
    expect(built.note).toContain("showing the first 10,000 of 10,005 entries");
    expect(built.tabExtra).toBe("st_src: 10000+/102k");
    expect(built.noteTone).toBe("warn");
  });

  it("errors and a user-level socket are said, not hidden", () => {
    const restricted = stateFor("st_src", { "show table st_src": fixture("user-st_src") });
    const r = tablesPanel.build({ state: restricted, drill: "st_src" }, MATCH_ALL, null);
    expect(r.rows).toEqual([]);
    expect(r.note).toContain("operator");
    expect(() => parseTableDump(fixture("nosuch"))).toThrow();
    const state = stateFor(null);
    const q = tablesPanel.queries({ state, drill: "gone" })[1]!;
    const failed = {
      ...state,
      extras: { ...state.extras, [q.key]: { value: null, error: "No such table", at: 1 } },
    };
    const built = tablesPanel.build({ state: failed, drill: "gone" }, MATCH_ALL, null);
    expect(built.emptyText).toBe("No such table");
    expect(built.noteTone).toBe("warn");
  });
});

describe("the data filter prompt (f)", () => {
  it("from the list: opens the table under the cursor with the filter; empty clears it", async () => {
    const state = stateFor("st_src");
    const applied: string[] = [];
    const prompt = tableFilterPrompt(state, null, { kind: "table", table: "st_src" }, (k) => applied.push(k));
    if ("error" in prompt) throw new Error(prompt.error);
    expect(prompt.current).toBe("none");
    expect(await prompt.submit("http_req_rate > 4")).toEqual({ error: "" });
    expect(await prompt.submit("  ")).toEqual({ error: "" });
    expect(applied).toEqual(["st_src data.http_req_rate gt 4", "st_src"]);
  });

  it("refuses a counter the table does not store (known from its entries) and bad input", async () => {
    const state = stateFor("st_src");
    const applied: string[] = [];
    const prompt = tableFilterPrompt(state, "st_src", { kind: null }, (k) => applied.push(k));
    if ("error" in prompt) throw new Error(prompt.error);
    expect(await prompt.submit("gpc1 gt 0")).toEqual({ error: expect.stringMatching(/does not store gpc1/) });
    expect(await prompt.submit("gpc0 gt 0; clear table st_src")).toHaveProperty("error", expect.any(String));
    expect(applied).toEqual([]);
    expect(tableFilterPrompt(state, null, { kind: null }, () => {})).toEqual({
      error: "select a stick table first",
    });
  });
});
