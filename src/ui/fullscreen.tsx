import { render } from "ink";
import type { ReactElement } from "react";
import { sanitize } from "../text/sanitize.js";
import { onRedrawKey } from "./terminal/redrawKey.js";
import { ENTER_SCREEN as ENTER, LEAVE_SCREEN as LEAVE, TerminalWriter } from "./terminal/writer.js";

export interface FullscreenHooks {
  /** Starts the polling once the screen is set up. */
  start: () => void;
  /** Stops it; called once, however the program ends (quit, signal, crash, exit). */
  stop: () => void;
}

/**
 * Draws `element` full screen (alternate screen, cell-diffing writer) until it exits, and restores
 * the terminal however it ends: quit, SIGTERM/SIGHUP, a crash (one escaped line, no stack trace
 * unless HAPTOP_DEBUG), Ctrl-Z and back (redrawn whole). The single-target monitor and the fleet
 * overview both run through here.
 */
export async function runFullscreen(element: ReactElement, hooks: FullscreenHooks): Promise<void> {
  const stdout = process.stdout;
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
    hooks.stop();
    writer?.close();
    undoRedrawKey();
    process.off("SIGCONT", onContinue);
    stdout.write(LEAVE);
  };
  stdout.write(ENTER);
  process.on("exit", restore);
  process.on("SIGCONT", onContinue);

  const app = render(
    element,
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
    process.exit(sig === "SIGTERM" ? 143 : sig === "SIGINT" ? 130 : 129);
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
  // A SIGINT from outside (kill -INT; a terminal's Ctrl-C is a key here): leave the screen as well.
  process.once("SIGINT", onSignal);
  process.once("uncaughtException", onCrash);
  process.once("unhandledRejection", onCrash);
  hooks.start();
  try {
    await app.waitUntilExit();
  } finally {
    restore();
  }
}
