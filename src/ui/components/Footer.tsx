import { Box, Text } from "ink";
import { sanitize } from "../../text/sanitize.js";
import { useColor, useLayout } from "../theme.js";
import { toneStyle } from "./tone.js";

export interface FooterItem {
  key: string;
  label: string;
  /** Set when the key cannot be used here: the item is dimmed. */
  disabledReason?: string | null;
}

export interface FooterProps {
  items: FooterItem[];
  /** The screen's width (from context) unless given. */
  width?: number;
  /** The theme's (from context) unless given. */
  color?: boolean;
  /** Background work to show at the right end (e.g. "old pid 8338 draining"); kept before any item. */
  badge?: string | null;
}

const GAP = "  ";

/** The items that fit in `width` (dropped from the end), as "key label" texts. */
export function footerItems(items: FooterItem[], width: number): FooterItem[] {
  const out: FooterItem[] = [];
  let used = 0;
  for (const item of items) {
    const w = [...sanitize(item.key)].length + 1 + [...sanitize(item.label)].length;
    const next = used + (out.length > 0 ? GAP.length : 0) + w;
    if (next > width) break;
    out.push(item);
    used = next;
  }
  return out;
}

/** One line of "key label" pairs, like htop's function-key bar. */
export function Footer({ items, width: widthProp, color: colorProp, badge }: FooterProps) {
  const color = useColor(colorProp);
  const layout = useLayout();
  const width = widthProp ?? layout.width;
  if (width <= 0) return null;
  const badgeText = badge ? `⟳ ${sanitize(badge)}`.slice(0, Math.max(0, width)) : "";
  const room = badgeText ? width - [...badgeText].length - GAP.length : width;
  const shown = footerItems(items, Math.max(0, room));
  const used = shown.reduce(
    (n, item, i) =>
      n + (i > 0 ? GAP.length : 0) + [...sanitize(item.key)].length + 1 + [...sanitize(item.label)].length,
    0,
  );
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate">
        {shown.length === 0
          ? " "
          : shown.map((item, i) => {
              const disabled = Boolean(item.disabledReason);
              const dim = disabled ? toneStyle("dim", color) : {};
              return (
                <Text key={`${item.key}:${item.label}`}>
                  {i > 0 ? GAP : ""}
                  <Text bold={!disabled} {...(disabled ? dim : toneStyle("accent", color))}>
                    {sanitize(item.key)}
                  </Text>
                  <Text {...dim}>{` ${sanitize(item.label)}`}</Text>
                </Text>
              );
            })}
        {badgeText ? (
          <Text {...toneStyle("warn", color)}>
            {" ".repeat(Math.max(0, width - used - [...badgeText].length)) + badgeText}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}
