import { Box, Text } from "ink";
import { sanitize } from "../../text/sanitize.js";
import type { Tone } from "../table/types.js";
import { wordWrap } from "../wrap.js";
import { toneStyle } from "./tone.js";

export interface DialogProps {
  title: string;
  /** Body lines, e.g. the exact Runtime API command; a line too long is wrapped at spaces, never cut. */
  lines: string[];
  /** e.g. "Enter/y confirm · Esc/n cancel". */
  hint: string;
  width: number;
  color: boolean;
  /** Border and title tone: "bad" for destructive actions; accent by default. */
  tone?: Tone;
  /** Caps the height: body lines that do not fit end with "…". */
  maxHeight?: number;
}

/** Cuts a line into pieces of `width` characters, so an exact command is shown whole. */
export function hardWrap(text: string, width: number): string[] {
  const chars = [...text];
  if (width <= 0) return [];
  if (chars.length === 0) return [""];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(""));
  return out;
}

/** The body lines as shown in a dialog of `width`: sanitised, wrapped at word boundaries. */
function bodyLines(lines: string[], width: number): string[] {
  return lines.flatMap((l) => (l === "" ? [""] : wordWrap(sanitize(l), width - 4)));
}

/** Lines a dialog takes: borders, title, a blank, the wrapped body, a blank and the hint. */
export function dialogHeight(lines: string[], width: number): number {
  return bodyLines(lines, width).length + 6;
}

/** A bordered confirmation or prompt box. */
export function Dialog({ title, lines, hint, width, color, tone = "accent", maxHeight }: DialogProps) {
  if (width < 5) return null;
  let body = bodyLines(lines, width);
  // Borders, title and hint take four lines; the two blanks go first when room is short.
  const blanks = maxHeight === undefined || body.length + 6 <= maxHeight;
  if (!blanks) {
    const room = (maxHeight ?? 0) - 4;
    if (room < 0) return null;
    if (body.length > room) body = room === 0 ? [] : [...body.slice(0, room - 1), "…"];
  }
  const style = toneStyle(tone, color);
  return (
    <Box flexDirection="column" width={width} borderStyle="round" borderColor={style.color} paddingX={1}>
      <Text wrap="truncate" bold {...style}>
        {sanitize(title)}
      </Text>
      {blanks && <Text> </Text>}
      {body.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place.
        <Text key={i} wrap="truncate">
          {line === "" ? " " : line}
        </Text>
      ))}
      {blanks && <Text> </Text>}
      <Text wrap="truncate" {...toneStyle("dim", color)}>
        {sanitize(hint)}
      </Text>
    </Box>
  );
}
