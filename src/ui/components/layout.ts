import type { Column } from "../table/types.js";

export interface LaidOutColumn<R> {
  column: Column<R>;
  width: number;
}

/** Width taken by the fixed widths of `columns` plus one space between each two. */
function needed<R>(columns: Column<R>[]): number {
  if (columns.length === 0) return 0;
  return columns.reduce((sum, c) => sum + Math.max(0, c.width), 0) + columns.length - 1;
}

/**
 * Picks the columns that fit in `width` and their widths. The column with the highest `priority`
 * is dropped first (on a tie, the rightmost); priority 0 is never dropped, so on a very narrow
 * terminal the result can still be wider than `width` (the table cuts the line). The first `grow`
 * column takes what is left, never less than its own width. Order is kept.
 */
export function layoutColumns<R>(columns: Column<R>[], width: number): LaidOutColumn<R>[] {
  const kept = [...columns];
  while (needed(kept) > width) {
    let drop = -1;
    for (let i = 0; i < kept.length; i++) {
      const p = kept[i]!.priority;
      if (p > 0 && (drop < 0 || p >= kept[drop]!.priority)) drop = i;
    }
    if (drop < 0) break;
    kept.splice(drop, 1);
  }
  const spare = Math.max(0, width - needed(kept));
  const growAt = kept.findIndex((c) => c.grow === true);
  return kept.map((column, i) => ({
    column,
    width: Math.max(0, column.width) + (i === growAt ? spare : 0),
  }));
}
