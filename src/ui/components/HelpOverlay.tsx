import { Text } from "ink";
import { fit as fitText, sanitize } from "../../text/sanitize.js";
import { useColor } from "../theme.js";
import { ScrollBox, scrollWindow } from "./ScrollBox.js";
import { toneStyle } from "./tone.js";

export interface HelpItem {
  keys: string[];
  label: string;
  description: string;
  /** Set when the key cannot be used now: dimmed, with "(disabled: reason)". */
  disabledReason?: string | null;
}

export interface HelpGroup {
  title: string;
  items: HelpItem[];
}

export interface HelpOverlayProps {
  groups: HelpGroup[];
  width: number;
  height: number;
  /** The theme's (from context) unless given. */
  color?: boolean;
  /** First content line shown; clamped (see `helpMaxScroll`). */
  scrollTop: number;
}

export const HELP_HINT = "Esc/q/? close · ↑↓ scroll";

type HelpLine = { kind: "blank" } | { kind: "title"; text: string } | { kind: "item"; item: HelpItem };

function helpLines(groups: HelpGroup[]): HelpLine[] {
  const lines: HelpLine[] = [];
  for (const g of groups) {
    if (lines.length > 0) lines.push({ kind: "blank" });
    lines.push({ kind: "title", text: g.title });
    for (const item of g.items) lines.push({ kind: "item", item });
  }
  return lines;
}

/** Lines of content the help has (group titles, keys, and a blank between groups). */
export function helpLineCount(groups: HelpGroup[]): number {
  return helpLines(groups).length;
}

/** Content lines visible in an overlay of `height`: two border lines and the hint are not. */
export function helpContentHeight(height: number): number {
  return Math.max(0, Math.floor(height) - 3);
}

/** The largest useful scrollTop for an overlay of `height`. */
export function helpMaxScroll(groups: HelpGroup[], height: number): number {
  return Math.max(0, helpLineCount(groups) - helpContentHeight(height));
}

const keysText = (keys: string[]) => keys.map(sanitize).join(", ");
const len = (s: string) => [...s].length;

/** A bordered box listing every key with its description, by group, scrollable. */
export function HelpOverlay({ groups, width, height, color: colorProp, scrollTop }: HelpOverlayProps) {
  const color = useColor(colorProp);
  // Two border lines and a hint at least; two border columns and two of padding.
  if (height < 3 || width < 5) return null;
  const inner = width - 4;
  const lines = helpLines(groups);
  const rows = helpContentHeight(height);
  const { top, end, more } = scrollWindow(lines.length, rows, scrollTop);
  const shown = lines.slice(top, end);
  const items = lines.flatMap((l) => (l.kind === "item" ? [l.item] : []));
  const keysW = Math.min(18, Math.max(0, ...items.map((i) => len(keysText(i.keys)))));
  const labelW = Math.min(16, Math.max(0, ...items.map((i) => len(sanitize(i.label)))));

  return (
    <ScrollBox width={width} height={height} color={color} hint={`${HELP_HINT}${more}`}>
      {shown.map((line, i) => {
        const key = top + i;
        if (line.kind === "blank") return <Text key={key}> </Text>;
        if (line.kind === "title") {
          return (
            <Text key={key} wrap="truncate" bold {...toneStyle("accent", color)}>
              {fitText(sanitize(line.text), inner)}
            </Text>
          );
        }
        const { item } = line;
        const disabled = Boolean(item.disabledReason);
        const why = disabled ? ` (disabled: ${sanitize(item.disabledReason ?? "")})` : "";
        const text = `${fitText(keysText(item.keys), keysW)}  ${fitText(sanitize(item.label), labelW)}  ${sanitize(item.description)}${why}`;
        return (
          <Text key={key} wrap="truncate" {...(disabled ? toneStyle("dim", color) : {})}>
            {text}
          </Text>
        );
      })}
    </ScrollBox>
  );
}
