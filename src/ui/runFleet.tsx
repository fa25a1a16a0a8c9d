import type { Target } from "../client/target.js";
import type { FleetRow } from "../model/fleet.js";
import { type FleetMember, type FleetSource, PromFleet, SocketFleet } from "../store/fleet.js";
import type { Poller } from "../store/poller.js";
import { FleetRoot, type Opened } from "./fleet/FleetRoot.js";
import { runFullscreen } from "./fullscreen.js";
import type { ActionController } from "./plan.js";
import { createTargetSession, type MonitorSettings, type TargetSession } from "./targetSession.js";

/** A target of the fleet: its name (from the config file, else the address as given). */
export interface NamedTarget {
  name: string;
  target: Target;
}

type MakeController = (target: Target, poller: Poller, current: () => Target) => ActionController;

const opened = (name: string, s: TargetSession, close?: () => void): Opened => ({
  kind: "ui",
  name,
  poller: s.poller,
  controller: s.controller,
  cli: s.cli,
  close,
});

/**
 * Several socket targets at once: one session (poller, controller, prompt) per target, all polling
 * concurrently, each with its own backoff; the overview, and Enter opens one in the full UI.
 */
export async function runSocketFleet(
  targets: readonly NamedTarget[],
  opts: MonitorSettings,
  makeController: MakeController,
): Promise<number> {
  const sessions = new Map<string, TargetSession>();
  const members: FleetMember[] = targets.map((t) => {
    const s = createTargetSession(
      t.target,
      opts,
      (p, current) => makeController(t.target, p, current),
      t.name,
    );
    sessions.set(t.name, s);
    return { name: t.name, poller: s.poller };
  });
  const source = new SocketFleet(members);
  const open = async (row: FleetRow): Promise<Opened> => {
    const s = sessions.get(row.name);
    return s ? opened(row.name, s) : { kind: "error", message: `${row.name}: not a target of this fleet` };
  };
  await runFleetScreen(source, members, open, opts);
  for (const s of sessions.values()) s.controller.dispose?.();
  return 0;
}

export interface PromSettings {
  url: string;
  /** `--match`, checked (src/parse/prometheus.ts parseMatchers). */
  matchers: string;
  getJson: (pathAndQuery: string) => Promise<unknown>;
  /** Prometheus `instance` → the target the config file maps it to. */
  mapped: ReadonlyMap<string, NamedTarget>;
  /** The instance's backends and servers read from Prometheus, for an instance not mapped. */
  describe: (instance: string) => Promise<{ title: string; lines: string[] }>;
}

/**
 * The fleet from a Prometheus server. Enter on an instance the config file maps to a target opens
 * that target in the full UI (a session started then, stopped on the way back); any other
 * instance opens a read-only pane of what Prometheus knows about it.
 */
export async function runPromFleet(
  prom: PromSettings,
  opts: MonitorSettings,
  makeController: MakeController,
): Promise<number> {
  const source = new PromFleet({ url: prom.url, matchers: prom.matchers, getJson: prom.getJson });
  const open = async (row: FleetRow): Promise<Opened> => {
    const t = prom.mapped.get(row.name);
    if (!t) {
      const pane = await prom.describe(row.name);
      return { kind: "pane", ...pane };
    }
    const s = createTargetSession(
      t.target,
      opts,
      (p, current) => makeController(t.target, p, current),
      t.name,
    );
    s.poller.start();
    return opened(t.name, s, () => {
      s.poller.stop();
      s.controller.dispose?.();
    });
  };
  await runFleetScreen(source, [], open, opts);
  return 0;
}

async function runFleetScreen(
  source: FleetSource,
  members: readonly FleetMember[],
  open: (row: FleetRow) => Promise<Opened>,
  opts: MonitorSettings,
): Promise<void> {
  const color = opts.color && !process.env.NO_COLOR;
  await runFullscreen(
    <FleetRoot
      source={source}
      members={members}
      open={open}
      color={color}
      readOnly={opts.readOnly === true}
    />,
    { start: () => source.start(), stop: () => source.stop() },
  );
}
