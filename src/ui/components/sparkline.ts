const LEVELS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/**
 * The last `width` values as a sparkline, scaled to the largest of them; null (or not finite) is a
 * blank. Fewer values than `width` are padded on the left, so the newest is always at the right edge.
 */
export function sparkline(values: (number | null)[], width: number): string {
  const w = Math.max(0, Math.floor(width));
  if (w === 0) return "";
  const shown = values.slice(-w);
  let max = 0;
  for (const v of shown) if (v !== null && Number.isFinite(v) && v > max) max = v;
  const chars = shown.map((v) => {
    if (v === null || !Number.isFinite(v)) return " ";
    if (max <= 0 || v <= 0) return LEVELS[0]!;
    return LEVELS[Math.min(7, Math.round((v / max) * 7))]!;
  });
  return " ".repeat(w - chars.length) + chars.join("");
}
