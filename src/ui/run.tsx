import { appendFileSync } from "node:fs";
import { render } from "ink";
import { formatError } from "../client/errors.js";
import type { Target } from "../client/target.js";
import { describeTarget } from "../client/target.js";
import type { GlobalOptions } from "../main.js";
import { pollOnce } from "../store/poll.js";
import { Poller } from "../store/poller.js";
import type { TimelineEvent } from "../store/state.js";
import { App } from "./App.js";
import type { ActionController } from "./plan.js";

// Alternate screen and cursor: restored on every way out, or the SRE's shell is left broken.
const ENTER = "\x1b[?1049h\x1b[?25l\x1b[H";
const LEAVE = "\x1b[?1049l\x1b[?25h";

/** Writes each timeline event as one JSON line; a failing log is reported once, never fatal. */
export function eventLogger(
  file: string | undefined,
  onError: (msg: string) => void,
): (e: TimelineEvent) => void {
  if (!file) return () => {};
  let broken = false;
  return (e) => {
    if (broken) return;
    try {
      appendFileSync(file, `${JSON.stringify({ ...e, at: new Date(e.at).toISOString() })}\n`);
    } catch (err) {
      broken = true;
      onError(`--log ${file}: ${formatError(err)}`);
    }
  };
}

/** The live monitor: polls, renders, and restores the terminal however it ends. */
export async function runInteractive(
  target: Target,
  opts: GlobalOptions,
  makeController: (poller: Poller) => ActionController,
): Promise<number> {
  const stdout = process.stdout;
  const color = opts.color && !process.env.NO_COLOR;
  let logError: string | null = null;
  const poller = new Poller({
    target: describeTarget(target),
    intervalMs: opts.interval * 1000,
    fetch: (demand, withLevel) => pollOnce(target, demand, withLevel, { timeoutMs: opts.timeout * 1000 }),
    onEvent: eventLogger(opts.log, (m) => {
      logError = m;
    }),
  });
  const controller = makeController(poller);

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    poller.stop();
    stdout.write(LEAVE);
  };
  stdout.write(ENTER);
  process.on("exit", restore);

  const app = render(
    <App poller={poller} controller={controller} color={color} readOnly={opts.readOnly === true} />,
    { exitOnCtrlC: false, patchConsole: true, maxFps: 20 },
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
    process.stderr.write(`haptop: unexpected error: ${detail} (HAPTOP_DEBUG=1 shows where)\n`);
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
