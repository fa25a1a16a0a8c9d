/**
 * One README screenshot: waits until the real TUI in tmux shows what the shot is about (and its
 * footer, so the frame is whole), then writes screenshots/<name>.ansi and <name>.svg. Shared by the
 * scripts/screenshot-*.ts scripts.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TmuxTerm } from "../lab/tmux.js";
import { ansiToSvg } from "./ansi-to-svg.js";

export const OUT_DIR = fileURLToPath(new URL("../screenshots/", import.meta.url));
/** The main footer: drawn last, so a frame that shows it is whole. */
export const FOOTER = /q quit {2}\? help/;

/** The screen without its styling escapes. */
export const plain = (ansi: string) => ansi.replace(/\u001b\[[0-9;]*m/g, "");

export interface ShotOptions {
  cols: number;
  rows: number;
  /** What must also be on screen (default FOOTER; null for none). */
  footer?: RegExp | null;
  timeoutMs?: number;
}

/** A `shot(term, name, title, ready)` function for terminals of this size. */
export function shooter(o: ShotOptions) {
  const footer = o.footer === undefined ? FOOTER : o.footer;
  return async (term: TmuxTerm, name: string, title: string, ready: RegExp): Promise<void> => {
    const ansi = await term.waitForAnsi(
      (a) => ready.test(plain(a)) && (footer === null || footer.test(plain(a))),
      o.timeoutMs ?? 15_000,
      name,
    );
    writeFileSync(`${OUT_DIR}${name}.ansi`, ansi);
    writeFileSync(`${OUT_DIR}${name}.svg`, ansiToSvg(ansi, { cols: o.cols, rows: o.rows, title }));
    process.stderr.write(`screenshots/${name}.svg\n`);
  };
}
