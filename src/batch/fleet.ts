import { formatError } from "../client/errors.js";
import { EXIT, type ExitCode, exitCodeFor } from "../client/exit.js";
import type { Snapshot } from "../model/snapshot.js";
import { asciiJson, sanitize } from "../text/sanitize.js";
import { snapshotToJson } from "./json.js";
import { snapshotToText } from "./text.js";

/** One target's answer for `--once` over several targets: its snapshot, or why there is none. */
export type FleetAnswer = { name: string; address: string } & ({ snapshot: Snapshot } | { error: unknown });

/**
 * `--once` over several targets, fetched concurrently by the caller: one document keyed by target
 * name (JSON), or each target's text report under its name. A target that failed keeps its place
 * with its error; the exit code is the worst one (0 only when every target answered).
 */
export function fleetOnceOutput(
  answers: readonly FleetAnswer[],
  json: boolean,
  color: boolean,
): { text: string; exit: ExitCode } {
  let exit: ExitCode = EXIT.ok;
  for (const a of answers) if ("error" in a) exit = Math.max(exit, exitCodeFor(a.error)) as ExitCode;
  if (json) {
    const targets: Record<string, object> = {};
    for (const a of answers)
      targets[a.name] =
        "snapshot" in a
          ? snapshotToJson(a.address, a.snapshot)
          : { target: a.address, error: formatError(a.error).split("\n")[0] };
    return { text: `${asciiJson({ targets }, 2)}\n`, exit };
  }
  const parts = answers.map((a) =>
    "snapshot" in a
      ? `== ${sanitize(a.name)} ==\n${snapshotToText(a.address, a.snapshot, color)}`
      : `== ${sanitize(a.name)} ==\nhaptop: ${sanitize(a.address)}: ${sanitize(formatError(a.error))}\n`,
  );
  return { text: parts.join("\n"), exit };
}
