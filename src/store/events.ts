import { entriesByKey, num, type ServerEntry, type Snapshot } from "../model/snapshot.js";
import type { TimelineEvent } from "./state.js";

/** The timeline keeps this many events; older ones fall off (the --log file keeps everything). */
export const MAX_EVENTS = 1000;

/** Server and proxy state changes between two polls of the same process, as timeline events. */
export function stateChanges(prev: Snapshot | null, cur: Snapshot): TimelineEvent[] {
  if (!prev) return [];
  const events: TimelineEvent[] = [];
  const before = entriesByKey(prev);
  for (const [key, entry] of entriesByKey(cur)) {
    const old = before.get(key);
    if (!old || old.status === entry.status) continue;
    const name = key.startsWith("sv/") ? `${(entry as ServerEntry).backend}/${entry.name}` : entry.name;
    events.push({ at: cur.takenAt, kind: "state", text: `${name} ${old.status} → ${entry.status}` });
  }
  return events;
}

/** A new pid between polls: HAProxy was reloaded or restarted. */
export function pidChange(prev: Snapshot | null, cur: Snapshot): { from: number; to: number } | null {
  if (!prev) return null;
  const from = num(prev.info, "Pid");
  const to = num(cur.info, "Pid");
  return from !== null && to !== null && from !== to ? { from, to } : null;
}

/** Appends events, keeping the newest MAX_EVENTS. */
export function appendEvents(list: TimelineEvent[], add: TimelineEvent[]): TimelineEvent[] {
  if (add.length === 0) return list;
  const next = list.concat(add);
  return next.length > MAX_EVENTS ? next.slice(next.length - MAX_EVENTS) : next;
}
