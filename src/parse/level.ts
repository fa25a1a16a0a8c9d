import { ReplyError } from "../client/errors.js";
/** Privilege level of a CLI session, as answered by `show cli level`. */
export type CliLevel = "user" | "operator" | "admin";

/** All CLI levels, from the least to the most privileged. */
export const CLI_LEVELS: readonly CliLevel[] = ["user", "operator", "admin"];

/** Thrown when a `show cli level` reply is not one of the known levels. */
export class CliLevelError extends ReplyError {
  override readonly name = "CliLevelError";
}

/** Parses a `show cli level` reply ("user", "operator" or "admin"); throws CliLevelError otherwise. */
export function parseCliLevel(text: string): CliLevel {
  const level = text.trim();
  if ((CLI_LEVELS as readonly string[]).includes(level)) return level as CliLevel;
  const shown = level.length > 80 ? `${level.slice(0, 80)}...` : level;
  throw new CliLevelError(`unexpected reply to 'show cli level': ${JSON.stringify(shown)}`);
}

/**
 * The one ranking of levels (the policy in src/actions/policy.ts asks it): true when `level`
 * grants at least the rights of `required`, a higher level running everything a lower one may.
 */
export function levelAtLeast(level: CliLevel, required: CliLevel): boolean {
  return CLI_LEVELS.indexOf(level) >= CLI_LEVELS.indexOf(required);
}
