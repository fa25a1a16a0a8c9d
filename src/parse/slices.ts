/**
 * Long parses run as generators that yield at safe points (every few hundred rows). The same
 * generator runs to its end at once for small inputs and tests (`runToEnd`), or in slices that give
 * the event loop a turn every ~SLICE_MS (`runSliced`), so that a huge or hostile reply never stops
 * the TUI from reading `q`, Ctrl-C or Esc while it is being parsed (issue 11, point 1).
 */

/** Longest stretch of parsing between two turns of the event loop, in ms. */
export const SLICE_MS = 10;

/** A parse that yields (nothing) now and then, and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Lets timers, I/O and key presses run before the next slice. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs every step at once (no yielding): for small inputs, sync callers and tests. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps, giving the event loop a turn whenever `sliceMs` of work has passed. */
export async function runSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let start = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - start >= sliceMs) {
      await yieldToLoop();
      start = performance.now();
    }
  }
}
