import { describe, expect, it } from "vitest";
import { initialState, reduceUi, type UiAction, type UiState } from "../../../src/ui/uiState.js";

/** The UI reducer, without rendering: each action, and that it never mutates the state it is given. */
const run = (...actions: UiAction[]) => actions.reduce(reduceUi, initialState());

/** Deep copy that keeps Sets (structuredClone does), to check the input was left untouched. */
const frozenCopy = (s: UiState) => structuredClone({ ...s, overlay: null });

describe("reduceUi", () => {
  it("drilling into a table's entries sets the list's filter and sort aside, and puts them back", () => {
    const listSort = { columnId: "used", descending: true };
    const inside = run(
      { type: "view", view: "tables" },
      { type: "sort", view: "tables", sort: listSort },
      { type: "filter-start" },
      { type: "filter-type", text: "http" },
      { type: "filter-apply" },
      { type: "cursor", key: "http_rate", scroll: 0 },
      { type: "drill", key: "http_rate" },
    );
    // The entries are other rows: a list filter "http" would hide every key that is an address.
    expect(inside.filter.tables).toBe("");
    expect(inside.sort.tables).toBeNull();
    const entriesFiltered = [inside, { type: "filter-start" }, { type: "filter-type", text: "10.0." }].reduce(
      (s, a) => reduceUi(s as UiState, a as UiAction),
    ) as UiState;
    // A data filter reopens the table (entries to entries): the entries' filter stays.
    const reopened = reduceUi(entriesFiltered, { type: "drill", key: "http_rate data.gpc0 gt 1" });
    expect(reopened.filter.tables).toBe("10.0.");
    const out = reduceUi(reopened, { type: "drill", key: null });
    expect(out.filter.tables).toBe("http");
    expect(out.sort.tables).toEqual(listSort);
    expect(out.cursor.tables).toBe("http_rate"); // the list's row, not the filtered reopening
    expect(out.drill.tables).toBeNull();
  });

  it("starts on frontends with no overlay, filter, sort or fold", () => {
    const s = initialState();
    expect(s.view).toBe("frontends");
    expect(s.overlay).toBeNull();
    expect(s.filter.backends).toBe("");
    expect(s.sort.frontends).toBeNull();
    expect(s.collapsed.size).toBe(0);
  });

  it("switches view and keeps each view's cursor and scroll", () => {
    const s = run(
      { type: "cursor", key: "fe/a", scroll: 3 },
      { type: "view", view: "backends" },
      { type: "cursor", key: "be/b", scroll: 7 },
      { type: "view", view: "frontends" },
    );
    expect(s.view).toBe("frontends");
    expect(s.cursor.frontends).toBe("fe/a");
    expect(s.scroll.frontends).toBe(3);
    expect(s.cursor.backends).toBe("be/b");
    expect(s.scroll.backends).toBe(7);
  });

  it("next-view steps forward and back, wrapping", () => {
    expect(run({ type: "next-view", step: 1 }).view).toBe("backends");
    expect(run({ type: "next-view", step: -1 }).view).toBe("process");
    expect(run({ type: "next-view", step: 1 }, { type: "next-view", step: -1 }).view).toBe("frontends");
  });

  it("filter-start opens an empty filter and remembers the previous one", () => {
    const s = run(
      { type: "filter-start" },
      { type: "filter-type", text: "web" },
      { type: "filter-apply" },
      { type: "filter-start" },
    );
    expect(s.overlay).toEqual({ kind: "filter", text: "", previous: "web" });
    expect(s.filter.frontends).toBe("");
  });

  it("filter-type applies live to the current view only and resets its cursor", () => {
    const s = run(
      { type: "cursor", key: "fe/a", scroll: 2 },
      { type: "filter-start" },
      { type: "filter-type", text: "ap" },
    );
    expect(s.filter.frontends).toBe("ap");
    expect(s.filter.backends).toBe("");
    expect(s.cursor.frontends).toBeNull();
    expect(s.overlay).toEqual({ kind: "filter", text: "ap", previous: "" });
  });

  it("filter-type without an open filter changes nothing", () => {
    const before = initialState();
    expect(reduceUi(before, { type: "filter-type", text: "x" })).toBe(before);
  });

  it("filter-cancel restores the previous filter and closes the line", () => {
    const s = run(
      { type: "filter-start" },
      { type: "filter-type", text: "old" },
      { type: "filter-apply" },
      { type: "filter-start" },
      { type: "filter-type", text: "new" },
      { type: "filter-cancel" },
    );
    expect(s.filter.frontends).toBe("old");
    expect(s.overlay).toBeNull();
  });

  it("filter-apply keeps the typed filter, closes the line and resets the cursor", () => {
    const s = run(
      { type: "filter-start" },
      { type: "filter-type", text: "web" },
      { type: "cursor", key: "fe/web", scroll: 0 },
      { type: "filter-apply" },
    );
    expect(s.filter.frontends).toBe("web");
    expect(s.overlay).toBeNull();
    expect(s.cursor.frontends).toBeNull();
  });

  it("filter-clear empties the current view's filter only", () => {
    const s = run(
      { type: "filter-start" },
      { type: "filter-type", text: "a" },
      { type: "filter-apply" },
      { type: "view", view: "backends" },
      { type: "filter-start" },
      { type: "filter-type", text: "b" },
      { type: "filter-apply" },
      { type: "filter-clear" },
    );
    expect(s.filter.backends).toBe("");
    expect(s.filter.frontends).toBe("a");
  });

  it("sort sets one view's sort; reverse-sort flips it, or the default when none", () => {
    const byName = { columnId: "name", descending: false };
    let s = run({ type: "sort", view: "backends", sort: byName });
    expect(s.sort.backends).toEqual(byName);
    expect(s.sort.frontends).toBeNull();
    s = reduceUi({ ...s, view: "backends" }, { type: "reverse-sort", fallback: null });
    expect(s.sort.backends).toEqual({ columnId: "name", descending: true });
    const fallback = { columnId: "rate", descending: true };
    expect(run({ type: "reverse-sort", fallback }).sort.frontends).toEqual({
      columnId: "rate",
      descending: false,
    });
    const none = initialState();
    expect(reduceUi(none, { type: "reverse-sort", fallback: null })).toBe(none);
  });

  it("folds: toggle-fold, collapse (cursor onto the backend), fold-all both ways", () => {
    let s = run({ type: "toggle-fold", key: "be/a" });
    expect([...s.collapsed]).toEqual(["be/a"]);
    s = reduceUi(s, { type: "toggle-fold", key: "be/a" });
    expect(s.collapsed.size).toBe(0);
    s = reduceUi(s, { type: "collapse", key: "be/b" });
    expect(s.collapsed.has("be/b")).toBe(true);
    expect(s.cursor.backends).toBe("be/b");
    s = reduceUi(s, { type: "fold-all", all: new Set(["be/x"]) });
    expect(s.collapsed.size).toBe(0); // something folded: unfold everything
    s = reduceUi(s, { type: "fold-all", all: new Set(["be/x", "be/y"]) });
    expect([...s.collapsed].sort()).toEqual(["be/x", "be/y"]);
  });

  it("toggle-capture, column-set and overlay", () => {
    expect(run({ type: "toggle-capture" }).showCapture).toBe(false);
    expect(run({ type: "column-set", columnSet: "traffic" }).columnSet).toBe("traffic");
    expect(run({ type: "overlay", overlay: { kind: "help", scroll: 2 } }).overlay).toEqual({
      kind: "help",
      scroll: 2,
    });
    expect(
      run({ type: "overlay", overlay: { kind: "help", scroll: 0 } }, { type: "overlay", overlay: null })
        .overlay,
    ).toBeNull();
  });

  it("never mutates the state it is given", () => {
    const before = run({ type: "toggle-fold", key: "be/a" }, { type: "cursor", key: "fe/a", scroll: 1 });
    const copy = frozenCopy(before);
    const actions: UiAction[] = [
      { type: "view", view: "errors" },
      { type: "cursor", key: "x", scroll: 9 },
      { type: "toggle-fold", key: "be/a" },
      { type: "collapse", key: "be/c" },
      { type: "fold-all", all: new Set(["be/z"]) },
      { type: "toggle-capture" },
      { type: "sort", view: "frontends", sort: { columnId: "name", descending: true } },
      { type: "filter-start" },
      { type: "filter-clear" },
    ];
    for (const a of actions) reduceUi(before, a);
    expect(frozenCopy(before)).toEqual(copy);
  });
});
