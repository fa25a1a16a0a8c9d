import type { BindingSpec } from "./bindingTypes.js";
import { OVERLAY_BINDINGS } from "./overlayBindings.js";

const server = { views: ["backends"], rows: ["server"], footer: true } as const;

/**
 * The one keymap registry: it drives key handling (each id has a handler in a
 * `Record<ActionId, Handler>`), the footer, the help overlay and the README. One key, one meaning
 * per context: no key is bound twice where both could apply.
 */
const VIEW_BINDINGS = {
  quit: {
    keys: ["q", "ctrl-c"],
    label: "quit",
    help: "Quit and restore the terminal",
    group: "General",
    footer: true,
  },
  help: { keys: ["?", "h"], label: "help", help: "Show every key", group: "General", footer: true },
  refresh: { keys: ["space"], label: "refresh", help: "Poll HAProxy now", group: "General" },
  pause: { keys: ["p"], label: "pause", help: "Pause or resume polling", group: "General", footer: true },
  faster: { keys: [">"], label: "poll faster", help: "Poll more often (interval −0.5 s)", group: "General" },
  slower: { keys: ["<"], label: "poll slower", help: "Poll less often (interval +0.5 s)", group: "General" },
  "next-view": { keys: ["tab"], label: "next view", help: "Next view", group: "Views" },
  "prev-view": { keys: ["shift-tab"], label: "prev view", help: "Previous view", group: "Views" },
  "view-frontends": { keys: ["1"], label: "frontends", help: "Frontends view", group: "Views" },
  "view-backends": { keys: ["2"], label: "backends", help: "Backends and servers view", group: "Views" },
  "view-sessions": { keys: ["3"], label: "sessions", help: "Live sessions (show sess)", group: "Views" },
  "view-errors": {
    keys: ["4"],
    label: "errors",
    help: "Captured protocol errors (show errors)",
    group: "Views",
  },
  "view-timeline": {
    keys: ["5"],
    label: "timeline",
    help: "Event timeline: state changes, reloads, restarts, actions",
    group: "Views",
  },
  "view-tables": {
    keys: ["6"],
    label: "tables",
    help: "Stick tables and their entries (show table)",
    group: "Views",
  },
  "view-maps": { keys: ["7"], label: "maps", help: "Maps and ACLs (show map, show acl)", group: "Views" },
  "view-certs": {
    keys: ["8"],
    label: "certs",
    help: "Certificates by expiry (show ssl cert)",
    group: "Views",
  },
  "view-process": {
    keys: ["9"],
    label: "process",
    help: "The process: show info, threads, pools, the master's workers",
    group: "Views",
  },
  up: { keys: ["up"], label: "up", help: "Move the cursor up", group: "Navigation" },
  down: { keys: ["down"], label: "down", help: "Move the cursor down", group: "Navigation" },
  "page-up": { keys: ["pageup"], label: "page up", help: "One screen up", group: "Navigation" },
  "page-down": { keys: ["pagedown"], label: "page down", help: "One screen down", group: "Navigation" },
  home: { keys: ["home", "g"], label: "top", help: "First row", group: "Navigation" },
  end: { keys: ["end", "G"], label: "bottom", help: "Last row", group: "Navigation" },
  expand: {
    keys: ["enter", "right"],
    label: "expand",
    help: "Expand or collapse the selected backend",
    group: "Navigation",
    views: ["backends"],
    rows: ["backend"],
  },
  capture: {
    keys: ["enter"],
    label: "capture",
    help: "Show or hide the selected error's capture",
    group: "Navigation",
    views: ["errors"],
  },
  "open-event": {
    keys: ["enter"],
    label: "full text",
    help: "Open the event's full text (every [ALERT] line, the whole reply) in a scrollable pane",
    group: "Navigation",
    views: ["timeline"],
    rows: ["event"],
    footer: true,
  },
  drill: {
    keys: ["enter", "right"],
    label: "open",
    help: "Open the selected stick table or map: its entries",
    group: "Navigation",
    views: ["tables", "maps"],
    rows: ["table", "map"],
    footer: true,
  },
  "drill-up": {
    keys: ["left", "backspace"],
    label: "back",
    help: "Back from a table's or map's entries to the list",
    group: "Navigation",
    views: ["tables", "maps"],
    footer: true,
  },
  collapse: {
    keys: ["left"],
    label: "collapse",
    help: "Collapse the backend (from a server: its backend)",
    group: "Navigation",
    views: ["backends"],
  },
  "expand-all": {
    keys: ["*"],
    label: "expand all",
    help: "Expand every backend, or collapse all when all are open",
    group: "Navigation",
    views: ["backends"],
  },
  filter: {
    keys: ["/"],
    label: "filter",
    help: "New filter by name (substring, or ~regex); Esc in it restores the previous one",
    group: "Display",
    footer: true,
  },
  "clear-filter": { keys: ["esc"], label: "clear filter", help: "Clear the filter", group: "Display" },
  sort: {
    keys: ["s"],
    label: "sort",
    help: "Pick the column to sort on (a small list; the default puts trouble first)",
    group: "Display",
    footer: true,
  },
  reverse: { keys: ["S"], label: "reverse", help: "Reverse the sort order", group: "Display" },
  columns: {
    keys: ["t"],
    label: "columns",
    help: "Next column set: status / traffic / http / errors",
    group: "Display",
    views: ["backends"],
    footer: true,
  },
  maint: {
    keys: ["d"],
    label: "maint",
    help: "Put the server in maintenance (set server … state maint)",
    group: "Actions",
    runs: "set-server-state",
    ...server,
  },
  drain: {
    keys: ["D"],
    label: "drain",
    help: "Drain the server: no new sessions (set server … state drain)",
    group: "Actions",
    runs: "set-server-state",
    ...server,
  },
  ready: {
    keys: ["e"],
    label: "enable",
    help: "Put the server back in service (set server … state ready)",
    group: "Actions",
    runs: "set-server-state",
    ...server,
  },
  weight: {
    keys: ["w"],
    label: "weight",
    help: "Set the server's weight (0 drains it)",
    group: "Actions",
    runs: "set-weight",
    ...server,
  },
  "weight-up": {
    keys: ["+"],
    label: "weight+",
    help: "Raise the server's weight by 10 %",
    group: "Actions",
    runs: "set-weight",
    ...server,
    footer: false,
  },
  "weight-down": {
    keys: ["-"],
    label: "weight−",
    help: "Lower the server's weight by 10 % (never below 1: drain with D)",
    group: "Actions",
    runs: "set-weight",
    ...server,
    footer: false,
  },
  "kill-session": {
    keys: ["k"],
    label: "kill",
    help: "Kill the selected session (shutdown session)",
    group: "Actions",
    views: ["sessions"],
    rows: ["session"],
    runs: "shutdown-session",
    footer: true,
  },
  "kill-server-sessions": {
    keys: ["K"],
    label: "kill all on server",
    help: "Kill every session of the selected session's server (shutdown sessions server)",
    group: "Actions",
    views: ["sessions"],
    rows: ["session"],
    runs: "shutdown-sessions-server",
    footer: true,
  },
  reload: {
    keys: ["r"],
    label: "reload",
    help: "Soft-reload HAProxy's configuration (validated first)",
    group: "Actions",
    runs: "reload",
    footer: true,
  },
  "clear-max": {
    keys: ["c"],
    label: "clear max",
    help: "Clear max counters (clear counters)",
    group: "Actions",
    runs: "clear-counters",
    footer: true,
  },
  "clear-all": {
    keys: ["C"],
    label: "clear all",
    help: "Clear all counters, totals too (clear counters all): breaks rates in other monitors",
    group: "Actions",
    runs: "clear-counters-all",
  },
} as const satisfies Record<string, BindingSpec>;

/** Views' bindings, then the overlays' own (overlayBindings.ts): one registry, one id type. */
export const REGISTRY = { ...VIEW_BINDINGS, ...OVERLAY_BINDINGS } as const;

/** Every action id: a closed type, so a handler table missing one fails to compile. */
export type ActionId = keyof typeof REGISTRY;

export type { BindingSpec, Group, KeyContext, KeyScope, RowKind } from "./bindingTypes.js";

export interface Binding extends BindingSpec {
  id: ActionId;
}

export const BINDINGS: readonly Binding[] = (Object.keys(REGISTRY) as ActionId[]).map((id) => ({
  id,
  ...(REGISTRY[id] as BindingSpec),
}));
