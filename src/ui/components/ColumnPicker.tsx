import { Box, Text } from "ink";
import { sanitize } from "../../text/sanitize.js";
import type { SortState } from "../table/types.js";
import { useColor } from "../theme.js";
import type { SortChoice } from "../views/sortPicker.js";
import { toneStyle } from "./tone.js";

export interface ColumnPickerProps {
  choices: SortChoice[];
  /** The highlighted choice (SortPickerState.index). */
  index: number;
  /** The view's sort now, marked ▲/▼ in the list. */
  current: SortState | null;
  /** Room the picker may take (it is a box of at most this size). */
  width: number;
  height: number;
  /** The theme's (from context) unless given. */
  color?: boolean;
}

/** Lines the picker takes for `choices` within `maxHeight` (borders, title, list, hint). */
export function columnPickerHeight(choices: number, maxHeight: number): number {
  return Math.max(0, Math.min(maxHeight, choices + 4));
}

/**
 * The small box `s` opens: the columns the view can be sorted on, the highlighted one inverse and
 * the current one marked. The list scrolls to keep the highlight in view on a short terminal.
 */
export function ColumnPicker({
  choices,
  index,
  current,
  width,
  height,
  color: colorProp,
}: ColumnPickerProps) {
  const color = useColor(colorProp);
  const h = columnPickerHeight(choices.length, height);
  const listRoom = h - 4;
  if (listRoom < 1 || width < 12) return null;
  const longest = Math.max(10, ...choices.map((c) => [...c.title].length + 2));
  const w = Math.min(width, longest + 4, 44);
  const top = Math.max(0, Math.min(index - Math.floor(listRoom / 2), choices.length - listRoom));
  const shown = choices.slice(top, top + listRoom);
  const accent = toneStyle("accent", color);
  return (
    <Box
      flexDirection="column"
      width={w}
      height={h}
      borderStyle="round"
      borderColor={accent.color}
      paddingX={1}
    >
      <Text wrap="truncate" bold {...accent}>
        Sort by
      </Text>
      {shown.map((c, i) => {
        const at = top + i;
        const mark = current?.columnId === c.id ? (current.descending ? "▼" : "▲") : " ";
        return (
          <Text key={c.id} wrap="truncate" inverse={at === index}>
            {`${mark} ${sanitize(c.title)}`.padEnd(w - 4)}
          </Text>
        );
      })}
      <Text wrap="truncate" {...toneStyle("dim", color)}>
        ↑↓ Enter · Esc
      </Text>
    </Box>
  );
}
