import type { CliLevel } from "../parse/level.js";
import { keyLabel } from "./keys.js";
import type { ViewId } from "./views/index.js";

/** What kind of row the cursor is on; some keys apply only to some rows. */
export type RowKind = "frontend" | "backend" | "server" | "session" | "error" | "event" | null;

/** Everything a binding needs to decide whether it applies and whether it is allowed. */
export interface KeyContext {
  view: ViewId;
  row: RowKind;
  level: CliLevel | null;
  readOnly: boolean;
  /** Why reload cannot run (no config found…), or null when it can. */
  reloadUnavailable: string | null;
}

export type Group = "General" | "Views" | "Navigation" | "Display" | "Actions";

export interface Binding {
  id: string;
  keys: string[];
  label: string;
  description: string;
  group: Group;
  /** Views where it applies; all when absent. */
  views?: ViewId[];
  /** Row kinds where it applies; any when absent. */
  rows?: RowKind[];
  /** Changes HAProxy: confirmed first, refused in read-only mode. */
  mutating?: boolean;
  /** Lowest socket level HAProxy accepts it at. */
  needs?: CliLevel;
  /** Shown in the footer bar (the help lists every binding). */
  footer?: boolean;
  /** A further reason it cannot run in this context. */
  unavailable?: (ctx: KeyContext) => string | null;
}

const RANK: Record<CliLevel, number> = { user: 0, operator: 1, admin: 2 };

/** The one keymap registry: it drives key handling, the footer, the help overlay and the README. */
export const BINDINGS: Binding[] = [
  {
    id: "quit",
    keys: ["q", "ctrl-c"],
    label: "quit",
    description: "Quit and restore the terminal",
    group: "General",
    footer: true,
  },
  {
    id: "help",
    keys: ["?", "h"],
    label: "help",
    description: "Show every key",
    group: "General",
    footer: true,
  },
  { id: "refresh", keys: ["space"], label: "refresh", description: "Poll HAProxy now", group: "General" },
  {
    id: "pause",
    keys: ["p"],
    label: "pause",
    description: "Pause or resume polling",
    group: "General",
    footer: true,
  },
  {
    id: "faster",
    keys: ["+", ">"],
    label: "faster",
    description: "Poll more often (−0.5 s; + changes the weight instead when a server is selected)",
    group: "General",
  },
  {
    id: "slower",
    keys: ["-", "<"],
    label: "slower",
    description: "Poll less often (+0.5 s; - changes the weight instead when a server is selected)",
    group: "General",
  },
  { id: "next-view", keys: ["tab"], label: "next view", description: "Next view", group: "Views" },
  { id: "prev-view", keys: ["shift-tab"], label: "prev view", description: "Previous view", group: "Views" },
  { id: "view-frontends", keys: ["1"], label: "frontends", description: "Frontends view", group: "Views" },
  {
    id: "view-backends",
    keys: ["2"],
    label: "backends",
    description: "Backends and servers view",
    group: "Views",
  },
  {
    id: "view-sessions",
    keys: ["3"],
    label: "sessions",
    description: "Live sessions (show sess)",
    group: "Views",
  },
  {
    id: "view-errors",
    keys: ["4"],
    label: "errors",
    description: "Captured protocol errors (show errors)",
    group: "Views",
  },
  {
    id: "view-timeline",
    keys: ["5"],
    label: "timeline",
    description: "Event timeline: state changes, reloads, actions",
    group: "Views",
  },
  { id: "up", keys: ["up"], label: "up", description: "Move the cursor up", group: "Navigation" },
  { id: "down", keys: ["down"], label: "down", description: "Move the cursor down", group: "Navigation" },
  { id: "page-up", keys: ["pageup"], label: "page up", description: "One screen up", group: "Navigation" },
  {
    id: "page-down",
    keys: ["pagedown"],
    label: "page down",
    description: "One screen down",
    group: "Navigation",
  },
  { id: "home", keys: ["home", "g"], label: "top", description: "First row", group: "Navigation" },
  { id: "end", keys: ["end", "G"], label: "bottom", description: "Last row", group: "Navigation" },
  {
    id: "expand",
    keys: ["enter", "right"],
    label: "expand",
    description: "Expand or collapse the selected backend (on an error: show its capture)",
    group: "Navigation",
    views: ["backends", "errors"],
  },
  {
    id: "collapse",
    keys: ["left"],
    label: "collapse",
    description: "Collapse the backend (from a server: its backend)",
    group: "Navigation",
    views: ["backends"],
  },
  {
    id: "expand-all",
    keys: ["e"],
    label: "expand all",
    description: "Expand every backend, or collapse all when all are open (on a backend row)",
    group: "Navigation",
    views: ["backends"],
    rows: ["backend", null],
    footer: true,
  },
  {
    id: "filter",
    keys: ["/"],
    label: "filter",
    description: "Filter by name (substring, or ~regex)",
    group: "Display",
    footer: true,
  },
  {
    id: "clear-filter",
    keys: ["esc"],
    label: "clear filter",
    description: "Clear the filter",
    group: "Display",
  },
  {
    id: "sort",
    keys: ["s"],
    label: "sort",
    description: "Sort by the next column",
    group: "Display",
    footer: true,
  },
  { id: "reverse", keys: ["S"], label: "reverse", description: "Reverse the sort order", group: "Display" },
  {
    id: "columns",
    keys: ["t"],
    label: "columns",
    description: "Next column set: status / traffic / http / errors",
    group: "Display",
    views: ["backends"],
    footer: true,
  },
  {
    id: "clear-max",
    keys: ["c"],
    label: "clear max",
    description: "Clear max counters (clear counters)",
    group: "Actions",
    mutating: true,
    needs: "operator",
    footer: true,
  },
  {
    id: "clear-all",
    keys: ["C"],
    label: "clear all",
    description: "Clear all counters, totals too (clear counters all): breaks rates in other monitors",
    group: "Actions",
    mutating: true,
    needs: "admin",
  },
  {
    id: "reload",
    keys: ["r"],
    label: "reload",
    description: "Soft-reload HAProxy's configuration (validated first)",
    group: "Actions",
    mutating: true,
    footer: true,
    unavailable: (ctx) => ctx.reloadUnavailable,
  },
  ...serverAction("maint", "d", "maint", "Put the server in maintenance (set server … state maint)"),
  ...serverAction("ready", "e", "ready", "Put the server back in service (set server … state ready)"),
  ...serverAction("drain", "D", "drain", "Drain the server: no new sessions (set server … state drain)"),
  ...serverAction("weight", "w", "weight", "Set the server's weight (set weight)"),
  ...serverAction("weight-up", "+", "weight +10%", "Raise the server's weight by 10 %"),
  ...serverAction("weight-down", "-", "weight -10%", "Lower the server's weight by 10 %"),
  {
    id: "kill-session",
    keys: ["k"],
    label: "kill",
    description: "Kill the selected session (shutdown session)",
    group: "Actions",
    views: ["sessions"],
    rows: ["session"],
    mutating: true,
    needs: "admin",
    footer: true,
  },
  {
    id: "kill-server-sessions",
    keys: ["K"],
    label: "kill all on server",
    description: "Kill every session of the selected session's server (shutdown sessions server)",
    group: "Actions",
    views: ["sessions"],
    rows: ["session"],
    mutating: true,
    needs: "admin",
  },
];

