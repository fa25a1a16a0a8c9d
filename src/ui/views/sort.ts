import type { Column, SortValue } from "../table/types.js";

/** The column a view is sorted on (undefined: the natural order) and the direction. */
export interface RowSort<R> {
  column: Column<R> | undefined;
  descending: boolean;
}

// One collator for every comparison: much faster than String#localeCompare on large tables, same order.
// `numeric` puts "srv2" before "srv10", as operators number their servers.
const collator = new Intl.Collator(undefined, { numeric: true });

type Present = Exclude<SortValue, null>;

/** Tuples element by element (a shorter prefix first); numbers before strings; strings by locale. */
export function compareValues(a: Present, b: Present): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return collator.compare(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = (a[i] as number) - (b[i] as number);
      if (d !== 0 && !Number.isNaN(d)) return d;
    }
    return a.length - b.length;
  }
  const rank = (v: Present) => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);
  return rank(a) - rank(b);
}

const isNull = (v: SortValue): v is null => v === null || (typeof v === "number" && Number.isNaN(v));

/**
 * Returns a new array sorted on `column.sortValue`: stable (equal values keep their order), nulls
 * last in both directions. Without a column, or when it is not sortable, the order is kept.
 */
export function sortRows<R>(rows: readonly R[], column: Column<R> | undefined, descending: boolean): R[] {
  const sortValue = column?.sortValue;
  if (!sortValue || rows.length < 2) return rows.slice();
  // Each value is computed once, not once per comparison.
  const keyed = rows.map((row, index) => ({ row, index, value: sortValue(row) }));
  const sign = descending ? -1 : 1;
  keyed.sort((x, y) => {
    const xNull = isNull(x.value);
    const yNull = isNull(y.value);
    if (xNull || yNull) {
      if (xNull && yNull) return x.index - y.index;
      return xNull ? 1 : -1;
    }
    return sign * compareValues(x.value as Present, y.value as Present) || x.index - y.index;
  });
  return keyed.map((k) => k.row);
}

/** The columns that can be sorted on, in display order. */
export function sortableColumns<R>(columns: readonly Column<R>[]): Column<R>[] {
  return columns.filter((c) => c.sortValue !== undefined);
}

/** The column with this id, if any (to restore a {@link SortState} after the column set changed). */
export function findColumn<R>(
  columns: readonly Column<R>[],
  id: string | null | undefined,
): Column<R> | undefined {
  return id === null || id === undefined ? undefined : columns.find((c) => c.id === id);
}
