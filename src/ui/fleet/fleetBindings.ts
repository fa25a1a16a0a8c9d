import type { BindingSpec } from "../bindingTypes.js";

/**
 * The fleet overview's keys: its own small registry (the single-target views' keys do not apply
 * here), with the same shape, so the footer, the help and the README's key tables come from it.
 */
export const FLEET_REGISTRY = {
  "fleet-quit": { keys: ["q", "ctrl-c"], label: "quit", help: "Quit", group: "General", footer: true },
  "fleet-help": {
    keys: ["?", "h"],
    label: "help",
    help: "Show the fleet's keys",
    group: "General",
    footer: true,
  },
  "fleet-refresh": { keys: ["space"], label: "refresh", help: "Poll every target now", group: "General" },
  "fleet-overview": {
    keys: ["1"],
    label: "overview",
    help: "One row per load balancer",
    group: "Views",
    footer: true,
  },
  "fleet-backends": {
    keys: ["2"],
    label: "backends",
    help: "The same backends and servers side by side across targets (≠: not the same everywhere)",
    group: "Views",
    footer: true,
  },
  "fleet-up": { keys: ["up"], label: "up", help: "Move the cursor up", group: "Navigation" },
  "fleet-down": { keys: ["down"], label: "down", help: "Move the cursor down", group: "Navigation" },
  "fleet-page-up": { keys: ["pageup"], label: "page up", help: "One screen up", group: "Navigation" },
  "fleet-page-down": { keys: ["pagedown"], label: "page down", help: "One screen down", group: "Navigation" },
  "fleet-home": { keys: ["home", "g"], label: "top", help: "First row", group: "Navigation" },
  "fleet-end": { keys: ["end", "G"], label: "bottom", help: "Last row", group: "Navigation" },
  "fleet-open": {
    keys: ["enter"],
    label: "open",
    help: "Open the selected target in the full UI (0 there comes back)",
    group: "Navigation",
    footer: true,
  },
  "fleet-filter": {
    keys: ["/"],
    label: "filter",
    help: "Filter targets or backends by name",
    group: "Display",
    footer: true,
  },
  "fleet-clear": { keys: ["esc"], label: "clear", help: "Clear the filter; close a pane", group: "Display" },
  "fleet-reverse": {
    keys: ["S"],
    label: "reverse",
    help: "Reverse the order (trouble first by default)",
    group: "Display",
  },
} as const satisfies Record<string, BindingSpec>;

export type FleetActionId = keyof typeof FLEET_REGISTRY;

export const FLEET_BINDINGS: readonly (BindingSpec & { id: FleetActionId })[] = (
  Object.keys(FLEET_REGISTRY) as FleetActionId[]
).map((id) => ({ id, ...(FLEET_REGISTRY[id] as BindingSpec) }));

/** The fleet binding for a key name (src/ui/keys.ts), or null. */
export function fleetBindingFor(name: string): FleetActionId | null {
  return FLEET_BINDINGS.find((b) => b.keys.includes(name))?.id ?? null;
}
