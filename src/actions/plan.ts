/** How a dialog is drawn (the UI's Tone, named here so the actions never import the UI). */
export type Tone = "good" | "bad" | "warn" | "dim" | "accent" | "none";

/**
 * The contract between the TUI and the actions: what the cursor is on, the plans the controller
 * makes, and their outcomes. It lives with the actions (the UI imports it, never the reverse).
 */

/** What the cursor is on, for actions: stable names, never row indexes. One shape per row kind. */
export type Selection =
  | { kind: null }
  | { kind: "frontend" }
  | { kind: "backend"; backend: string }
  | ServerSelection
  | SessionSelection
  /** Sessions view grouped (top talkers): a source address and its sessions. */
  | { kind: "source-group"; source: string }
  /** Sessions view grouped by backend/server (both absent: sessions with no backend yet). */
  | { kind: "server-group"; backend?: string; server?: string }
  | { kind: "error" }
  | { kind: "event" }
  /** Stick tables view: a table, or one of its entries (the key as HAProxy printed it). */
  | { kind: "table"; table: string }
  | { kind: "table-entry"; table: string; key: string }
  /** Maps and ACLs view: a map or ACL file, or one of its entries. */
  | { kind: "map"; map: MapRef }
  | { kind: "map-entry"; map: MapRef; entryId: string; key: string; value: string | null }
  /** Certificates view. */
  | { kind: "cert"; cert: string }
  /** Process view: a worker of the master (`show proc`), or any other line of the view. */
  | { kind: "worker"; pid: number }
  | { kind: "info" };

/** A map or ACL as `show map` / `show acl` list it: addressed by `#<id>` in commands. */
export interface MapRef {
  type: "map" | "acl";
  /** HAProxy's unique id of the file (the `#<id>` form), a non-negative integer. */
  id: number;
  /** The file name or description HAProxy prints (untrusted text: shown, never sent). */
  file: string;
}

export interface ServerSelection {
  kind: "server";
  backend: string;
  server: string;
  /** Backends that have a server of the same name (for "apply to every backend"). */
  sameNameBackends: string[];
}

export interface SessionSelection {
  kind: "session";
  sessionId: string;
  /** The session's source address: HAProxy reuses stream ids, so a kill checks it still matches. */
  sessionSrc?: string;
  /** The session's backend and server, when it has them. */
  backend?: string;
  server?: string;
}

/** The kinds of row a selection can be on. */
export type SelectionKind = Selection["kind"];

/** The backend the selection belongs to (a backend, one of its servers, a session's), or null. */
export function selectedBackend(sel: Selection): string | null {
  return sel.kind === "backend" || sel.kind === "server" || sel.kind === "session"
    ? (sel.backend ?? null)
    : null;
}

/**
 * A mutating action ready to confirm. The dialog shows `notes` (what it will do, warnings) and
 * `commands`, the exact lines that `run` sends: both come from one built command, so what the user
 * confirms is what is sent.
 */
export interface ActionPlan {
  title: string;
  /** Plain-words consequences and warnings, shown above the commands. */
  notes: string[];
  /** The exact Runtime API lines (or process command lines) `run` sends. */
  commands: string[];
  tone: Tone;
  /** A second, explicit confirmation (clear counters all; a backend left with no server). */
  secondConfirm?: string;
  /** Offered in the dialog when the server exists in other backends too: `a` toggles it. */
  allBackends?: { enabled: boolean; count: number; toggle: () => ActionPlan };
  /** Runs it; `progress` shows steps while it runs. Resolves as soon as the outcome is known. */
  run: (progress: (line: string) => void) => Promise<ActionOutcome>;
}

/** Something that goes on after the outcome is known (an old process draining): a header badge. */
export interface BackgroundTask {
  /** The badge text, e.g. "old pid 8338 draining". */
  label: string;
  /** Settles when it is over (the controller records the end in the timeline). */
  done: Promise<unknown>;
}

export interface ActionOutcome {
  ok: boolean;
  message: string;
  background?: BackgroundTask;
}

/** Asks for a value before planning (e.g. the new weight). The input starts empty. */
export interface ValuePrompt {
  title: string;
  label: string;
  /** The current value, shown beside the input (typing replaces it, never appends to it). */
  current: string;
  submit: (value: string) => Promise<ActionPlan | { error: string }>;
}

export type Planned = ActionPlan | ValuePrompt | { error: string };

/** The bridge between keys and actions: the App plans and runs through it and never does I/O. */
export interface ActionController {
  /** Why reload cannot run here, or null. */
  reloadUnavailable: string | null;
  plan(actionId: PlannedActionId, sel: Selection): Promise<Planned>;
  /** Stops background work (following draining processes) when the TUI quits. */
  dispose?(): void;
}

/** The keymap ids the controller plans (the others are handled by the UI itself). */
export type PlannedActionId =
  | "clear-max"
  | "clear-all"
  | "reload"
  | "maint"
  | "ready"
  | "drain"
  | "weight"
  | "weight-up"
  | "weight-down"
  | "kill-session"
  | "kill-server-sessions"
  /** Server health controls (controllerHealth.ts). */
  | "health-toggle"
  | "agent-toggle"
  | "maxconn"
  /** Maps and ACLs view: add, delete, set an entry (controllerMaps.ts). */
  | "map-add"
  | "map-del"
  | "map-set"
  /** Stick tables view: clear an entry, set a gpt/gpc of an entry (controllerTables.ts). */
  | "table-clear-entry"
  | "table-set-entry";
