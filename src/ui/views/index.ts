/** The views of the TUI, in the order of their number keys (1..9) and tabs. */
export const VIEW_IDS = [
  "frontends",
  "backends",
  "sessions",
  "errors",
  "timeline",
  "tables",
  "maps",
  "certs",
  "process",
] as const;

/** The views that show a panel's extra data (src/ui/panels/): fetched only while open. */
export const PANEL_VIEW_IDS = ["tables", "maps", "certs", "process"] as const;
export type PanelViewId = (typeof PANEL_VIEW_IDS)[number];

export function isPanelView(view: ViewId): view is PanelViewId {
  return (PANEL_VIEW_IDS as readonly string[]).includes(view);
}

export type ViewId = (typeof VIEW_IDS)[number];

export const VIEW_TITLES: Record<ViewId, string> = {
  frontends: "Frontends",
  backends: "Backends",
  sessions: "Sessions",
  errors: "Errors",
  timeline: "Timeline",
  tables: "Tables",
  maps: "Maps/ACLs",
  certs: "Certs",
  process: "Process",
};

export function isViewId(value: string): value is ViewId {
  return (VIEW_IDS as readonly string[]).includes(value);
}

/** The view after `current` (before it with `step` -1), wrapping around. */
export function nextView(current: ViewId, step: 1 | -1 = 1): ViewId {
  const n = VIEW_IDS.length;
  return VIEW_IDS[(((VIEW_IDS.indexOf(current) + step) % n) + n) % n]!;
}