function serverAction(id: string, key: string, label: string, description: string): Binding[] {
  return [
    {
      id,
      keys: [key],
      label,
      description: `${description} — on a server row`,
      group: "Actions",
      views: ["backends"],
      rows: ["server"],
      mutating: true,
      needs: "admin",
      footer: id === "maint" || id === "ready" || id === "drain",
    },
  ];
}

/** Whether a binding applies here (view and row); one that does not apply is not shown or run. */
export function applies(b: Binding, ctx: KeyContext): boolean {
  return (!b.views || b.views.includes(ctx.view)) && (!b.rows || b.rows.includes(ctx.row));
}

/** Why a binding that applies cannot run, or null: read-only, socket level, missing setup. */
export function disabledReason(b: Binding, ctx: KeyContext): string | null {
  if (b.mutating && ctx.readOnly) return "read-only mode";
  if (b.needs && ctx.level && RANK[ctx.level] < RANK[b.needs])
    return `needs ${b.needs} level (socket is ${ctx.level})`;
  return b.unavailable?.(ctx) ?? null;
}

/**
 * The binding for a key here. Context-specific bindings win over general ones, so `e` on a server
 * row is "ready" and on a backend row "expand all", and `+` on a server changes its weight.
 */
export function resolveKey(name: string, ctx: KeyContext): Binding | null {
  const candidates = BINDINGS.filter((b) => b.keys.includes(name) && applies(b, ctx));
  candidates.sort((a, b) => specificity(b) - specificity(a));
  return candidates[0] ?? null;
}

const specificity = (b: Binding) => (b.rows ? 2 : 0) + (b.views ? 1 : 0);

/** Footer items for this context. */
export function footerItems(
  ctx: KeyContext,
): { key: string; label: string; disabledReason: string | null }[] {
  return BINDINGS.filter((b) => b.footer && applies(b, ctx)).map((b) => ({
    key: keyLabel(b.keys[0]!),
    label: b.label,
    disabledReason: disabledReason(b, ctx),
  }));
}

export const GROUP_ORDER: Group[] = ["General", "Views", "Navigation", "Display", "Actions"];

/** Help overlay groups: every binding, with why it is disabled here. */
export function helpGroups(ctx: KeyContext) {
  return GROUP_ORDER.map((title) => ({
    title,
    items: BINDINGS.filter((b) => b.group === title).map((b) => ({
      keys: b.keys.map(keyLabel),
      label: b.label,
      description: b.description,
      disabledReason: applies(b, ctx) ? disabledReason(b, ctx) : null,
    })),
  }));
}
