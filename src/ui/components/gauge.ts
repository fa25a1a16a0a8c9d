import { compact } from "../../text/format.js";
import { fit as fitText } from "../../text/sanitize.js";
import type { Cell, Tone } from "../table/types.js";

export interface Gauge {
  /** Exactly `barWidth` cells: full blocks, one partial block, then `░`. */
  bar: string;
  /** "cur/max"; "-" for an unknown value or a max of 0 (no limit). */
  label: string;
  /**
   * A hard limit: good below 80 %, warn from 80 %, bad from 100 %. A reference (a backend's
   * fullconn): always neutral. None when max is unknown or 0.
   */
  tone: Tone;
  /** cur / max in percent (can exceed 100), null when max is unknown or 0. */
  pct: number | null;
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A bar filled to `fraction` (0..1) in eighths of a cell. */
function bar(fraction: number, width: number): string {
  if (width <= 0) return "";
  const f = Math.max(0, Math.min(1, fraction));
  let eighths = Math.round(f * width * 8);
  // Anything above zero shows, anything below full does not look full.
  if (f > 0 && eighths === 0) eighths = 1;
  if (f < 1 && eighths === width * 8) eighths -= 1;
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8]!;
  return "█".repeat(full) + part + "░".repeat(width - full - (part ? 1 : 0));
}

/**
 * What the max of a gauge is. `limit`: HAProxy refuses or queues beyond it (a frontend's or a
 * server's maxconn, the process's Maxconn), so reaching it is red. `reference`: a yardstick that
 * may be passed in normal operation (a backend's slim is its fullconn, which HAProxy derives as
 * 10 % of the frontends' maxconn by default): drawn neutral, never red.
 */
export type GaugeKind = "limit" | "reference";

/** A usage gauge for `cur` out of `max` (e.g. CurrConns/Maxconn, scur/slim). */
export function gauge(
  cur: number | null,
  max: number | null,
  barWidth: number,
  kind: GaugeKind = "limit",
): Gauge {
  const known = cur !== null && Number.isFinite(cur);
  const limited = max !== null && Number.isFinite(max) && max > 0;
  const label = `${known ? compact(cur) : "-"}/${limited ? compact(max) : "-"}`;
  const width = Math.max(0, Math.floor(barWidth));
  if (!known || !limited) {
    return { bar: "░".repeat(width), label, tone: "none", pct: null };
  }
  const pct = (cur / max) * 100;
  const tone: Tone = kind === "reference" ? "none" : pct >= 100 ? "bad" : pct >= 80 ? "warn" : "good";
  return { bar: bar(cur / max, width), label, tone, pct };
}

/** A gauge as one table cell, "█████░░░ 12/100" fitted to `width` (the bar goes when there is no room). */
export function gaugeCell(
  cur: number | null,
  max: number | null,
  width: number,
  kind: GaugeKind = "limit",
): Cell {
  const label = gauge(cur, max, 0).label;
  const barWidth = width - [...label].length - 1;
  const g = gauge(cur, max, Math.max(0, barWidth), kind);
  const text = barWidth >= 1 ? `${g.bar} ${g.label}` : g.label;
  return { text: fitText(text, width), tone: g.tone };
}

/** How full a gauge is, for sorting (fullest first): cur / max, or null without a max. */
export function fillRatio(cur: number | null, max: number | null): number | null {
  if (cur === null || max === null || !Number.isFinite(cur) || !Number.isFinite(max) || max <= 0) return null;
  return cur / max;
}
