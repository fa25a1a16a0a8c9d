import type { Tone } from "./table/types.js";

/** What the cursor is on, for actions: stable names, never row indexes. */
export interface Selection {
  kind: "frontend" | "backend" | "server" | "session" | "error" | "event" | null;
  backend?: string;
  server?: string;
  sessionId?: string;
  /** The session's source address: HAProxy reuses stream ids, so a kill checks it still matches. */
  sessionSrc?: string;
  /** Backends that have a server of the same name (for "apply to every backend"). */
  sameNameBackends?: string[];
}

/** A mutating action ready to confirm: the dialog shows `lines` (the exact command) before `run`. */
export interface ActionPlan {
  title: string;
  lines: string[];
  tone: Tone;
  /** A second confirmation, for actions that break things (clear counters all). */
  secondConfirm?: string;
  /** Offered in the dialog when the server exists in other backends too: `a` toggles it. */
  allBackends?: { enabled: boolean; count: number; toggle: () => ActionPlan };
  /** Runs it; `progress` shows steps while it runs (a reload's old process draining…). */
  run: (progress: (line: string) => void) => Promise<ActionOutcome>;
}

export interface ActionOutcome {
  ok: boolean;
  message: string;
}

/** Asks for a value before planning (e.g. the new weight). */
export interface ValuePrompt {
  title: string;
  label: string;
  initial: string;
  submit: (value: string) => Promise<ActionPlan | { error: string }>;
}

/** The bridge between keys and actions: the App plans and runs through it and never does I/O. */
export interface ActionController {
  /** Why reload cannot run here, or null. */
  reloadUnavailable: string | null;
  plan(actionId: string, sel: Selection): Promise<ActionPlan | ValuePrompt | { error: string }>;
}
