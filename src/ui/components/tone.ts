import type { Tone } from "../table/types.js";

/** Props for an Ink `<Text>` that give a tone its look. */
export interface ToneStyle {
  color?: string;
  dimColor?: boolean;
  bold?: boolean;
}

const COLOURS: Record<Tone, string | undefined> = {
  good: "green",
  bad: "red",
  warn: "yellow",
  dim: "gray",
  accent: "cyan",
  none: undefined,
};

/**
 * The Ink text style of a tone. Without colour (NO_COLOR), no colour is emitted: dim text is faint
 * and bad text bold, which are attributes, not colours.
 */
export function toneStyle(tone: Tone | undefined, color: boolean): ToneStyle {
  const t = tone ?? "none";
  if (color) {
    const c = COLOURS[t];
    return c === undefined ? {} : { color: c };
  }
  if (t === "dim") return { dimColor: true };
  if (t === "bad") return { bold: true };
  return {};
}
