/** Cursor moves over a list of row keys: the cursor is a key, so it stays on its row across refreshes. */
export type Move = "up" | "down" | "page-up" | "page-down" | "home" | "end";

/** The key the cursor lands on; an unknown or vanished key starts from the top. */
export function moveCursor(keys: string[], current: string | null, move: Move, page: number): string | null {
  if (keys.length === 0) return null;
  const at = current === null ? -1 : keys.indexOf(current);
  const i = Math.max(0, at);
  const last = keys.length - 1;
  const target = {
    up: i - 1,
    down: at < 0 ? 0 : i + 1,
    "page-up": i - page,
    "page-down": i + page,
    home: 0,
    end: last,
  }[move];
  return keys[Math.max(0, Math.min(last, target))] ?? null;
}

/** The cursor's key if its row still exists, else the first row's. */
export function validCursor(keys: string[], current: string | null): string | null {
  if (current !== null && keys.includes(current)) return current;
  return keys[0] ?? null;
}
