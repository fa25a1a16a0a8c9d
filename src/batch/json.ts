import type { Snapshot } from "../model/snapshot.js";

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
