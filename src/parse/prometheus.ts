import { ReplyError } from "../client/errors.js";

/** One sample of an instant vector: its labels and value (NaN and ±Inf kept as numbers). */
export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

/** Prometheus said the query failed (bad syntax, timeout): its own words. */
export class PromQueryError extends ReplyError {
  override name = "PromQueryError";
}

/** `--match` is not label matchers haptop can use: a usage error (exit 2). */
export class MatchSyntaxError extends Error {
  override name = "MatchSyntaxError";
}

/** Most samples read from one answer: a query matching a whole fleet's servers stays bounded. */
export const MAX_SAMPLES = 200_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * Reads a `/api/v1/query` answer holding an instant vector (or a scalar, as one unlabelled sample).
 * Anything else — an error status, a matrix, a malformed body — throws with a readable message.
 */
export function parseInstantVector(body: unknown): PromSample[] {
  if (!isObject(body)) throw new ReplyError("Prometheus answered something that is not a query result");
  if (body.status !== "success") {
    const why = typeof body.error === "string" ? body.error : "no reason given";
    throw new PromQueryError(`Prometheus refused the query: ${why}`);
  }
  const data = body.data;
  if (!isObject(data)) throw new ReplyError("Prometheus answered without data");
  if (data.resultType === "scalar" && Array.isArray(data.result))
    return [{ labels: {}, value: Number(data.result[1]) }];
  if (data.resultType !== "vector" || !Array.isArray(data.result))
    throw new ReplyError(`Prometheus answered a ${String(data.resultType)}, not an instant vector`);
  const out: PromSample[] = [];
  for (const item of data.result.slice(0, MAX_SAMPLES)) {
    if (!isObject(item) || !Array.isArray(item.value)) continue;
    const labels: Record<string, string> = {};
    if (isObject(item.metric))
      for (const [k, v] of Object.entries(item.metric)) if (typeof v === "string") labels[k] = v;
    // Prometheus sends values as strings: "NaN", "+Inf" and "-Inf" included (Number reads them).
    const raw = item.value[1];
    const value = typeof raw === "string" ? promNumber(raw) : Number.NaN;
    out.push({ labels, value });
  }
  return out;
}

/**
 * The label matchers of `--match` (`{job="haproxy"}` or `job="haproxy"`), checked enough that
 * they can be put inside another selector's braces: balanced quotes, no braces outside them.
 */
export function parseMatchers(text: string): string {
  let inner = text.trim();
  if (inner.startsWith("{") && inner.endsWith("}")) inner = inner.slice(1, -1).trim();
  let quote: string | null = null;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{" || c === "}" || c === "\n")
      throw new MatchSyntaxError(
        `--match: unexpected ${JSON.stringify(c)} (write label matchers like {job="haproxy"})`,
      );
  }
  if (quote) throw new MatchSyntaxError("--match: a quote is not closed");
  return inner.replace(/,\s*$/, "");
}

/** `metric{matchers, extra}`: the metric with the user's matchers and the query's own. */
export function selector(metric: string, matchers: string, extra = ""): string {
  const parts = [matchers, extra].filter((p) => p !== "");
  return `${metric}{${parts.join(",")}}`;
}

/** A sample value as Prometheus writes it: a decimal, "NaN", "+Inf" or "-Inf". */
function promNumber(raw: string): number {
  if (raw === "+Inf" || raw === "Inf") return Number.POSITIVE_INFINITY;
  if (raw === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(raw);
}
