import { HEADER_HEIGHT } from "./components/Header.js";

export const MIN_WIDTH = 80;
export const MIN_HEIGHT = 24;

/** Tab bar, status line and footer. */
const CHROME_ROWS = 3;

/**
 * The screen's layout arithmetic, in one place: every overlay is drawn at `bodyHeight` and its
 * scroll limits are computed from that same height (the help's last lines were unreachable when
 * the limit came from the terminal's height instead).
 */
export function screenLayout(size: { columns: number; rows: number }) {
  // The root is at most rows - 1 tall: a frame as tall as the terminal makes Ink clear and flicker.
  const height = Math.max(0, size.rows - 1);
  return {
    width: size.columns,
    height,
    bodyHeight: Math.max(0, height - HEADER_HEIGHT - CHROME_ROWS),
  };
}

/** Table rows (its header and three rows) kept visible above the column picker. */
const TABLE_ROWS_UNDER_PICKER = 4;

/** The most lines the column picker may take under a body of `bodyHeight`. */
export function pickerRoom(bodyHeight: number): number {
  return Math.max(0, bodyHeight - TABLE_ROWS_UNDER_PICKER);
}
