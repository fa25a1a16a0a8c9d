import { useState } from "react";
import type { CliSession } from "../../actions/cliSession.js";
import type { FleetRow } from "../../model/fleet.js";
import type { FleetMember, FleetSource } from "../../store/fleet.js";
import type { Poller } from "../../store/poller.js";
import { App } from "../App.js";
import type { ActionController } from "../plan.js";
import { ScreenProvider } from "../ScreenProvider.js";
import { ThemeProvider } from "../theme.js";
import { FleetScreen } from "./FleetScreen.js";

/** What Enter on a fleet row opens: the full UI of that target, a read-only pane, or why not. */
export type Opened =
  | {
      kind: "ui";
      name: string;
      poller: Poller;
      controller: ActionController;
      cli?: CliSession;
      close?: () => void;
    }
  | { kind: "pane"; title: string; lines: string[] }
  | { kind: "error"; message: string };

export interface FleetRootProps {
  source: FleetSource;
  /** Socket targets (empty for Prometheus): their states feed the backends side by side. */
  members: readonly FleetMember[];
  /** Opens a row (I/O lives in the caller: src/ui/runFleet.tsx). */
  open: (row: FleetRow) => Promise<Opened>;
  color: boolean;
  readOnly: boolean;
  size?: { columns: number; rows: number };
}

/**
 * The fleet overview, or one target opened from it in the full single-target UI (`0` comes back).
 * A target's poller keeps running while the overview shows (its row stays fresh).
 */
export function FleetRoot(props: FleetRootProps) {
  const [opened, setOpened] = useState<Extract<Opened, { kind: "ui" }> | null>(null);
  const [pane, setPane] = useState<{ title: string; lines: string[] } | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "bad" | "warn" | "none" } | null>(null);

  if (opened) {
    const back = () => {
      // The views' extra fetches (sessions, tables…) stop with the full UI.
      opened.poller.setDemand({ sessions: false, errors: false });
      opened.close?.();
      setOpened(null);
    };
    return (
      <App
        key={opened.name}
        poller={opened.poller}
        controller={opened.controller}
        cli={opened.cli}
        color={props.color}
        readOnly={props.readOnly}
        size={props.size}
        onFleet={back}
      />
    );
  }
  const onOpen = (row: FleetRow) => {
    setMessage({ text: `opening ${row.name}…`, tone: "none" });
    props
      .open(row)
      .then((o) => {
        setMessage(o.kind === "error" ? { text: o.message, tone: "bad" } : null);
        if (o.kind === "ui") setOpened(o);
        if (o.kind === "pane") setPane({ title: o.title, lines: o.lines });
      })
      .catch((e: unknown) => setMessage({ text: e instanceof Error ? e.message : String(e), tone: "bad" }));
  };
  return (
    <ThemeProvider color={props.color}>
      <ScreenProvider size={props.size}>
        <FleetScreen
          source={props.source}
          memberStates={() =>
            props.members.map((m) => ({ name: m.name, state: m.poller.store.getSnapshot() }))
          }
          onOpen={onOpen}
          pane={pane}
          onClosePane={() => setPane(null)}
          message={message}
        />
      </ScreenProvider>
    </ThemeProvider>
  );
}
