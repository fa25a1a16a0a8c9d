import { Box, Text } from "ink";
import { sanitize } from "../../text/sanitize.js";
import { toneStyle } from "./tone.js";

export interface FooterItem {
  key: string;
  label: string;
  /** Set when the key cannot be used here: the item is dimmed. */
  disabledReason?: string | null;
}

export interface FooterProps {
  items: FooterItem[];
  width: number;
  color: boolean;
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
export function Footer({ items, width, color }: FooterProps) {
  if (width <= 0) return null;
  const shown = footerItems(items, width);
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
      </Text>
    </Box>
  );
}
