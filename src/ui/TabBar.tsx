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
  // The filter and sort (not the note) keep their room; the tabs shorten to fit the rest.
  // The tabs shorten before the right side is cut: the whole of it when it is short (a view's
  // summary such as "1 expired · 3 certs"), else at least the filter and sort.
  const keep = [filter && `filter /${filter}`, sortLabel && `sort ${sortLabel}`].filter(Boolean).join("  ");
  const wanted = right.length <= 60 ? right : keep;
  const tabs = tabLabels(view, Math.max(30, width - (wanted ? [...wanted].length + 2 : 0)));
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate">
        {VIEW_IDS.map((id, i) => (
          <Text key={id} inverse={id === view} bold={id === view}>
            {tabs[i]}
          </Text>
        ))}
        <Text {...toneStyle("dim", color)}>{right ? `  ${sanitize(right)}` : ""}</Text>
      </Text>
    </Box>
  );
}

/** Short titles for a narrow terminal (the active view keeps its full title). */
const SHORT: Record<ViewId, string> = {
  frontends: "Front",
  backends: "Back",
  sessions: "Sess",
  errors: "Err",
  timeline: "Time",
  tables: "Tabl",
  maps: "Maps",
  certs: "Cert",
  process: "Proc",
};

/**
 * Each tab's text: full titles when they fit in `room` cells, else short titles for the other
 * views, else only their number keys. The active view always shows its full title.
 */
export function tabLabels(view: ViewId, room: number): string[] {
  const make = (title: (id: ViewId) => string) =>
    VIEW_IDS.map((id, i) =>
      id === view ? ` ${i + 1} ${VIEW_TITLES[id]} ` : title(id) ? ` ${i + 1} ${title(id)} ` : ` ${i + 1}`,
    );
  for (const title of [(id: ViewId) => VIEW_TITLES[id], (id: ViewId) => SHORT[id], () => ""]) {
    const labels = make(title);
    if (labels.join("").length <= room) return labels;
  }
  return make(() => "");
}
