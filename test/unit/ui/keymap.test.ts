import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BINDINGS,
  disabledReason,
  footerItems,
  helpGroups,
  type KeyContext,
  resolveKey,
} from "../../../src/ui/keymap.js";
import { replaceKeymapBlock } from "../../../src/ui/keymapDoc.js";

const ctx = (over: Partial<KeyContext> = {}): KeyContext => ({
  view: "backends",
  row: "server",
  level: "admin",
  readOnly: false,
  reloadUnavailable: null,
  ...over,
});

describe("keymap registry", () => {
  it("has no key bound twice in the same context", () => {
    const views = ["frontends", "backends", "sessions", "errors", "timeline"] as const;
    const rows = ["frontend", "backend", "server", "session", "error", "event", null] as const;
    for (const view of views) {
      for (const row of rows) {
        const c = ctx({ view, row });
        const seen = new Map<string, string[]>();
        for (const b of BINDINGS) {
          if ((b.views && !b.views.includes(view)) || (b.rows && !b.rows.includes(row))) continue;
          for (const k of b.keys) seen.set(k, [...(seen.get(k) ?? []), b.id]);
        }
        for (const [key, ids] of seen) {
          // Overlaps are allowed only when a more specific binding wins (e on a server row).
          if (ids.length > 1)
            expect(resolveKey(key, c)?.id, `${view}/${row} ${key}`).toBe(
              ids.find((id) => BINDINGS.find((b) => b.id === id)?.rows) ?? ids[0],
            );
        }
      }
    }
  });

  it("resolves context keys: e is ready on a server, expand all on a backend; + is weight on a server", () => {
    expect(resolveKey("e", ctx())?.id).toBe("ready");
    expect(resolveKey("e", ctx({ row: "backend" }))?.id).toBe("expand-all");
    expect(resolveKey("+", ctx())?.id).toBe("weight-up");
    expect(resolveKey("+", ctx({ view: "frontends", row: "frontend" }))?.id).toBe("faster");
    expect(resolveKey("k", ctx({ view: "sessions", row: "session" }))?.id).toBe("kill-session");
    expect(resolveKey("k", ctx({ view: "frontends", row: "frontend" }))).toBeNull();
  });

  it("says why an action is disabled: level, read-only, unavailable", () => {
    const clear = BINDINGS.find((b) => b.id === "clear-max")!;
    const maint = BINDINGS.find((b) => b.id === "maint")!;
    const reload = BINDINGS.find((b) => b.id === "reload")!;
    expect(disabledReason(clear, ctx({ level: "user" }))).toBe("needs operator level (socket is user)");
    expect(disabledReason(clear, ctx({ level: "operator" }))).toBeNull();
    expect(disabledReason(maint, ctx({ level: "operator" }))).toBe("needs admin level (socket is operator)");
    expect(disabledReason(maint, ctx({ readOnly: true }))).toBe("read-only mode");
    expect(disabledReason(reload, ctx({ reloadUnavailable: "no config" }))).toBe("no config");
    expect(
      disabledReason(BINDINGS.find((b) => b.id === "quit")!, ctx({ readOnly: true, level: "user" })),
    ).toBeNull();
  });

  it("drives the footer and the help from the same records", () => {
    const footer = footerItems(ctx({ level: "user" }));
    expect(footer.find((f) => f.label === "clear max")?.disabledReason).toMatch(/operator/);
    expect(footer.map((f) => f.label)).toContain("maint");
    expect(footerItems(ctx({ view: "frontends", row: "frontend" })).map((f) => f.label)).not.toContain(
      "maint",
    );
    const help = helpGroups(ctx()).flatMap((g) => g.items);
    expect(help).toHaveLength(BINDINGS.length);
  });

  it("every action key is a letter or symbol (F-keys cannot be told apart in Ink)", () => {
    for (const b of BINDINGS)
      expect(
        b.keys.some((k) => !/^f\d+$/i.test(k)),
        b.id,
      ).toBe(true);
  });
});

describe("README keybindings", () => {
  it("match the keymap registry (run npm run docs:keys after changing keys)", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(replaceKeymapBlock(readme)).toBe(readme);
  });
});
