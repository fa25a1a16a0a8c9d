import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { fit as fitText } from "../../text/sanitize.js";
import { toneStyle } from "./tone.js";

/** The part of `count` lines shown in `rows` rows from `scrollTop` (clamped), and its "3–20/45" note. */
export function scrollWindow(count: number, rows: number, scrollTop: number) {
  const top = Math.max(0, Math.min(Math.floor(scrollTop) || 0, count - rows));
  const end = Math.min(count, top + rows);
  const more = count > rows ? `  ${top + 1}–${end}/${count}` : "";
  return { top, end, more };
}

export interface ScrollBoxProps {
  width: number;
  height: number;
  color: boolean;
  /** The key hint on the last line, followed by the scroll position. */
  hint: string;
  children: ReactNode;
}

/** The bordered box of the scrollable overlays (help, full text): content, then the hint at the bottom. */
export function ScrollBox({ width, height, color, hint, children }: ScrollBoxProps) {
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="round"
      borderColor={color ? "cyan" : undefined}
      paddingX={1}
      overflow="hidden"
    >
      {children}
      <Box flexGrow={1} />
      <Text wrap="truncate" {...toneStyle("dim", color)}>
        {fitText(hint, width - 4)}
      </Text>
    </Box>
  );
}
