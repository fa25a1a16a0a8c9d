import { Box, Text } from "ink";
import { sanitize } from "../../text/sanitize.js";
import type { Tone } from "../table/types.js";
import { useColor, useLayout } from "../theme.js";
import { toneStyle } from "./tone.js";

export interface StatusLineProps {
  /** A message (e.g. a Runtime API reply); null leaves the line blank. */
  text: string | null;
  tone: Tone;
  /** The screen's width (from context) unless given. */
  width?: number;
  /** The theme's (from context) unless given. */
  color?: boolean;
}

/** One line of feedback under the table: the result of the last action, a filter prompt… */
export function StatusLine({ text, tone, width: widthProp, color: colorProp }: StatusLineProps) {
  const color = useColor(colorProp);
  const layout = useLayout();
  const width = widthProp ?? layout.width;
  if (width <= 0) return null;
  // A multi-line reply is joined into one line; sanitize escapes any other control character.
  const shown = text === null ? " " : sanitize(text.trim().split(/\r?\n/).join(" · ")) || " ";
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate" {...toneStyle(tone, color)}>
        {shown}
      </Text>
    </Box>
  );
}
