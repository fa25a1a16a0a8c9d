/** Helpers to read ink-testing-library frames. */

// biome-ignore lint/complexity/useRegexLiterals: kept as a string to show the escape plainly.
const SGR = new RegExp("\u001b\\[[0-9;]*m", "g");

/** The frame without its styling escapes. */
export function plain(frame: string | undefined): string {
  return (frame ?? "").replace(SGR, "");
}

/** The frame's lines, styling removed. */
export function lines(frame: string | undefined): string[] {
  return plain(frame).split("\n");
}

/** True when the frame holds a foreground or background colour (not bold, dim or inverse). */
export function hasColour(frame: string | undefined): boolean {
  return /\u001b\[(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/.test(frame ?? "");
}

/** Visible width of a line (code points, which is what these components count). */
export const width = (line: string) => [...line].length;
