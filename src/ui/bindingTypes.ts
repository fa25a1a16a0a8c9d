import type { ActionName } from "../actions/level.js";
import type { SelectionKind } from "../actions/plan.js";
import type { PolicyContext } from "../actions/policy.js";
import type { ViewId } from "./views/index.js";

/** What kind of row the cursor is on; some keys apply only to some rows. */
export type RowKind = SelectionKind;

/** Where keys go: the views ("main") or the overlay on top, which owns every key while open. */
export type KeyScope =
  | "main"
  | "help"
  | "filter"
  | "confirm"
  | "prompt"
  | "running"
  | "detail"
  | "sort"
  /** The Runtime API prompt (`:`, src/ui/prompt/). */
  | "cli";

/** Everything a binding needs to decide whether it applies and whether it is allowed. */
export interface KeyContext extends PolicyContext {
  scope: KeyScope;
  view: ViewId;
  row: RowKind;
  /** The open confirmation offers "every backend with this server". */
  allBackends?: boolean;
  /** This target was opened from the fleet overview (several targets): `0` goes back. */
  fleet?: boolean;
}

export type Group = "General" | "Views" | "Navigation" | "Display" | "Actions" | "Dialogs";

export interface BindingSpec {
  keys: readonly string[];
  label: string;
  help: string;
  group: Group;
  /** Scopes it belongs to; "main" when absent. */
  scopes?: readonly KeyScope[];
  /** Views where it applies; all when absent. */
  views?: readonly ViewId[];
  /** Row kinds where it applies; any when absent. Such a binding acts on the selected row. */
  rows?: readonly RowKind[];
  /** The Runtime API action (or reload) it runs: its level and read-only rule come from policy.ts. */
  runs?: ActionName;
  /** Shown in the footer bar (the help lists every binding). */
  footer?: boolean;
  /** Applies only when the open dialog offers it (the `a` of a server action). */
  needsAllBackends?: boolean;
  /** Applies only to a target opened from the fleet overview. */
  needsFleet?: boolean;
}
