import { render } from "ink";
import type { Target } from "../client/target.js";
import { describeTarget } from "../client/target.js";
import { fetchExtra, pollOnce } from "../store/poll.js";
import { Poller } from "../store/poller.js";
import { sanitize } from "../text/sanitize.js";
import { App } from "./App.js";
import { eventLogger } from "./eventLogger.js";
import type { ActionController } from "./plan.js";
import { onRedrawKey } from "./terminal/redrawKey.js";
import { ENTER_SCREEN as ENTER, LEAVE_SCREEN as LEAVE, TerminalWriter } from "./terminal/writer.js";

// The --log writer lives in its own module (the one place that writes event lines to a file).
export { eventLogger } from "./eventLogger.js";

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
}

/** The live monitor: polls, renders, and restores the terminal however it ends. */
export async function runInteractive(
  target: Target,
  opts: MonitorSettings,
  makeController: (poller: Poller) => ActionController,
): Promise<number> {
  const stdout = process.stdout;
  const color = opts.color && !process.env.NO_COLOR;
  let logError: string | null = null;
  const poller = new Poller({
    target: describeTarget(target),
    intervalMs: opts.interval * 1000,
    fetch: (demand, withLevel) =>
      pollOnce(target, demand, withLevel, { timeoutMs: opts.timeout * 1000, maxRows: opts.maxRows }),
    fetchExtra: (query) => fetchExtra(target, query, { timeoutMs: opts.timeout * 1000 }),
    onEvent: eventLogger(opts.log, (m) => {
      logError = m;
    }),
  });
  const controller = makeController(poller);

  // Ink renders each whole frame into the writer (debug mode: no log-update, no throttle), and the
  // writer sends the terminal only the cells that changed. HAPTOP_RENDERER=ink falls back to Ink's
  // own writer (which rewrites every line of every frame), for comparison in bench/sidebyside.ts.
  const inkWriter = process.env.HAPTOP_RENDERER === "ink";
  const writer = inkWriter ? null : new TerminalWriter(stdout);
  const undoRedrawKey = writer ? onRedrawKey(process.stdin, () => writer.redraw()) : () => {};
  // After a stop (Ctrl-Z, kill -STOP) the shell owned the screen: take it back and draw it all.
  const onContinue = () => {
    stdout.write(ENTER);
    writer?.redraw();
  };

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    poller.stop();
    writer?.close();
    undoRedrawKey();
    process.off("SIGCONT", onContinue);
    stdout.write(LEAVE);
  };
  stdout.write(ENTER);
  process.on("exit", restore);
  process.on("SIGCONT", onContinue);

  const app = render(
    <App poller={poller} controller={controller} color={color} readOnly={opts.readOnly === true} />,
    writer
      ? {
          stdout: writer as unknown as NodeJS.WriteStream,
          debug: true,
          exitOnCtrlC: false,
          patchConsole: false,
        }
      : { exitOnCtrlC: false, patchConsole: true, maxFps: 20 },
  );
  const onSignal = (sig: NodeJS.Signals) => {
    app.unmount();
    restore();
    process.exit(sig === "SIGTERM" ? 143 : 129);
  };
  const onCrash = (err: unknown) => {
    app.unmount();
    restore();
    const detail =
      err instanceof Error
        ? process.env.HAPTOP_DEBUG
          ? (err.stack ?? err.message)
          : err.message
        : String(err);
    // The message may quote HAProxy's text: escaped like every other message (src/text/sanitize.ts).
    const shown = detail.split("\n").map(sanitize).join("\n");
    process.stderr.write(`haptop: unexpected error: ${shown} (HAPTOP_DEBUG=1 shows where)\n`);
    process.exit(1);
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGHUP", onSignal);
  process.once("uncaughtException", onCrash);
  process.once("unhandledRejection", onCrash);
  poller.start();
  try {
    await app.waitUntilExit();
  } finally {
    restore();
  }
  if (logError) process.stderr.write(`haptop: ${logError}\n`);
  return 0;
}
