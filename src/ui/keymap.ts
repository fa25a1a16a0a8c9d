import { ACTION_REQUIREMENTS, mayRun, type Requirement } from "../actions/policy.js";
import { type ActionId, BINDINGS, type Binding, type Group, type KeyContext } from "./bindings.js";
import { keyLabel } from "./keys.js";

// The registry (data) is in bindings.ts; this module answers questions about it.
export {
  type ActionId,
  BINDINGS,
  type Binding,
  type Group,
  type KeyContext,
  type KeyScope,
  REGISTRY,
  type RowKind,
} from "./bindings.js";

export const bindingOf = (id: ActionId): Binding => BINDINGS.find((b) => b.id === id)!;

/** What running a binding needs (from the action it runs). */
export function requirementOf(b: Binding): Requirement {
  return b.runs ? ACTION_REQUIREMENTS[b.runs] : {};
}

/** Whether a binding applies here (scope, view, row); one that does not apply is not shown or run. */
export function applies(b: Binding, ctx: KeyContext): boolean {
  if (!(b.scopes ?? ["main"]).includes(ctx.scope)) return false;
  if (b.needsAllBackends && !ctx.allBackends) return false;
  if (b.needsFleet && !ctx.fleet) return false;
  if (ctx.scope !== "main") return true;
  return (!b.views || b.views.includes(ctx.view)) && (!b.rows || b.rows.includes(ctx.row));
}

/** Why a binding that applies cannot run (read-only, socket level, reload not set up), or null. */
export function disabledReason(b: Binding, ctx: KeyContext): string | null {
  return mayRun(requirementOf(b), ctx)?.message ?? null;
}

const specificity = (b: Binding) => (b.rows ? 2 : 0) + (b.views ? 1 : 0);

export type Resolution = { binding: Binding; disabled: string | null } | null;

/**
 * The binding for a key here. Only enabled bindings compete (the most specific wins), so a binding
 * disabled here never shadows an enabled one on the same key; when every candidate is disabled,
 * the most specific comes back with its reason.
 */
export function resolveKey(
  name: string,
  ctx: KeyContext,
  bindings: readonly Binding[] = BINDINGS,
): Resolution {
  const candidates = bindings
    .filter((b) => b.keys.includes(name) && applies(b, ctx))
    .sort((a, b) => specificity(b) - specificity(a));
  const enabled = candidates.find((b) => disabledReason(b, ctx) === null);
  if (enabled) return { binding: enabled, disabled: null };
  const first = candidates[0];
  return first ? { binding: first, disabled: disabledReason(first, ctx) } : null;
}

export interface FooterEntry {
  key: string;
  label: string;
  disabledReason: string | null;
}

/**
 * Footer items for this context: the actions on the selected row first (at 80 columns the bar is
 * cut from the end, so what applies to the row stays visible), then the other footer keys.
 */
export function footerItems(ctx: KeyContext): FooterEntry[] {
  const shown = BINDINGS.filter((b) => b.footer && applies(b, ctx));
  const onRow = shown.filter((b) => ctx.scope === "main" && b.rows);
  const rest = shown.filter((b) => !onRow.includes(b));
  return [...onRow, ...rest].map((b) => ({
    key: keyLabel(b.keys[0]!),
    label: b.label,
    disabledReason: disabledReason(b, ctx),
  }));
}

export const GROUP_ORDER: Group[] = ["General", "Views", "Navigation", "Display", "Actions", "Dialogs"];

/** Help overlay groups: every binding, with why it is disabled here. */
export function helpGroups(ctx: KeyContext) {
  const main = { ...ctx, scope: "main" as const };
  return GROUP_ORDER.map((title) => ({
    title,
    items: BINDINGS.filter((b) => b.group === title).map((b) => ({
      keys: b.keys.map(keyLabel),
      label: b.label,
      description: b.help,
      disabledReason: applies(b, main) ? disabledReason(b, main) : null,
    })),
  }));
}
