/**
 * Validation of what goes into a Runtime API command line. HAProxy splits a request on `;`,
 * un-escapes `\`, ends it at a newline and splits arguments on blanks: any of these in a name would
 * change the command or add a second one. Only HAProxy's own identifier charset is accepted, so
 * nothing needs escaping.
 */

export type InvalidInputKind = "proxy" | "server" | "session" | "weight" | "maxconn";

export class InvalidNameError extends Error {
  override name = "InvalidNameError";
  constructor(
    readonly kind: InvalidInputKind,
    /** The refused value, as given. */
    readonly value: string,
    reason: string,
  ) {
    super(
      `invalid ${kind === "proxy" ? "proxy/backend" : kind} ${kind === "weight" || kind === "maxconn" ? "value" : "name"} ${JSON.stringify(value)}: ${reason}`,
    );
  }
}

/** HAProxy's identifier charset (`invalid_char()` in its sources): letters, digits, `-_.:`. */
const IDENTIFIER = /^[A-Za-z0-9_.:-]+$/;
/** Longer names are certainly not HAProxy's: refused to keep commands and messages bounded. */
export const MAX_NAME_LENGTH = 256;

function checkIdentifier(kind: "proxy" | "server", name: unknown): string {
  if (typeof name !== "string") throw new InvalidNameError(kind, String(name), "not a string");
  if (name === "") throw new InvalidNameError(kind, name, "empty");
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidNameError(kind, name.slice(0, 40), `longer than ${MAX_NAME_LENGTH} characters`);
  }
  if (!IDENTIFIER.test(name)) {
    throw new InvalidNameError(kind, name, "only letters, digits, '-', '_', '.' and ':' are allowed");
  }
  return name;
}

/** A frontend/backend name; throws InvalidNameError otherwise. */
export function checkProxyName(name: unknown): string {
  return checkIdentifier("proxy", name);
}

/** A server name; throws InvalidNameError otherwise. */
export function checkServerName(name: unknown): string {
  return checkIdentifier("server", name);
}

/** `<backend>/<server>` for `set server`, `set weight`, … with both parts checked. */
export function serverRef(backend: unknown, server: unknown): string {
  return `${checkProxyName(backend)}/${checkServerName(server)}`;
}

/**
 * A stream id as printed by `show sess` (`0x55cd242e49c0`, optionally with its trailing colon);
 * returned lower-case without the colon. Throws InvalidNameError otherwise.
 */
export function checkSessionId(id: unknown): string {
  if (typeof id !== "string") throw new InvalidNameError("session", String(id), "not a string");
  const m = /^(0x[0-9a-fA-F]{1,16}):?$/.exec(id);
  if (!m)
    throw new InvalidNameError("session", id.slice(0, 40), "expected 0x followed by 1 to 16 hex digits");
  return m[1]!.toLowerCase();
}

/**
 * A weight change: `absolute` 0–256 (`set weight be/srv 10`), `percent` of the initial weight
 * (`set weight be/srv 50%`, HAProxy clamps the result to 256), or `relative`: a change of the
 * current weight by ±N % that haptop computes from `get weight`.
 */
export type WeightSpec =
  | { kind: "absolute"; value: number }
  | { kind: "percent"; value: number }
  | { kind: "relative"; percent: number };

/** HAProxy caps percentages at 25600 % (weight 256 from weight 1). */
const MAX_PERCENT = 25600;

/** Parses a weight as given by a user: 0–256, `N%`, `+N%` or `-N%`; throws InvalidNameError otherwise. */
export function parseWeight(input: unknown): WeightSpec {
  if (typeof input === "number") {
    if (Number.isInteger(input) && input >= 0 && input <= 256) return { kind: "absolute", value: input };
    throw new InvalidNameError("weight", String(input), "an absolute weight is an integer from 0 to 256");
  }
  if (typeof input !== "string")
    throw new InvalidNameError("weight", String(input), "not a number or string");
  const shown = input.slice(0, 40);
  let m = /^(\d{1,5})$/.exec(input);
  if (m) {
    const value = Number(m[1]);
    if (value > 256)
      throw new InvalidNameError("weight", shown, "an absolute weight is an integer from 0 to 256");
    return { kind: "absolute", value };
  }
  m = /^(\d{1,5})%$/.exec(input);
  if (m) {
    const value = Number(m[1]);
    if (value > MAX_PERCENT)
      throw new InvalidNameError("weight", shown, `a percentage is at most ${MAX_PERCENT}%`);
    return { kind: "percent", value };
  }
  m = /^([+-])(\d{1,5})%$/.exec(input);
  if (m) {
    const value = Number(m[2]);
    if (value > MAX_PERCENT)
      throw new InvalidNameError("weight", shown, `a percentage is at most ${MAX_PERCENT}%`);
    return { kind: "relative", percent: m[1] === "-" ? -value : value };
  }
  throw new InvalidNameError("weight", shown, "expected 0-256, N% (of the initial weight), +N% or -N%");
}

/** The argument `set weight` takes for an absolute or percent spec. */
export function weightArg(spec: { kind: "absolute" | "percent"; value: number }): string {
  return spec.kind === "percent" ? `${spec.value}%` : String(spec.value);
}

/**
 * The new weight after a relative change of `current` by `percent` %, clamped to 0–256. A non-zero
 * change always moves the weight by at least 1 (so +10% of 1 is 2, not 1).
 */
export function applyRelativeWeight(current: number, percent: number): number {
  let next = Math.round((current * (100 + percent)) / 100);
  if (percent !== 0 && next === current) next = current + Math.sign(percent);
  return Math.min(256, Math.max(0, next));
}

/** Parses `get weight` (`10 (initial 50)`) into the current and initial weights; null if not that. */
export function parseGetWeight(reply: string): { current: number; initial: number } | null {
  const m = /^(\d+) \(initial (\d+)\)\s*$/.exec(reply.trim());
  return m ? { current: Number(m[1]), initial: Number(m[2]) } : null;
}
