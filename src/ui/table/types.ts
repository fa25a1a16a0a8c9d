/** How a cell reads: mapped to colours by the table (and dropped under NO_COLOR). */
export type Tone = "good" | "bad" | "warn" | "dim" | "accent" | "none";

export interface Cell {
  /** Raw text; the table sanitises it (HAProxy data is untrusted) and fits it to the column. */
  text: string;
  tone?: Tone;
}

export interface Column<R> {
  id: string;
  title: string;
  /** Width in terminal cells (the grow column's minimum). */
  width: number;
  align?: "left" | "right";
  /** 0 = always shown; when the terminal is narrow the highest priorities are dropped first. */
  priority: number;
  /** Takes the width left over (the name column). */
  grow?: boolean;
  cell: (row: R) => Cell;
  /** Present when the column can be sorted on; null sorts last. */
  sortValue?: (row: R) => number | string | null;
}

export interface SortState {
  columnId: string;
  descending: boolean;
}
