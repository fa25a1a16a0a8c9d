import { appendFileSync } from "node:fs";
import { formatError } from "../client/errors.js";
import type { TimelineEvent } from "../store/state.js";
import { asciiJson } from "../text/sanitize.js";

/**
 * The `--log <file>` writer: each timeline event as one JSON line. The line is pure printable ASCII
 * (asciiJson): event texts carry names and replies from HAProxy, and a log file is read with `tail`
 * or `less` on a terminal. A failing log is reported once, never fatal.
 */
export function eventLogger(
  file: string | undefined,
  onError: (msg: string) => void,
): (e: TimelineEvent) => void {
  if (!file) return () => {};
  let broken = false;
  return (e) => {
    if (broken) return;
    try {
      appendFileSync(file, `${asciiJson({ ...e, at: new Date(e.at).toISOString() })}\n`);
    } catch (err) {
      broken = true;
      onError(formatError(new Error(`--log ${file}: ${formatError(err)}`)));
    }
  };
}
