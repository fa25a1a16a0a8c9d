import { Box, Text, useApp, useInput } from "ink";
import { useSyncExternalStore } from "react";
import type { FleetRow } from "../../model/fleet.js";
import type { FleetSource } from "../../store/fleet.js";
import type { MonitorState } from "../../store/state.js";
import { sanitize } from "../../text/sanitize.js";
import { BURST_KEYS, useClock } from "../appParts.js";
import { Footer } from "../components/Footer.js";
import { HelpOverlay, helpMaxScroll } from "../components/HelpOverlay.js";
import { StatusLine } from "../components/StatusLine.js";
import { Table, tableBodyHeight, visibleWindow } from "../components/Table.js";
import { TextPane } from "../components/TextPane.js";
import { toneStyle } from "../components/tone.js";
import { moveCursor, validCursor } from "../cursor.js";
import { keyLabel, keyName } from "../keys.js";
import { edit } from "../overlay.js";
import { useColor, useLayout } from "../theme.js";
import { useSyncState } from "../useSyncState.js";
import { compileFilter } from "../views/filter.js";
import { TROUBLE_ID } from "../views/trouble.js";
import { aggregateColumns, aggregateRows, isStale } from "./aggregate.js";
import { fleetColumns, fleetDetail, fleetLines } from "./columns.js";
import { FLEET_BINDINGS, type FleetActionId, fleetBindingFor } from "./fleetBindings.js";
import { type FleetUi, initialFleetUi, reduceFleet } from "./fleetUi.js";

export interface FleetScreenProps {
  source: FleetSource;
  /** Socket targets' states by name, for the backends side by side (none from Prometheus). */
  memberStates: () => { name: string; state: MonitorState }[];
  /** Enter on a row: the root opens it (full UI, or a pane); the message says why it cannot. */
  onOpen: (row: FleetRow) => void;
  /** A pane to show over the table (an instance read from Prometheus), and closing it. */
  pane: { title: string; lines: string[] } | null;
  onClosePane: () => void;
  message: { text: string; tone: "bad" | "warn" | "none" } | null;
}

/** The help overlay's groups: the fleet's own registry. */
function helpGroupsOf() {
  return ["General", "Views", "Navigation", "Display"].map((title) => ({
    title,
    items: FLEET_BINDINGS.filter((b) => b.group === title).map((b) => ({
      keys: b.keys.map(keyLabel),
      label: b.label,
      description: b.help,
      disabledReason: null,
    })),
  }));
}

/** Lines around the table: header, tabs, detail, status, footer. */
const CHROME = 5;

