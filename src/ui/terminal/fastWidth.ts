import stringWidth from "string-width";

type Options = Parameters<typeof stringWidth>[1];

/**
 * Code points that join a grapheme cluster with their neighbours, or pair up: marks (variation
 * selectors included), format characters (ZWJ…), Hangul jamo, and everything outside the BMP
 * (emoji, regional-indicator flags), whole or as a lone surrogate. Text without any of them is one
 * grapheme per code unit (box drawing, blocks, arrows: haptop's gauges and sparklines).
 */
export const JOINING = /[\p{M}\p{Cf}\u1100-\u11ff\ud7b0-\ud7ff\u{10000}-\u{10ffff}]|[\ud800-\udfff]/u;

// string-width segments and runs Unicode regexps on every call: remember each grapheme's width.
const widths = new Map<string, number>();

/** The width of one grapheme cluster, as string-width gives it (cached; ASCII without lookup). */
export function graphemeWidth(grapheme: string): number {
  if (grapheme.length === 1) {
    const c = grapheme.charCodeAt(0);
    if (c >= 0x20 && c <= 0x7e) return 1;
  }
  let w = widths.get(grapheme);
  if (w === undefined) {
    w = stringWidth(grapheme);
    if (widths.size > 10_000) widths.clear();
    widths.set(grapheme, w);
  }
  return w;
}

/**
 * string-width with a fast path: text of single-code-unit graphemes and CSI escapes (what haptop's
 * screens are made of) is as wide as the sum of its characters' widths, each looked up once.
 * Anything else (joining characters, other escapes, options) goes to string-width, which segments
 * graphemes and runs Unicode regexps on every call: it was ~25 % of a tick's CPU at 1k servers
 * (docs/benchmarks.md). The build (scripts/inkPatches.ts) puts this in place of `string-width` for
 * Ink and the libraries it uses.
 */
export default function fastStringWidth(text: string, options?: Options): number {
  if (options !== undefined) return stringWidth(text, options);
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      width++;
      continue;
    }
    if (c === 0x1b) {
      if (text.charCodeAt(i + 1) !== 0x5b) return stringWidth(text);
      // CSI: parameters and intermediates up to a final byte in 0x40–0x7e.
      let j = i + 2;
      while (j < text.length) {
        const f = text.charCodeAt(j);
        if (f >= 0x40 && f <= 0x7e) break;
        j++;
      }
      i = j;
      continue;
    }
    if (c < 0xa0) return stringWidth(text);
    const ch = text[i] as string;
    if (JOINING.test(ch)) return stringWidth(text);
    width += graphemeWidth(ch);
  }
  return width;
}
