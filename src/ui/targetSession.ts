import { type CliSession, createCliSession } from "../actions/cliSession.js";
import { fileHistory, historyPath } from "../actions/history.js";
import { MasterRoute, routedPolling } from "../actions/masterRoute.js";
import { describeTarget, type Target } from "../client/target.js";
import { Poller } from "../store/poller.js";
import { eventLogger } from "./eventLogger.js";
import type { ActionController } from "./plan.js";

/** What the live monitor needs from the command line (main.ts resolves the options into it). */
export interface MonitorSettings {
  /** Colours wanted (`--no-color` off); NO_COLOR is checked here too. */
  color: boolean;
  /** Poll interval, seconds. */
  interval: number;
  /** Socket timeout, seconds. */
  timeout: number;
  /** Most `show stat` rows read per reply (`--max-rows`). */
  maxRows?: number;
  /** `--log` file for the timeline, as JSON lines. */
  log?: string;
  readOnly?: boolean;
  /** `--master-socket`: the master CLI, for the process view's workers (else found like reload does). */
  masterSocket?: string;
}

/** One watched target: its poller, its actions, its Runtime API prompt. */
export interface TargetSession {
  poller: Poller;
  controller: ActionController;
  cli: CliSession;
  /** Why the --log file could not be written, once it failed. */
  logError: () => string | null;
}

/**
 * Everything one target needs, wired: the poller (polls go to the target, or to a worker through
 * the master CLI once one is watched in view 9), the controller, the prompt's session (its own
 * connection per command, its history file, the timeline). The single-target monitor makes one;
 * the fleet makes one per target, each polling on its own with its own backoff.
 */
export function createTargetSession(
  target: Target,
  opts: MonitorSettings,
  /** `current`: where actions go, the process the UI shows (the target, or a watched worker). */
  makeController: (poller: Poller, current: () => Target) => ActionController,
  name?: string,
): TargetSession {
  let logError: string | null = null;
  const route = new MasterRoute(target, { masterSocket: opts.masterSocket, timeoutMs: opts.timeout * 1000 });
  const current = () => route.current();
  const poller = new Poller({
    // The header names the target: the fleet's name and, when it differs, the address it stands for.
    target:
      name && name !== describeTarget(target)
        ? `${name} (${describeTarget(target)})`
        : describeTarget(target),
    intervalMs: opts.interval * 1000,
    // Polls go to the target, or to a worker through the master CLI once one is watched (view 9).
    ...routedPolling(route, { timeoutMs: opts.timeout * 1000, maxRows: opts.maxRows }),
    onEvent: eventLogger(opts.log, (m) => {
      logError = m;
    }),
  });
  // Actions and the prompt go where polls go: to the worker watched, when one is.
  const controller = makeController(poller, current);
  // The Runtime API prompt (`:`): its own connection per command, its history file, the timeline.
  const cli = createCliSession(current, {
    timeoutMs: opts.timeout * 1000,
    readOnly: opts.readOnly === true,
    history: fileHistory(historyPath()),
    level: () => poller.store.getSnapshot().level,
    version: () => {
      const v = poller.store.getSnapshot().snapshot?.info.Version;
      return v === undefined || v === null ? null : String(v);
    },
    addEvent: (e) => poller.addEvent(e),
  });
  return { poller, controller, cli, logError: () => logError };
}
