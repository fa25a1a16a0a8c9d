import type { MonitorState, TimelineEvent, TimelineKind } from "../../store/state.js";
import type { Column, Tone } from "../table/types.js";
import { uniqueKey } from "./cells.js";
import type { NameFilter } from "./filter.js";

/** One line of the event timeline; newest first. */
export interface TimelineRow {
  key: string;
  event: TimelineEvent;
}

const clock = (at: number) => new Date(at).toTimeString().slice(0, 8);

type EventOf<K extends TimelineKind> = Extract<TimelineEvent, { kind: K }>;

/** Each kind's colour, from its fields (never from its text). */
const KIND_TONE: { [K in TimelineKind]: (e: EventOf<K>) => Tone } = {
  state: (e) => e.severity,
  reload: () => "accent",
  pid: (e) => (e.cause === "restart" ? "warn" : "accent"), // a restart is not a reload
  action: () => "none",
  link: (e) => (e.up ? "good" : "bad"),
  data: () => "warn",
};

/** An event's colour: a failure is bad, anything else as its kind says. */
export function eventTone(e: TimelineEvent): Tone {
  if (e.ok === false) return "bad";
  return (KIND_TONE[e.kind] as (e: TimelineEvent) => Tone)(e);
}

export const timelineColumns: Column<TimelineRow>[] = [
  {
    id: "time",
    title: "TIME",
    width: 8,
    priority: 0,
    cell: (r) => ({ text: clock(r.event.at) }),
    sortValue: (r) => r.event.at,
  },
  {
    id: "kind",
    title: "KIND",
    width: 6,
    priority: 1,
    cell: (r) => ({ text: r.event.kind, tone: eventTone(r.event) }),
  },
  {
    id: "event",
    title: "EVENT",
    width: 28,
    priority: 0,
    grow: true,
    cell: (r) => ({ text: r.event.text, tone: eventTone(r.event) }),
  },
  { id: "command", title: "COMMAND", width: 34, priority: 2, cell: (r) => ({ text: r.event.command ?? "" }) },
  {
    id: "reply",
    title: "REPLY",
    width: 20,
    priority: 3,
    cell: (r) => ({
      text: (r.event.reply ?? "").replace(/\s+/g, " ").trim(),
      tone: r.event.ok === false ? "bad" : "none",
    }),
  },
  {
    id: "duration",
    title: "MS",
    width: 6,
    align: "right",
    priority: 3,
    cell: (r) => ({ text: r.event.durationMs === undefined ? "" : String(Math.round(r.event.durationMs)) }),
    sortValue: (r) => r.event.durationMs ?? null,
  },
];

/** Timeline rows, newest first; the filter matches the event text and command. */
export function buildTimelineRows(state: MonitorState, filter: NameFilter): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const seen = new Set<string>();
  for (let i = state.events.length - 1; i >= 0; i--) {
    const e = state.events[i]!;
    if (!filter.match(e.text) && !filter.match(e.command ?? "")) continue;
    rows.push({ key: uniqueKey(seen, `${e.at}|${e.kind}|${e.text}`), event: e });
  }
  return rows;
}
