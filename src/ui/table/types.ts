/** How a cell reads: mapped to colours by the table (and dropped under NO_COLOR). */
export type Tone = "good" | "bad" | "warn" | "dim" | "accent" | "none";

export interface Cell {
  /** Raw text; the table sanitises it (HAProxy data is untrusted) and fits it to the column. */
  text: string;
  tone?: Tone;
}

/** What a column sorts on: a number, a text, or a tuple compared element by element (null sorts last). */
export type SortValue = number | string | null | readonly number[];

export interface Column<R> {
  id: string;
  title: string;
  /** Width in terminal cells (the fit column's minimum). */
  width: number;
  align?: "left" | "right";
  /** 0 = always shown; when the terminal is narrow the highest priorities are dropped first. */
  priority: number;
  /**
   * The name column: as wide as its longest visible cell (at least `width`), shrunk only when
   * the columns that are always shown need the room.
   */
  grow?: boolean;
  cell: (row: R) => Cell;
  /** Present when the column can be sorted on; null sorts last. */
  sortValue?: (row: R) => SortValue;
  /** Sorting on this column starts descending (numbers, gauges: the biggest first). */
  descendingFirst?: boolean;
}

export interface SortState {
  columnId: string;
  descending: boolean;
}

/** Every row of every view has a stable key (the cursor follows it, never an index). */
export interface KeyedRow {
  key: string;
}

/** How the detail lines under a table are sized and whether the error capture is shown. */
export interface DetailLayout {
  width: number;
  bodyHeight: number;
  showCapture: boolean;
}
