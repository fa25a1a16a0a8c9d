import { useEffect, useState } from "react";
import type { BackendRow } from "./views/backends.js";

/** Keys of a burst (a paste, tmux send-keys) by character: Ink hands them over as one string. */
export const BURST_KEYS: Record<string, string> = {
  "\r": "enter",
  "\n": "enter",
  "\t": "tab",
  "\u007f": "backspace",
  "\b": "backspace",
  " ": "space",
};

export /** Backends with server rows in the visible window, one screen either side (so scrolling finds fresh data). */
function backendsNear(rows: BackendRow[], top: number, height: number): string[] {
  const names = new Set<string>();
  for (let i = Math.max(0, top - height); i < Math.min(rows.length, top + 2 * height); i++) {
    const r = rows[i]!;
    if (r.kind === "server") names.add(r.backend);
    else if (r.expanded) names.add(r.entry.name);
  }
  return [...names];
}

/** Now, ticking every `ms` (the header's "updated … ago"). */
export function useClock(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
