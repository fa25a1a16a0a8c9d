/** The fleet screen's UI state: which table, cursor and scroll per table, filter, order, help. */
export interface FleetUi {
  tab: "overview" | "backends";
  cursor: Record<FleetUi["tab"], string | null>;
  scroll: Record<FleetUi["tab"], number>;
  filter: string;
  /** The filter line is open (keys are typed into it). */
  typing: boolean;
  /** Esc in the filter line puts this back. */
  previousFilter: string;
  reversed: boolean;
  help: boolean;
  /** First line of the help shown (it scrolls on a short terminal). */
  helpScroll: number;
}

export type FleetUiAction =
  | { type: "tab"; tab: FleetUi["tab"] }
  | { type: "cursor"; key: string | null; scroll: number }
  | { type: "filter-start" }
  | { type: "filter"; text: string }
  | { type: "filter-end"; keep: boolean }
  | { type: "reverse" }
  | { type: "help"; open: boolean }
  | { type: "help-scroll"; by: number; max: number };

export function initialFleetUi(): FleetUi {
  return {
    tab: "overview",
    cursor: { overview: null, backends: null },
    scroll: { overview: 0, backends: 0 },
    filter: "",
    typing: false,
    previousFilter: "",
    reversed: false,
    help: false,
    helpScroll: 0,
  };
}

/** The fleet screen's only state transition. Pure. */
export function reduceFleet(s: FleetUi, a: FleetUiAction): FleetUi {
  switch (a.type) {
    case "tab":
      return { ...s, tab: a.tab };
    case "cursor":
      return { ...s, cursor: { ...s.cursor, [s.tab]: a.key }, scroll: { ...s.scroll, [s.tab]: a.scroll } };
    case "filter-start":
      return { ...s, typing: true, previousFilter: s.filter, filter: "" };
    case "filter":
      return { ...s, filter: a.text, cursor: { ...s.cursor, [s.tab]: null } };
    case "filter-end":
      return { ...s, typing: false, filter: a.keep ? s.filter : s.previousFilter };
    case "reverse":
      return { ...s, reversed: !s.reversed };
    case "help":
      return { ...s, help: a.open, helpScroll: 0 };
    case "help-scroll":
      return { ...s, helpScroll: Math.max(0, Math.min(a.max, s.helpScroll + a.by)) };
  }
}
