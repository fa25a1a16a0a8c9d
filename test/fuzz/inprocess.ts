/**
 * The haptop CLI run inside the test process (`main(argv)` from src/main.ts), stdout and stderr
 * captured: the same code as `src/cli.ts` minus its two lines, without the seconds a `node --import
 * tsx` start costs on a busy machine. Batch mode only (stdout is not a terminal here).
 */
import { vi } from "vitest";
import { main } from "../../src/main.js";

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(args: string[]): Promise<InProcessRun> {
  const out: string[] = [];
  const err: string[] = [];
  const capture =
    (into: string[]) =>
    (chunk: unknown, ...rest: unknown[]) => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      cb?.();
      return true;
    };
  const so = vi
    .spyOn(process.stdout, "write")
    .mockImplementation(capture(out) as typeof process.stdout.write);
  const se = vi
    .spyOn(process.stderr, "write")
    .mockImplementation(capture(err) as typeof process.stderr.write);
  const before = process.exitCode;
  try {
    const code = await main(["node", "haptop", ...args]);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    so.mockRestore();
    se.mockRestore();
    // main() sets process.exitCode the way the real CLI does: not the test worker's business.
    process.exitCode = before;
  }
}
