import { Text } from "ink";
import { fit as fitText, sanitize } from "../../text/sanitize.js";
import { useColor } from "../theme.js";
import { wordWrap } from "../wrap.js";
import { ScrollBox, scrollWindow } from "./ScrollBox.js";
import { toneStyle } from "./tone.js";

/** A scrollable bordered pane of text (a timeline event's full text): wrapped, never cut. */
export interface TextPaneProps {
  title: string;
  lines: string[];
  width: number;
  height: number;
  /** The theme's (from context) unless given. */
  color?: boolean;
  scrollTop: number;
}

export const TEXT_PANE_HINT = "Esc/q close · ↑↓ PgUp PgDn Home End scroll";

/** The pane's lines once wrapped to its inner width (sanitised). */
export function paneLines(lines: string[], width: number): string[] {
  return lines.flatMap((l) => (l === "" ? [""] : wordWrap(sanitize(l), Math.max(1, width - 4))));
}

/** Rows of text visible: borders, title and hint take four. */
export function paneRows(height: number): number {
  return Math.max(0, height - 4);
}

/** The largest useful scrollTop, from the same height the pane is drawn at. */
export function paneMaxScroll(lines: string[], width: number, height: number): number {
  return Math.max(0, paneLines(lines, width).length - paneRows(height));
}

export function TextPane({ title, lines, width, height, color: colorProp, scrollTop }: TextPaneProps) {
  const color = useColor(colorProp);
  if (height < 4 || width < 5) return null;
  const all = paneLines(lines, width);
  const rows = paneRows(height);
  const { top, end, more } = scrollWindow(all.length, rows, scrollTop);
  const shown = all.slice(top, end);
  return (
    <ScrollBox width={width} height={height} color={color} hint={`${TEXT_PANE_HINT}${more}`}>
      <Text wrap="truncate" bold {...toneStyle("accent", color)}>
        {fitText(sanitize(title), width - 4)}
      </Text>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's identity is its place in the text.
        <Text key={top + i} wrap="truncate">
          {line === "" ? " " : line}
        </Text>
      ))}
    </ScrollBox>
  );
}
