import type { StatRow } from "../../parse/stat.js";
import { bytes, compact } from "../../text/format.js";
import type { Cell, Column, Tone } from "../table/types.js";

/** Sum of the numeric fields present; null when none of them is (so "-" rather than a false 0). */
export function sumFields(stats: StatRow, ...fields: string[]): number | null {
  let total: number | null = null;
  for (const f of fields) {
    const v = stats[f];
    if (typeof v === "number") total = (total ?? 0) + v;
  }
  return total;
}

/** A field as a number or null (as `num`, without needing the whole entry). */
export function field(stats: StatRow, name: string): number | null {
  const v = stats[name];
  return typeof v === "number" ? v : null;
}

/** Bytes per second: "1.5K/s"; "-" while there is no baseline. */
export function bytesPerSec(n: number | null): string {
  return n === null || !Number.isFinite(n) ? "-" : `${bytes(n)}/s`;
}

/** A counter: `tone` when it is above zero ("5xx: 3" in red), plain otherwise. */
export function countCell(n: number | null, toneWhenPositive?: Tone): Cell {
  return toneWhenPositive && n !== null && n > 0
    ? { text: compact(n), tone: toneWhenPositive }
    : { text: compact(n) };
}

export interface NumberColumnOptions {
  width: number;
  priority: number;
  /** Tone of the cell when the value is above zero (errors, 5xx). */
  toneWhenPositive?: Tone;
}

/** A right-aligned, sortable numeric column shown with `compact`. */
export function numberColumn<R>(
  id: string,
  title: string,
  value: (row: R) => number | null,
  options: NumberColumnOptions,
): Column<R> {
  const { width, priority, toneWhenPositive } = options;
  return {
    id,
    title,
    width,
    priority,
    align: "right",
    cell: (row) => countCell(value(row), toneWhenPositive),
    sortValue: value,
  };
}

/** A right-aligned, sortable bytes-per-second column. */
export function bytesRateColumn<R>(
  id: string,
  title: string,
  value: (row: R) => number | null,
  options: { width: number; priority: number },
): Column<R> {
  return {
    id,
    title,
    width: options.width,
    priority: options.priority,
    align: "right",
    cell: (row) => ({ text: bytesPerSec(value(row)) }),
    sortValue: value,
  };
}

/** `key`, or `key~2`, `key~3`... when already taken (React needs unique keys; the input is not trusted). */
export function uniqueKey(seen: Set<string>, key: string): string {
  let k = key;
  for (let n = 2; seen.has(k); n++) k = `${key}~${n}`;
  seen.add(k);
  return k;
}
