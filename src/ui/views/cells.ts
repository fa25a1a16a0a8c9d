import type { StatRow } from "../../parse/stat.js";
import { bytes, compact, duration } from "../../text/format.js";
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

/** A right-aligned, sortable column of one number, biggest first; `cell` draws the value. */
function valueColumn<R>(
  id: string,
  title: string,
  value: (row: R) => number | null,
  options: { width: number; priority: number },
  cell: (v: number | null) => Cell,
): Column<R> {
  return {
    id,
    title,
    width: options.width,
    priority: options.priority,
    align: "right",
    cell: (row) => cell(value(row)),
    sortValue: value,
    descendingFirst: true,
  };
}

/** A right-aligned, sortable numeric column shown with `compact`, toned when above zero. */
export function numberColumn<R>(
  id: string,
  title: string,
  value: (row: R) => number | null,
  options: NumberColumnOptions,
): Column<R> {
  return valueColumn(id, title, value, options, (v) => countCell(v, options.toneWhenPositive));
}

/** A right-aligned, sortable bytes-per-second column. */
export function bytesRateColumn<R>(
  id: string,
  title: string,
  value: (row: R) => number | null,
  options: { width: number; priority: number },
): Column<R> {
  return valueColumn(id, title, value, options, (v) => ({ text: bytesPerSec(v) }));
}

/** `key`, or `key~2`, `key~3`... when already taken (React needs unique keys; the input is not trusted). */
export function uniqueKey(seen: Set<string>, key: string): string {
  let k = key;
  for (let n = 2; seen.has(k); n++) k = `${key}~${n}`;
  seen.add(k);
  return k;
}

/** A per-second rate: "0", "0.5", "12", "1.2k"; "-" while there is no baseline or no such counter. */
export function rateText(n: number | null): string {
  return compact(n);
}

/** A percentage: "0%", "0.4%", "12%"; "-" without requests to divide by. */
export function pctText(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return "-";
  if (n === 0) return "0%";
  if (n < 0.1) return "<0.1%";
  return n < 10 ? `${n.toFixed(1)}%` : `${Math.round(n)}%`;
}

/** A right-aligned per-second column, toned when above zero ("5XX/S 2.5" in red), biggest first. */
export function rateColumn<R>(
  id: string,
  title: string,
  value: (row: R) => number | null,
  options: NumberColumnOptions,
): Column<R> {
  return numberColumn(id, title, value, options); // a rate is drawn like a count (rateText = compact)
}

/** A right-aligned percentage column ("5XX%": share of requests answered 5xx over the last poll). */
export function pctColumn<R>(
  id: string,
  title: string,
  value: (row: R) => number | null,
  options: NumberColumnOptions,
): Column<R> {
  const tone = options.toneWhenPositive;
  return valueColumn(id, title, value, options, (v) =>
    tone && v !== null && v > 0 ? { text: pctText(v), tone } : { text: pctText(v) },
  );
}

/**
 * Time since a state change, as coarse as an age in htop or k9s: seconds for the first minute, then
 * whole minutes ("3m", not "3m15s") up to an hour, then as `duration` ("1h2m", "2d3h"). A column of
 * seconds changes on every row every second: a frame's worth of work and terminal bytes for nothing
 * an operator reads (a change minutes ago is "minutes ago"). The sort still uses the exact seconds.
 */
export function sinceText(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec) || sec < 60 || sec >= 3600)
    return duration(sec);
  return `${Math.floor(sec / 60)}m`;
}

/** A right-aligned count with its max beside it ("3/12": qcur/qmax), sorted on the count. */
export function pairText(a: number | null, b: number | null, unit = ""): string {
  if (a === null && b === null) return "-";
  return `${compact(a)}/${compact(b)}${unit}`;
}
