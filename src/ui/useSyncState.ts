import { useReducer, useRef } from "react";

/**
 * State that a handler can read back at once: set() updates the value synchronously and schedules
 * a render. Ink hands every key of a fast burst (a paste, tmux send-keys, key repeat) to the same
 * input handler before React renders, so plain useState would make each key see stale state.
 */
export function useSyncState<T>(init: () => T): [T, () => T, (change: T | ((prev: T) => T)) => void] {
  const ref = useRef<{ value: T } | null>(null);
  if (ref.current === null) ref.current = { value: init() };
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const box = ref.current;
  const get = () => box.value;
  const set = (change: T | ((prev: T) => T)) => {
    box.value = typeof change === "function" ? (change as (prev: T) => T)(box.value) : change;
    rerender();
  };
  return [box.value, get, set];
}
