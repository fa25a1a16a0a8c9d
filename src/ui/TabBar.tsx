import { Box, Text } from "ink";
import { sanitize } from "../text/sanitize.js";
import { toneStyle } from "./components/tone.js";
import { useColor, useLayout } from "./theme.js";
import { VIEW_IDS, VIEW_TITLES, type ViewId } from "./views/index.js";

export interface TabBarProps {
  view: ViewId;
  /** The screen's width (from context) unless given. */
  width?: number;
  /** The theme's (from context) unless given. */
  color?: boolean;
  filter: string;
  sortLabel: string;
  extra: string;
}

/**
 * One line: the views with their number keys, the active one highlighted; filter, sort and notes on
 * the right, in that order: a narrow terminal cuts the end, and an active filter (rows hidden) must
 * never be the part that is cut.
 */
export function TabBar({ view, width: widthProp, color: colorProp, filter, sortLabel, extra }: TabBarProps) {
  const color = useColor(colorProp);
  const layout = useLayout();
  const width = widthProp ?? layout.width;
  const right = [filter && `filter /${filter}`, sortLabel && `sort ${sortLabel}`, extra]
    .filter(Boolean)
    .join("  ");
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate">
        {VIEW_IDS.map((id, i) => (
          <Text key={id} inverse={id === view} bold={id === view}>
            {` ${i + 1} ${VIEW_TITLES[id]} `}
          </Text>
        ))}
        <Text {...toneStyle("dim", color)}>{right ? `  ${sanitize(right)}` : ""}</Text>
      </Text>
    </Box>
  );
}
