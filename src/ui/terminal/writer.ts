import { EventEmitter } from "node:events";
import { BEGIN_SYNC, END_SYNC, Screen } from "./screen.js";

/** What the writer needs of the real terminal (process.stdout, or a test double). */
export interface TerminalOut {
  columns?: number;
  rows?: number;
  write(data: string): unknown;
  on(event: "resize", listener: () => void): unknown;
  off(event: "resize", listener: () => void): unknown;
}

// Alternate screen, cursor hidden; and back. Restored on every way out, or the shell is left broken.
export const ENTER_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[H";
export const LEAVE_SCREEN = "\x1b[0m\x1b[?1049l\x1b[?25h";

/**
 * The stream Ink renders into (`render(<App/>, { stdout: writer, debug: true })`): in debug mode Ink
 * writes every frame whole, and this writer forwards to the terminal only the cells that changed
 * since the last frame, inside synchronized-output brackets (unless the change is a single run). Ink's own writer (log-update) erases
 * and rewrites every line of every frame (~9 KB at 160×50) even when only the clock moved.
 *
 * It looks like a TTY stream to Ink and to `useStdout()`: `columns`/`rows` are the terminal's, and a
 * terminal resize is re-emitted (after which the next frame is drawn in full).
 */
export class TerminalWriter extends EventEmitter {
  readonly isTTY = true;
  writable = true;
  /** Bytes and writes sent to the terminal, for the bench and tests. */
  bytesWritten = 0;
  writes = 0;
  private readonly screen: Screen;
  private lastFrame: string | null = null;
  private closed = false;

  constructor(private readonly out: TerminalOut) {
    super();
    this.screen = new Screen(this.columns, this.rows);
    out.on("resize", this.onResize);
  }

  get columns(): number {
    return this.out.columns || 80;
  }

  get rows(): number {
    return this.out.rows || 24;
  }

  /** Ink calls this with each whole frame. Returns true like a stream that never needs draining. */
  write(chunk: string | Uint8Array, cb?: (() => void) | string, cb2?: () => void): boolean {
    const frame = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (frame !== "" && !this.closed) {
      this.lastFrame = frame;
      this.draw(frame);
    }
    const done = typeof cb === "function" ? cb : cb2;
    if (done) queueMicrotask(done);
    return true;
  }

  /** The terminal lost our screen (SIGCONT, Ctrl-L): draw the last frame again, in full. */
  redraw(): void {
    if (this.closed) return;
    this.screen.invalidate();
    if (this.lastFrame !== null) this.draw(this.lastFrame);
  }

  /** Stops drawing (before the caller leaves the alternate screen) and lets go of the terminal. */
  close(): void {
    this.closed = true;
    this.writable = false;
    this.out.off("resize", this.onResize);
  }

  private draw(frame: string): void {
    const bytes = this.screen.update(frame);
    if (bytes === "") return;
    // One run (a clock digit, a counter) is one short write the terminal draws as it arrives: there
    // is nothing to tear, and the 16 bytes of brackets would double what a quiet tick costs.
    const data = this.screen.runs > 1 ? BEGIN_SYNC + bytes + END_SYNC : bytes;
    this.bytesWritten += Buffer.byteLength(data);
    this.writes++;
    this.out.write(data);
  }

  private readonly onResize = () => {
    this.screen.resize(this.columns, this.rows);
    // A terminal may reflow or clear on resize: whatever it kept, the next frame is drawn in full.
    this.screen.invalidate();
    this.emit("resize");
  };
}
