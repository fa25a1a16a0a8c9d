import type { Column } from "../table/types.js";

export interface LaidOutColumn<R> {
  column: Column<R>;
  width: number;
}

/** Width taken by `widths` plus one space between each two. */
function total(widths: number[]): number {
  if (widths.length === 0) return 0;
  return widths.reduce((sum, w) => sum + Math.max(0, w), 0) + widths.length - 1;
}

/** The name column never takes more than this share of the line while other columns need room. */
const NAME_MAX_SHARE = 0.5;

/**
 * Picks the columns that fit in `width` and their widths.
 *
 * The `grow` column (the name) is as wide as `content` says its longest visible cell is (never
 * less than its own `width` nor its title), so short names leave room for more columns and long
 * names are not cut while there is room. The column with the highest `priority` is dropped first
 * (on a tie, the rightmost) until the rest fits; priority 0 is never dropped. When even those do
 * not fit, the name is shrunk, down to its own `width`; past that the table cuts the line. The
 * name never takes more than half the line from columns that could be shown instead. Width left
 * over stays at the right edge: numbers stay next to the names they belong to.
 */
export function layoutColumns<R>(
  columns: Column<R>[],
  width: number,
  content?: (column: Column<R>) => number,
): LaidOutColumn<R>[] {
  const growAt = columns.findIndex((c) => c.grow === true);
  const grow = growAt >= 0 ? columns[growAt]! : undefined;
  const minName = grow ? Math.max(0, grow.width) : 0;
  const natural = grow ? Math.max(minName, [...grow.title].length, content ? content(grow) : 0) : 0;
  const wanted = grow ? Math.max(minName, Math.min(natural, Math.floor(width * NAME_MAX_SHARE))) : 0;
  const widthOf = (c: Column<R>) => (c === grow ? wanted : Math.max(0, c.width));

  const kept = dropUntilFits(columns, (k) => total(k.map(widthOf)) <= width);
  let nameWidth = wanted;
  if (grow) {
    const others = total(kept.filter((c) => c !== grow).map(widthOf)) + (kept.length > 1 ? 1 : 0);
    const room = width - others;
    // Room left after every kept column: the name may take it, up to its longest cell.
    nameWidth = Math.max(minName, Math.min(natural, room));
  }
  return kept.map((column) => ({ column, width: column === grow ? nameWidth : Math.max(0, column.width) }));
}

/**
 * Drops items until `fits` says the rest fit: the highest `priority` number first (the last of equals
 * first); priority 0 is never dropped. Used for table columns and header parts alike.
 */
export function dropUntilFits<T extends { priority: number }>(
  items: readonly T[],
  fits: (kept: T[]) => boolean,
): T[] {
  const kept = [...items];
  while (!fits(kept)) {
    let drop = -1;
    for (let i = 0; i < kept.length; i++) {
      const p = kept[i]!.priority;
      if (p > 0 && (drop < 0 || p >= kept[drop]!.priority)) drop = i;
    }
    if (drop < 0) break;
    kept.splice(drop, 1);
  }
  return kept;
}
