import type { Column, SortState } from "../table/types.js";
import { findColumn, sortableColumns } from "./sort.js";
import { TROUBLE_ID } from "./trouble.js";

/**
 * The column picker that `s` opens: the sortable columns of the view, the default order first,
 * instead of cycling through them one key press at a time. Pure: the App keeps a
 * {@link SortPickerState} in its overlay and feeds it keys with {@link sortPickerKey}.
 */
export interface SortChoice {
  id: string;
  /** As listed: the column's title, or "trouble first (default)". */
  title: string;
  /** The direction a first pick of this column sorts in (numbers and gauges: biggest first). */
  descending: boolean;
}

export interface SortPickerState {
  /** Index of the highlighted choice. */
  index: number;
}

export type SortPickerOutcome =
  | { kind: "move"; state: SortPickerState }
  | { kind: "close" }
  | { kind: "pick"; sort: SortState };

/** The choices for a view: its default sort first (when it has one), then every sortable column in order. */
export function sortChoices<R>(columns: readonly Column<R>[], defaultSort: SortState | null): SortChoice[] {
  const out: SortChoice[] = [];
  const seen = new Set<string>();
  const dflt = findColumn(columns, defaultSort?.columnId);
  if (dflt && defaultSort) {
    out.push({
      id: dflt.id,
      title: dflt.id === TROUBLE_ID ? "trouble first (default)" : `${dflt.title} (default)`,
      descending: defaultSort.descending,
    });
    seen.add(dflt.id);
  }
  for (const c of sortableColumns(columns)) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    out.push({ id: c.id, title: c.title, descending: c.descendingFirst ?? c.align === "right" });
  }
  return out;
}

/** The picker opened on the current sort (or the first choice). */
export function openSortPicker(choices: readonly SortChoice[], current: SortState | null): SortPickerState {
  const at = current ? choices.findIndex((c) => c.id === current.columnId) : -1;
  return { index: Math.max(0, at) };
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/**
 * One key in the picker (key names as src/ui/keys.ts gives them): ↑/↓/PgUp/PgDn/Home/End move,
 * Enter picks (picking the column already sorted on reverses it), Esc, `q` or `s` close, and any
 * other letter or digit jumps to the next column whose title starts with it.
 */
export function sortPickerKey(
  state: SortPickerState,
  choices: readonly SortChoice[],
  key: string,
  current: SortState | null,
  pageSize = 10,
): SortPickerOutcome {
  const last = Math.max(0, choices.length - 1);
  const move = (index: number): SortPickerOutcome => ({
    kind: "move",
    state: { index: clamp(index, 0, last) },
  });
  switch (key) {
    case "esc":
    case "q":
    case "s":
      return { kind: "close" };
    case "up":
      return move(state.index - 1);
    case "down":
      return move(state.index + 1);
    case "pageup":
      return move(state.index - pageSize);
    case "pagedown":
      return move(state.index + pageSize);
    case "home":
      return move(0);
    case "end":
      return move(last);
    case "enter": {
      const choice = choices[state.index];
      if (!choice) return { kind: "close" };
      const again = current !== null && current.columnId === choice.id;
      return {
        kind: "pick",
        sort: { columnId: choice.id, descending: again ? !current.descending : choice.descending },
      };
    }
  }
  if ([...key].length === 1 && /[\p{L}\p{N}]/u.test(key)) {
    const ch = key.toLowerCase();
    for (let step = 1; step <= choices.length; step++) {
      const i = (state.index + step) % choices.length;
      if (choices[i]!.title.toLowerCase().startsWith(ch)) return move(i);
    }
  }
  return { kind: "move", state };
}
