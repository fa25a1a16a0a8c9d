import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HANDLERS } from "../../../src/ui/handlers.js";
import {
  applies,
  BINDINGS,
  disabledReason,
  footerItems,
  helpGroups,
  type KeyContext,
  type KeyScope,
  REGISTRY,
  resolveKey,
} from "../../../src/ui/keymap.js";
import { replaceKeymapBlock } from "../../../src/ui/keymapDoc.js";
import { VIEW_IDS } from "../../../src/ui/views/index.js";

const ctx = (over: Partial<KeyContext> = {}): KeyContext => ({
  scope: "main",
  view: "backends",
  row: "server",
  level: "admin",
  readOnly: false,
  reloadUnavailable: null,
  ...over,
});

const ROWS = ["frontend", "backend", "server", "session", "error", "event", null] as const;
const SCOPES: KeyScope[] = [
  "main",
  "help",
  "filter",
  "confirm",
  "prompt",
  "running",
  "detail",
  "sort",
  "cli",
];

/** Every context a key can be pressed in. */
function* contexts(): Generator<KeyContext> {
  for (const scope of SCOPES)
    for (const view of VIEW_IDS)
      for (const row of ROWS)
        for (const allBackends of [false, true]) yield ctx({ scope, view, row, allBackends });
}

describe("keymap registry", () => {
  it("binds no key twice where both apply: one key, one meaning per context", () => {
    for (const c of contexts()) {
      const seen = new Map<string, string>();
      for (const b of BINDINGS.filter((x) => applies(x, c))) {
        for (const k of b.keys) {
          const other = seen.get(k);
          expect(other, `${c.scope}/${c.view}/${c.row}: ${k} is ${other} and ${b.id}`).toBeUndefined();
          seen.set(k, b.id);
        }
      }
    }
  });

  it("gives weight and poll interval different keys, and expand-all and enable", () => {
    const keysOf = (id: keyof typeof REGISTRY) => REGISTRY[id].keys as readonly string[];
    for (const k of keysOf("weight-up")) expect(keysOf("faster")).not.toContain(k);
    for (const k of keysOf("weight-down")) expect(keysOf("slower")).not.toContain(k);
    for (const k of keysOf("ready")) expect(keysOf("expand-all")).not.toContain(k);
  });

  it("never lets a disabled binding shadow an enabled one: the interval keys work in read-only on a server row", () => {
    for (const k of REGISTRY.faster.keys) {
      const r = resolveKey(k, ctx({ readOnly: true }));
      expect(r).toMatchObject({ binding: { id: "faster" }, disabled: null });
    }
  });

  it("resolves only enabled bindings, else reports the disabled reason", () => {
    // The rule on two bindings sharing a key: a row-specific admin action and a general one.
    const specific = { ...BINDINGS.find((b) => b.id === "weight-up")!, keys: ["x"] };
    const general = { ...BINDINGS.find((b) => b.id === "faster")!, keys: ["x"] };
    const both = [specific, general];
    expect(resolveKey("x", ctx(), both)?.binding.id).toBe("weight-up");
    expect(resolveKey("x", ctx({ readOnly: true }), both)).toMatchObject({
      binding: { id: "faster" },
      disabled: null,
    });
    expect(resolveKey("x", ctx({ level: "user" }), both)?.binding.id).toBe("faster");
    expect(resolveKey("x", ctx({ readOnly: true }), [specific])).toMatchObject({
      disabled: "read-only mode",
    });
    expect(resolveKey("+", ctx())).toMatchObject({ binding: { id: "weight-up" }, disabled: null });
    expect(resolveKey("+", ctx({ readOnly: true }))).toMatchObject({
      binding: { id: "weight-up" },
      disabled: "read-only mode",
    });
    expect(resolveKey("+", ctx({ view: "frontends", row: "frontend" }))).toBeNull();
    expect(resolveKey("k", ctx({ view: "sessions", row: "session" }))?.binding.id).toBe("kill-session");
    expect(resolveKey("k", ctx({ view: "frontends", row: "frontend" }))).toBeNull();
    expect(resolveKey("enter", ctx({ view: "timeline", row: "event" }))?.binding.id).toBe("open-event");
    expect(resolveKey("*", ctx({ row: "server" }))?.binding.id).toBe("expand-all");
    expect(resolveKey("e", ctx({ row: "backend" }))).toBeNull();
  });

  it("routes overlay keys through bindings of the overlay's own scope", () => {
    expect(resolveKey("y", ctx({ scope: "confirm" }))?.binding.id).toBe("confirm-yes");
    expect(resolveKey("esc", ctx({ scope: "confirm" }))?.binding.id).toBe("confirm-no");
    expect(resolveKey("a", ctx({ scope: "confirm" }))).toBeNull();
    expect(resolveKey("a", ctx({ scope: "confirm", allBackends: true }))?.binding.id).toBe("confirm-all");
    expect(resolveKey("esc", ctx({ scope: "running" }))?.binding.id).toBe("dismiss-running");
    expect(resolveKey("esc", ctx({ scope: "filter" }))?.binding.id).toBe("filter-cancel");
    expect(resolveKey("G", ctx({ scope: "help" }))?.binding.id).toBe("scroll-end");
    expect(resolveKey("q", ctx({ scope: "detail" }))?.binding.id).toBe("close-overlay");
    // Typed text is no binding: `d` in a prompt is a character, not maint.
    expect(resolveKey("d", ctx({ scope: "prompt" }))).toBeNull();
  });

  it("says why an action is disabled: level, read-only, unavailable (one policy)", () => {
    const b = (id: keyof typeof REGISTRY) => BINDINGS.find((x) => x.id === id)!;
    expect(disabledReason(b("clear-max"), ctx({ level: "user" }))).toBe(
      "needs operator level (socket is user)",
    );
    expect(disabledReason(b("clear-max"), ctx({ level: "operator" }))).toBeNull();
    expect(disabledReason(b("maint"), ctx({ level: "operator" }))).toBe(
      "needs admin level (socket is operator)",
    );
    expect(disabledReason(b("maint"), ctx({ readOnly: true }))).toBe("read-only mode");
    expect(disabledReason(b("reload"), ctx({ reloadUnavailable: "no config" }))).toBe("no config");
    expect(disabledReason(b("reload"), ctx({ level: "user" }))).toBeNull();
    expect(disabledReason(b("quit"), ctx({ readOnly: true, level: "user" }))).toBeNull();
  });

  it("puts the selected row's actions first in the footer", () => {
    const labels = footerItems(ctx()).map((f) => f.label);
    expect(labels.slice(0, 4)).toEqual(["maint", "drain", "enable", "weight"]);
    const sessions = footerItems(ctx({ view: "sessions", row: "session" })).map((f) => f.label);
    expect(sessions.slice(0, 2)).toEqual(["kill", "kill all on server"]);
    expect(footerItems(ctx({ view: "frontends", row: "frontend" })).map((f) => f.label)).not.toContain(
      "maint",
    );
    expect(footerItems(ctx({ level: "user" })).find((f) => f.label === "clear max")?.disabledReason).toMatch(
      /operator/,
    );
    expect(footerItems(ctx({ scope: "confirm", allBackends: true })).map((f) => f.label)).toEqual([
      "confirm",
      "cancel",
      "all backends",
    ]);
  });

  it("lists every binding in the help, overlay keys included", () => {
    const help = helpGroups(ctx()).flatMap((g) => g.items);
    expect(help).toHaveLength(BINDINGS.length);
    expect(help.map((h) => h.label)).toEqual(expect.arrayContaining(["confirm", "all backends", "hide"]));
  });

  it("has a handler for every id", () => {
    for (const b of BINDINGS) expect(typeof HANDLERS[b.id], b.id).toBe("function");
  });
});

describe("README keybindings", () => {
  it("match the keymap registry (run npm run docs:keys after changing keys)", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(replaceKeymapBlock(readme)).toBe(readme);
  });
});
