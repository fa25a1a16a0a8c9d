/**
 * Replies are decoded as UTF-8 (a `description` or `node` in UTF-8 shows as written, not as
 * mojibake). A byte that is not valid UTF-8 is kept as a lone surrogate U+DC80–U+DCFF (Python's
 * "surrogateescape"): nothing is lost, sanitize() shows it as `\xff`, the JSON output as `\udcff`,
 * and encodeCommand() turns it back into the same byte when a name goes back to HAProxy.
 */
import { isUtf8 } from "node:buffer";

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(buf: Uint8Array, i: number): number {
  const b = buf[i]!;
  if (b < 0x80) return 1;
  const cont = (k: number) => i + k < buf.length && (buf[i + k]! & 0xc0) === 0x80;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const b1 = buf[i + 1] ?? 0;
    // No overlong forms (E0 80–9F) and no UTF-16 surrogates (ED A0–BF).
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const b1 = buf[i + 1] ?? 0;
    if ((b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** The whole reply as text. Decode the concatenated reply, never chunk by chunk (a character can span two). */
export function decodeReply(buf: Buffer): string {
  // The usual case, checked natively: valid UTF-8 (ASCII included) decodes in one call.
  if (isUtf8(buf)) return buf.toString("utf8");
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > start) parts.push(buf.toString("utf8", start, i));
    parts.push(String.fromCharCode(0xdc00 + buf[i]!));
    i++;
    start = i;
  }
  if (start < buf.length) parts.push(buf.toString("utf8", start));
  return parts.join("");
}

/** A command line as bytes: UTF-8, except that U+DC80–U+DCFF go back to the raw bytes they stand for. */
export function encodeCommand(text: string): Buffer {
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, "utf8");
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const paired = i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff;
    if (code >= 0xdc80 && code <= 0xdcff && !paired) {
      parts.push(Buffer.from(text.slice(start, i), "utf8"), Buffer.from([code - 0xdc00]));
      start = i + 1;
    }
  }
  parts.push(Buffer.from(text.slice(start), "utf8"));
  return Buffer.concat(parts);
}
