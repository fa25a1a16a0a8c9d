/**
 * How the replies of the commands haptop polls with begin, when HAProxy sends them. Used only to
 * tell "HAProxy said something unexpected" from "this is not HAProxy at all" (an HTTP server on
 * the port, an SSH banner, garbage): the first bytes of a reply are enough.
 */

/** What HAProxy answers to any command it refuses. */
const REFUSALS = ["Permission denied", "Unknown command"];

/** The ways a command's reply may begin, or null when haptop does not know (then nothing is judged). */
export function allowedStarts(command: string): string[] | null {
  const c = command.trim();
  if (c === "show cli level") return ["user\n", "operator\n", "admin\n", ...REFUSALS];
  if (c === "show info") return ["Name: ", ...REFUSALS];
  // A scoped `show stat` may be answered "No such proxy." / "No such backend." by HAProxy itself.
  if (c === "show stat" || c.startsWith("show stat ")) return ["# pxname", "No such ", ...REFUSALS];
  // `show errors` is left out: 1.4 starts with the first event, later releases with "Total events".
  return null;
}

/**
 * True when `reply` cannot be the beginning of HAProxy's reply to `command`. With `partial` (the
 * peer closed mid-reply), a reply that stops inside an allowed beginning still fits.
 */
export function contradicts(command: string, reply: string, partial: boolean): boolean {
  const starts = allowedStarts(command);
  if (!starts) return false;
  if (reply === "") return !partial;
  return !starts.some((s) => reply.startsWith(s) || (partial && s.startsWith(reply)));
}

/**
 * Bytes HAProxy's CLI never sends: CR (HTTP, SMTP and most line protocols use CRLF; HAProxy writes
 * LF and escapes captured CRs), C0 controls other than tab and LF, and a leading "HTTP/".
 */
export function looksForeign(raw: string): boolean {
  return raw.startsWith("HTTP/") || /[\u0000-\u0008\u000b-\u001f]/.test(raw.slice(0, 4096));
}
