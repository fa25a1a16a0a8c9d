/**
 * Text from HAProxy (server names, error captures, session addresses) is untrusted: it can carry
 * escape sequences that would drive the terminal. Every such string is passed through here.
 */
// C0 controls, DEL, C1 controls, and the Unicode bidi/line separators that reorder or break lines.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Replaces every control character with a visible escape (`\x1b`, `\n`, `\u202e`). */
export function sanitize(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Pads or cuts `text` to exactly `width` columns (an ellipsis marks a cut). */
export function fit(text: string, width: number, align: "left" | "right" = "left"): string {
  if (width <= 0) return "";
  const chars = [...text];
  if (chars.length > width) return width === 1 ? "…" : `${chars.slice(0, width - 1).join("")}…`;
  const pad = " ".repeat(width - chars.length);
  return align === "right" ? pad + text : text + pad;
}
