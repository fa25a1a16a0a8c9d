import type { Target } from "../client/target.js";
import type { Poller } from "../store/poller.js";
import { App } from "./App.js";
import { runFullscreen } from "./fullscreen.js";
import type { ActionController } from "./plan.js";
import { createTargetSession, type MonitorSettings } from "./targetSession.js";

// The --log writer lives in its own module (the one place that writes event lines to a file).
export { eventLogger } from "./eventLogger.js";
export type { MonitorSettings } from "./targetSession.js";

/** The live monitor of one target: polls, renders, and restores the terminal however it ends. */
export async function runInteractive(
  target: Target,
  opts: MonitorSettings,
  makeController: (poller: Poller, current: () => Target) => ActionController,
): Promise<number> {
  const color = opts.color && !process.env.NO_COLOR;
  const { poller, controller, cli, logError } = createTargetSession(target, opts, makeController);
  await runFullscreen(
    <App poller={poller} controller={controller} color={color} readOnly={opts.readOnly === true} cli={cli} />,
    { start: () => poller.start(), stop: () => poller.stop() },
  );
  const failed = logError();
  if (failed) process.stderr.write(`haptop: ${failed}\n`);
  return 0;
}
