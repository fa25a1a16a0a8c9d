import type { Tone } from "../table/types.js";
import { dropUntilFits } from "./layout.js";

/**
 * One piece of a header line. Pieces are joined with two blanks; when the line is too narrow the
 * piece with the highest `priority` goes first (priority 0 stays), then a `shrink`able piece is cut
 * in its middle, so what matters most (the socket's level, 5xx/s) is never lost off the edge.
 */
export interface Part {
  key: string;
  /** Segments of the piece, each with its own tone (a label plain, a sparkline in colour). */
  segments: Segment[];
  priority: number;
  /** Index of the segment that may be cut in its middle (a long socket path). */
  shrink?: number;
}

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
}

export const GAP = 2;

export const partWidth = (p: Part) => p.segments.reduce((n, s) => n + [...s.text].length, 0);

export function lineWidth(parts: Part[]): number {
  if (parts.length === 0) return 0;
  return parts.reduce((n, p) => n + partWidth(p), 0) + GAP * (parts.length - 1);
}

/** "/run/haproxy/adm…n.sock": `text` cut to `width` in its middle (both ends carry meaning). */
export function middleEllipsis(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return width === 1 ? "…" : "";
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join("")}…${tail > 0 ? chars.slice(-tail).join("") : ""}`;
}

/** The parts that fit in `width`, in their order (see {@link Part}). */
export function fitParts(parts: Part[], width: number): Part[] {
  const kept = dropUntilFits(parts, (k) => lineWidth(k) <= width);
  const over = lineWidth(kept) - width;
  if (over <= 0) return kept;
  return kept.map((p) => {
    if (p.shrink === undefined) return p;
    const seg = p.segments[p.shrink]!;
    const w = Math.max(8, [...seg.text].length - over);
    const segments = p.segments.map((s, i) =>
      i === p.shrink ? { ...s, text: middleEllipsis(s.text, w) } : s,
    );
    return { ...p, segments };
  });
}
