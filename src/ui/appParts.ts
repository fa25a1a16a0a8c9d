import { useEffect, useRef, useState } from "react";
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

/**
 * Now, for the header's "updated … ago", the retry countdown and the reload note: the time of each
 * render, so the poll's own frame shows the fresh age.
 *
 * The clock draws a frame of its own only when nothing else has drawn for a while: after 1.5 × `ms`
 * without a commit (a poll late, or a retry pending), then every `ms` while it stays quiet. With polls
 * arriving every interval it never draws, so a tick costs one frame, not two (the poll's and, half an
 * interval later, the clock's: Ink rebuilds the whole screen for each, docs/benchmarks.md).
 */
export function useClock(ms: number): number {
  const [, setTick] = useState(0);
  const clockDrew = useRef(false);
  // After every commit (a poll, a key, the clock's own), the quiet timer starts again.
  useEffect(() => {
    const quiet = clockDrew.current ? ms : Math.round(ms * QUIET_FACTOR);
    clockDrew.current = false;
    const t = setTimeout(() => {
      clockDrew.current = true;
      setTick((n) => n + 1);
    }, quiet);
    return () => clearTimeout(t);
  });
  return Date.now();
}

/** How many clock periods without a frame before the clock draws one (polls come every ~1 period). */
export const QUIET_FACTOR = 1.5;