/** The fleet overview (one row per load balancer) and the backends side by side. No I/O here. */
export function FleetScreen(props: FleetScreenProps) {
  const { source } = props;
  const fleet = useSyncExternalStore(source.store.subscribe, source.store.getSnapshot);
  const { exit } = useApp();
  const layout = useLayout();
  const color = useColor();
  const now = useClock(1000);
  const [ui, getUi, setUi] = useSyncState<FleetUi>(initialFleetUi);
  const { width, height } = layout;
  const tableHeight = Math.max(2, height - CHROME);
  const filter = compileFilter(ui.filter);
  const sort = { columnId: TROUBLE_ID, descending: !ui.reversed };

  const build = (u: FleetUi) => {
    const f = compileFilter(u.filter);
    if (u.tab === "overview") {
      const rows = fleetLines(fleet.rows, now, f, { columnId: TROUBLE_ID, descending: !u.reversed });
      return { kind: "overview" as const, rows, keys: rows.map((r) => r.key) };
    }
    const members = props.memberStates();
    const rows = aggregateRows(members, f);
    if (u.reversed) rows.reverse();
    return {
      kind: "backends" as const,
      rows,
      keys: rows.map((r) => r.key),
      names: members.map((m) => ({
        name: m.name,
        stale: isStale(m.state),
        loading: m.state.serversPending,
      })),
    };
  };
  const view = build(ui);
  const cursor = validCursor(view.keys, ui.cursor[ui.tab]);
  const index = cursor === null ? -1 : view.keys.indexOf(cursor);
  const scrollTop = visibleWindow(index, ui.scroll[ui.tab], tableHeight, view.keys.length);

  const dispatch = (a: Parameters<typeof reduceFleet>[1]) => setUi((u) => reduceFleet(u, a));
  const move = (m: "up" | "down" | "page-up" | "page-down" | "home" | "end") => {
    const u = getUi();
    const v = build(u);
    const key = moveCursor(
      v.keys,
      validCursor(v.keys, u.cursor[u.tab]),
      m,
      Math.max(1, tableBodyHeight(tableHeight) - 1),
    );
    const i = key === null ? -1 : v.keys.indexOf(key);
    dispatch({ type: "cursor", key, scroll: visibleWindow(i, u.scroll[u.tab], tableHeight, v.keys.length) });
  };
  const handlers: Record<FleetActionId, () => void> = {
    "fleet-quit": () => exit(),
    "fleet-help": () => dispatch({ type: "help", open: true }),
    "fleet-refresh": () => source.refreshNow(),
    "fleet-overview": () => dispatch({ type: "tab", tab: "overview" }),
    "fleet-backends": () => dispatch({ type: "tab", tab: "backends" }),
    "fleet-up": () => move("up"),
    "fleet-down": () => move("down"),
    "fleet-page-up": () => move("page-up"),
    "fleet-page-down": () => move("page-down"),
    "fleet-home": () => move("home"),
    "fleet-end": () => move("end"),
    "fleet-open": () => {
      const u = getUi();
      const v = build(u);
      if (v.kind !== "overview") return;
      const row = v.rows[v.keys.indexOf(validCursor(v.keys, u.cursor[u.tab]) ?? "")];
      if (row) props.onOpen(row);
    },
    "fleet-filter": () => dispatch({ type: "filter-start" }),
    "fleet-clear": () => dispatch({ type: "filter", text: "" }),
    "fleet-reverse": () => dispatch({ type: "reverse" }),
  };

  useInput((input, key) => {
    // A burst of printable keys (a paste, tmux send-keys) arrives as one string: key by key.
    if (input.length > 1 && !key.ctrl && !key.meta && !input.includes("\u001b")) {
      for (const ch of input) {
        const name = BURST_KEYS[ch] ?? (ch >= " " ? ch : null);
        if (name) onKey(ch, name);
      }
      return;
    }
    const name = keyName(input, key);
    if (name !== null) onKey(input, name);
  });

  function onKey(input: string, name: string) {
    if (name === "ctrl-c") return exit();
    const u = getUi();
    if (props.pane) {
      if (name === "esc" || name === "q" || name === "enter") props.onClosePane();
      return;
    }
    if (u.help) {
      if (name === "esc" || name === "q" || name === "?" || name === "h")
        dispatch({ type: "help", open: false });
      const page = Math.max(1, tableHeight - 3);
      const by = { up: -1, down: 1, pageup: -page, pagedown: page, home: -1e6, end: 1e6 }[name];
      if (by !== undefined)
        dispatch({ type: "help-scroll", by, max: helpMaxScroll(helpGroupsOf(), tableHeight + 1) });
      return;
    }
    if (u.typing) {
      if (name === "enter" || name === "esc") return dispatch({ type: "filter-end", keep: name === "enter" });
      const text = edit(u.filter, name, input);
      if (text !== null) dispatch({ type: "filter", text });
      return;
    }
    const id = fleetBindingFor(name);
    if (id) handlers[id]();
  }

  const unreachable = fleet.rows.filter((r) => r.reachable === false).length;
  const age =
    fleet.lastOkAt === null
      ? "waiting…"
      : `updated ${Math.max(0, Math.round((now - fleet.lastOkAt) / 1000))}s ago`;
  const header = `haptop fleet  ${fleet.source}  ${fleet.rows.length} load balancer${fleet.rows.length === 1 ? "" : "s"}  ${age}`;
  const selected = view.kind === "overview" ? view.rows[index] : undefined;
  const status = props.message
    ? props.message
    : fleet.error
      ? { text: fleet.error, tone: "bad" as const }
      : ui.typing
        ? { text: `filter: ${ui.filter}▏ (Enter keep · Esc clear)`, tone: "none" as const }
        : null;
  const footer = FLEET_BINDINGS.filter((b) => b.footer).map((b) => ({
    key: keyLabel(b.keys[0]!),
    label: b.label,
  }));
  const tabs = ["overview", "backends"] as const;

  let body: React.ReactNode;
  if (props.pane) {
    body = (
      <TextPane
        title={props.pane.title}
        lines={props.pane.lines}
        width={width}
        height={tableHeight + 1}
        scrollTop={0}
      />
    );
  } else if (ui.help) {
    body = (
      <HelpOverlay groups={helpGroupsOf()} width={width} height={tableHeight + 1} scrollTop={ui.helpScroll} />
    );
  } else if (view.kind === "overview") {
    body = (
      <Box flexDirection="column" height={tableHeight + 1}>
        <Table
          columns={fleetColumns}
          rows={view.rows}
          rowKey={(r) => r.key}
          cursorKey={cursor}
          scrollTop={scrollTop}
          width={width}
          height={tableHeight}
          sort={sort}
          color={color}
          emptyText={filter.label ? "no target matches" : "no target"}
        />
        <Text wrap="truncate" {...toneStyle(selected?.error ? "bad" : "accent", color)}>
          {sanitize(fleetDetail(selected)) || " "}
        </Text>
      </Box>
    );
  } else {
    body = (
      <Box flexDirection="column" height={tableHeight + 1}>
        <Table
          columns={aggregateColumns(view.names)}
          rows={view.rows}
          rowKey={(r) => r.key}
          cursorKey={cursor}
          scrollTop={scrollTop}
          width={width}
          height={tableHeight}
          sort={null}
          color={color}
          emptyText={
            view.names.length
              ? "no backend matches"
              : "backends side by side need socket targets (not Prometheus)"
          }
        />
        <Text wrap="truncate" {...toneStyle("dim", color)}>
          {view.names.some((t) => t.stale)
            ? "≠ differs between load balancers · ✗ not answering: last known status, marked ?"
            : "≠ marks a backend or server whose status is not the same on every load balancer"}
        </Text>
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate" bold>
        {sanitize(header)}
        {unreachable ? <Text {...toneStyle("bad", color)}>{`  ${unreachable} unreachable`}</Text> : null}
      </Text>
      <Text wrap="truncate">
        {tabs.map((t, i) => (
          <Text
            key={t}
            inverse={ui.tab === t}
            bold={ui.tab === t}
          >{` ${i + 1} ${t === "overview" ? "Fleet" : "Backends side by side"} `}</Text>
        ))}
        <Text {...toneStyle("dim", color)}>
          {filter.label ? `  filter /${sanitize(filter.label)}` : ""}
          {ui.reversed ? "  reversed" : "  trouble first"}
        </Text>
      </Text>
      {body}
      <StatusLine text={status ? sanitize(status.text) : null} tone={status?.tone ?? "dim"} />
      <Footer items={footer} />
    </Box>
  );
}

export type { FleetUi };
