import { FLEET_BINDINGS } from "./fleet/fleetBindings.js";
import { BINDINGS, GROUP_ORDER, requirementOf } from "./keymap.js";
import { keyLabel } from "./keys.js";

export const KEYS_START = "<!-- keys:start (generated from src/ui/keymap.ts by npm run docs:keys) -->";
export const KEYS_END = "<!-- keys:end -->";

const LEVEL_NOTE = { user: "", operator: "operator level", admin: "admin level" } as const;

/** The README's keybinding tables, generated from the keymap registry so they never drift. */
export function keymapMarkdown(): string {
  const out: string[] = [];
  for (const group of GROUP_ORDER) {
    out.push(`**${group}**`, "", "| key | action | where | needs |", "|---|---|---|---|");
    for (const b of BINDINGS.filter((x) => x.group === group)) {
      const keys = b.keys.map((k) => `\`${keyLabel(k).replace("|", "\\|")}\``).join(" ");
      const scopes = b.scopes ? `${b.scopes.join(", ")} ${b.scopes.length > 1 ? "overlays" : "dialog"}` : "";
      const where = [scopes, b.views?.join(", "), b.rows ? `${b.rows.filter(Boolean).join("/")} row` : ""]
        .filter(Boolean)
        .join(", ");
      const req = requirementOf(b);
      const needs = [
        req.level ? LEVEL_NOTE[req.level] : "",
        req.mutating ? "confirmed; off in --read-only" : "",
      ]
        .filter(Boolean)
        .join("; ");
      out.push(`| ${keys} | ${b.help} | ${where || "everywhere"} | ${needs} |`);
    }
    out.push("");
  }
  // The fleet overview (several targets) has its own small registry: src/ui/fleet/fleetBindings.ts.
  out.push(
    "**Fleet overview** (several targets; `0` in a target opened from it comes back)",
    "",
    "| key | action |",
    "|---|---|",
  );
  for (const b of FLEET_BINDINGS) {
    const keys = b.keys.map((k) => `\`${keyLabel(k).replace("|", "\\|")}\``).join(" ");
    out.push(`| ${keys} | ${b.help} |`);
  }
  out.push("");
  return out.join("\n");
}

/** Replaces the generated block between the markers of a README. */
export function replaceKeymapBlock(readme: string): string {
  const a = readme.indexOf(KEYS_START);
  const b = readme.indexOf(KEYS_END);
  if (a < 0 || b < a) throw new Error("README has no keymap markers");
  return `${readme.slice(0, a + KEYS_START.length)}\n\n${keymapMarkdown()}\n${readme.slice(b)}`;
}
