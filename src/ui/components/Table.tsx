import { Box, Text } from "ink";
import { memo } from "react";
import { fit as fitText, sanitize } from "../../text/sanitize.js";
import type { Cell, Column, SortState } from "../table/types.js";
import { type LaidOutColumn, layoutColumns } from "./layout.js";
import { type ToneStyle, toneStyle } from "./tone.js";

export interface TableProps<R> {
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  cursorKey: string | null;
  /** Index of the first row shown (see `visibleWindow`); clamped to the rows there are. */
  scrollTop: number;
  width: number;
  /** Lines in all, the header line included: at most `height - 1` rows are shown. */
  height: number;
  sort: SortState | null;
  color: boolean;
  emptyText?: string;
}

/** Rows a table of `height` lines shows (one line is the header). */
export function tableBodyHeight(height: number): number {
  return Math.max(0, Math.floor(height) - 1);
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/**
 * The scrollTop that keeps row `cursorIndex` in view, scrolling as little as possible and never past
 * the end. `height` is the Table's height (header included); a cursorIndex < 0 (no cursor) only clamps.
 */
export function visibleWindow(cursorIndex: number, scrollTop: number, height: number, total: number): number {
  const body = tableBodyHeight(height);
  if (body <= 0 || total <= 0) return 0;
  const maxTop = Math.max(0, total - body);
  let top = clamp(Math.floor(scrollTop) || 0, 0, maxTop);
  if (cursorIndex >= 0) {
    const cursor = clamp(cursorIndex, 0, total - 1);
    if (cursor < top) top = cursor;
    else if (cursor >= top + body) top = cursor - body + 1;
  }
  return clamp(top, 0, maxTop);
}

/** Width of the longest of `cells` as shown (sanitised). */
export function longestText(cells: readonly Cell[]): number {
  let max = 0;
  for (const c of cells) max = Math.max(max, [...sanitize(c.text)].length);
  return max;
}

/** A title fitted to `width`, with the sort mark kept visible when the title is cut. */
function headerTitle(title: string, mark: string, width: number, align: "left" | "right"): string {
  if (mark === "" || width <= 1) return fitText(title, width, align);
  const room = width - 1;
  const shown = [...title].length > room ? fitText(title, room) : title;
  return fitText(shown + mark, width, align);
}

interface LineProps<R> {
  layout: LaidOutColumn<R>[];
  width: number;
  texts: string[];
  styles: ToneStyle[];
  inverse?: boolean;
  bold?: boolean;
}

/** One line of cells: every cell fitted to its column and the whole cut to `width`. */
function LineOf<R>(props: LineProps<R>) {
  const { layout, width, texts, styles } = props;
  let used = 0;
  const parts = [];
  for (let i = 0; i < layout.length && used < width; i++) {
    const { column, width: w } = layout[i]!;
    const sep = i === 0 ? "" : " ";
    const room = width - used - sep.length;
    if (room <= 0) break;
    const text = fitText(texts[i] ?? "", Math.min(w, room), column.align ?? "left");
    used += sep.length + [...text].length;
    parts.push(
      <Text key={column.id} {...styles[i]}>
        {sep}
        {text}
      </Text>,
    );
  }
  // Pad so the cursor bar spans the whole width.
  const pad = props.inverse && used < width ? " ".repeat(width - used) : "";
  return (
    <Text wrap="truncate" inverse={props.inverse} bold={props.bold}>
      {parts}
      {pad}
    </Text>
  );
}

const sameStyle = (a: ToneStyle | undefined, b: ToneStyle | undefined) =>
  a === b || (!!a && !!b && a.color === b.color && a.dimColor === b.dimColor && a.bold === b.bold);

/**
 * Whether two lines draw the same: same texts and styles, and columns of the same id, alignment and
 * width (the rows and columns are new objects after every poll, their texts mostly the same).
 */
export function sameLine<R>(a: LineProps<R>, b: LineProps<R>): boolean {
  if (a.width !== b.width || a.inverse !== b.inverse || a.bold !== b.bold) return false;
  const n = a.layout.length;
  if (n !== b.layout.length || a.texts.length !== b.texts.length || a.styles.length !== b.styles.length)
    return false;
  for (let i = 0; i < n; i++) {
    const x = a.layout[i]!;
    const y = b.layout[i]!;
    if (x.width !== y.width || x.column.id !== y.column.id || x.column.align !== y.column.align) return false;
  }
  for (let i = 0; i < a.texts.length; i++) if (a.texts[i] !== b.texts[i]) return false;
  for (let i = 0; i < a.styles.length; i++) if (!sameStyle(a.styles[i], b.styles[i])) return false;
  return true;
}

/**
 * A line is drawn again only when what it shows changed: after a poll most rows on screen show the
 * same texts, and React then skips them (and Yoga keeps their layout) instead of rebuilding every
 * cell's element, frame after frame.
 */
const Line = memo(LineOf, sameLine) as typeof LineOf;

const BAR = /[█▉▊▋▌▍▎▏░]/;

/**
 * A bar gauge: on the cursor row it is drawn without its colour, as inverse video would swap it to
 * the background and an almost empty gauge would read as almost full.
 */
const isBar = (text: string) => BAR.test(text);

/**
 * A virtualised table: a header line, then only the rows in view, `rows.slice(scrollTop,
 * scrollTop + height - 1)`, so its cost does not grow with the number of rows.
 */
export function Table<R>(props: TableProps<R>) {
  const { columns, rows, rowKey, cursorKey, width, height, sort, color } = props;
  if (height <= 0 || width <= 0) return null;
  const body = tableBodyHeight(height);
  const start = clamp(Math.floor(props.scrollTop) || 0, 0, Math.max(0, rows.length - body));
  const visible = rows.slice(start, start + body);
  // The name column is as wide as the longest name on screen; its cells are computed once.
  const cached = new Map<Column<R>, Cell[]>();
  const cellsOf = (column: Column<R>) => {
    let cells = cached.get(column);
    if (!cells) {
      cells = visible.map((row) => column.cell(row));
      cached.set(column, cells);
    }
    return cells;
  };
  const layout = layoutColumns(columns, width, (column) => longestText(cellsOf(column)));

  const titles = layout.map(({ column, width: w }) => {
    const mark = sort && sort.columnId === column.id ? (sort.descending ? "▼" : "▲") : "";
    return headerTitle(sanitize(column.title), mark, w, column.align ?? "left");
  });
  const titleStyles = layout.map(({ column }) =>
    sort && sort.columnId === column.id ? toneStyle("accent", color) : {},
  );

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Line layout={layout} width={width} texts={titles} styles={titleStyles} bold />
      {visible.length === 0 && body > 0 ? (
        <Text wrap="truncate" {...toneStyle("dim", color)}>
          {sanitize(props.emptyText ?? "nothing to show")}
        </Text>
      ) : (
        visible.map((row, i) => {
          const key = rowKey(row);
          const cells = layout.map(({ column }) => cached.get(column)?.[i] ?? column.cell(row));
          return (
            <Line
              key={key}
              layout={layout}
              width={width}
              texts={cells.map((c) => sanitize(c.text))}
              styles={cells.map((c) =>
                toneStyle(key === cursorKey && isBar(c.text) ? "none" : c.tone, color),
              )}
              inverse={key === cursorKey}
            />
          );
        })
      )}
    </Box>
  );
}
