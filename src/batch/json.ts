import type { Snapshot } from "../model/snapshot.js";
import { asciiJson } from "../text/sanitize.js";

/** The `--once --json` document: every `show info` key and `show stat` field under HAProxy's own name. */
export function snapshotToJson(target: string, s: Snapshot): object {
  const entry = (e: { name: string; status: string; stats: object }) => ({
    name: e.name,
    status: e.status,
    stats: e.stats,
  });
  return {
    target,
    takenAt: new Date(s.takenAt).toISOString(),
    level: s.level,
    info: s.info,
    frontends: s.frontends.map(entry),
    backends: s.backends.map((b) => ({ ...entry(b), servers: b.servers.map(entry) })),
  };
}

/**
 * The document as printed: indented JSON in pure printable ASCII (every control, DEL, C1, bidi
 * control, lone surrogate and other non-ASCII character as `\uXXXX`), so it is safe on a terminal
 * and `JSON.parse` (or jq) gives back HAProxy's exact text.
 */
export function snapshotToJsonText(target: string, s: Snapshot): string {
  return `${asciiJson(snapshotToJson(target, s), 2)}\n`;
}
