/**
 * Text from HAProxy (server names, error captures, session addresses, whole replies quoted in error
 * messages) is untrusted: it can carry escape sequences that would drive the terminal, or bidi
 * controls that reorder what is shown. Every output (TUI, `--once` text, stderr messages, `--json`,
 * the `--log` file) passes such text through this module: the one sanitising boundary.
 */

// C0 controls, DEL, C1 controls, the Unicode line separators, bidi marks, embeddings, overrides and
// isolates, and lone UTF-16 surrogates (which is how an invalid UTF-8 byte of a reply is kept: see
// decodeReply in ./utf8.ts). No `u` flag: the regex works on UTF-16 code units, so a surrogate that
// is not part of a pair can be matched with the look-arounds.
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** The visible form of one unsafe character: `\n`, `\x1b`, `\x9b`, `\u202e`, or `\xff` for a raw byte. */
function escapeChar(c: string): string {
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (c === "\t") return "\\t";
  const code = c.charCodeAt(0);
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  // U+DC80–U+DCFF alone is a byte that was not valid UTF-8: show the byte itself.
  if (code >= 0xdc80 && code <= 0xdcff) return `\\x${hex(code - 0xdc00, 2)}`;
  return `\\u${hex(code, 4)}`;
}

/** Replaces every control character with a visible escape (`\x1b`, `\n`, `\u202e`). Idempotent. */
export function sanitize(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** True when `text` holds nothing that sanitize() would escape. */
export function isClean(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const dirty = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return !dirty;
}

/**
 * A short quotation of untrusted text for a message: escaped, in double quotes, cut after about
 * `max` visible characters (an ellipsis marks the cut; an escape is never cut in half).
 */
export function excerpt(text: string, max = 60): string {
  let out = "";
  let cut = false;
  for (const ch of text) {
    const piece = sanitize(ch === '"' ? '\\"' : ch);
    if (out.length + piece.length > max) {
      cut = true;
      break;
    }
    out += piece;
  }
  return `"${out}"${cut ? "…" : ""}`;
}

/** Every non-ASCII or non-printable UTF-16 unit; inside JSON strings only (JSON's own syntax is ASCII). */
const NON_ASCII = /[\u007f-\uffff]/g;

/**
 * JSON that is pure printable ASCII: on top of JSON.stringify (which escapes C0 and lone
 * surrogates), DEL, C1 controls, bidi controls and every other non-ASCII character become `\uXXXX`.
 * JSON.parse gives back exactly the same value.
 */
export function asciiJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(NON_ASCII, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/** Pads or cuts `text` to exactly `width` columns (an ellipsis marks a cut). */
export function fit(text: string, width: number, align: "left" | "right" = "left"): string {
  if (width <= 0) return "";
  const chars = [...text];
  if (chars.length > width) return width === 1 ? "…" : `${chars.slice(0, width - 1).join("")}…`;
  const pad = " ".repeat(width - chars.length);
  return align === "right" ? pad + text : text + pad;
}
