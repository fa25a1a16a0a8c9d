/** Small helpers for the benchmarks: timing, summaries, units and the printed table. */

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Median, p95 (nearest rank), min and max of some samples. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0)
    return { n: 0, median: Number.NaN, p95: Number.NaN, min: Number.NaN, max: Number.NaN };
  const s = [...samples].sort((a, b) => a - b);
  const rank = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, median, p95: rank(0.95), min: s[0]!, max: s[s.length - 1]! };
}

/** Wall time of `fn` in ms, `n` times (after `warmup` untimed runs). */
export function timeSync(fn: () => unknown, n: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Wall time of `fn` in ms, `n` times, one after the other (after `warmup` untimed runs). */
export async function timeAsync(fn: () => Promise<unknown>, n: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** A duration in ms with a precision that suits its size. */
export function ms(v: number): string {
  if (!Number.isFinite(v)) return "-";
  if (v < 0.1) return v.toFixed(3);
  if (v < 10) return v.toFixed(2);
  if (v < 100) return v.toFixed(1);
  return v.toFixed(0);
}

/** "median / p95" in ms. */
export function medP95(s: Summary): string {
  return `${ms(s.median)} / ${ms(s.p95)}`;
}

/** Bytes as MB (10^6) with two decimals, or KB below 100 KB. */
export function size(bytes: number): string {
  if (bytes < 100_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/** Bytes as MiB, for memory. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)}`;
}

export function sleep(msec: number): Promise<void> {
  return new Promise((r) => setTimeout(r, msec));
}

/** One line of the results: a metric, its unit, and a value per scale (by label, e.g. "10k"). */
export interface ResultRow {
  section: string;
  metric: string;
  unit: string;
  values: Record<string, string>;
}

/** Collects results as they come, for the printed table and the Markdown. */
export class Results {
  readonly rows: ResultRow[] = [];
  readonly scales: string[] = [];

  add(section: string, metric: string, unit: string, scale: string, value: string): void {
    if (!this.scales.includes(scale)) this.scales.push(scale);
    let row = this.rows.find((r) => r.section === section && r.metric === metric);
    if (!row) {
      row = { section, metric, unit, values: {} };
      this.rows.push(row);
    }
    row.values[scale] = value;
  }

  /** An aligned plain-text table, one block per section. */
  text(): string {
    const head = ["metric", "unit", ...this.scales.map((s) => `${s} servers`)];
    const body = this.rows.map((r) => [
      `${r.section}: ${r.metric}`,
      r.unit,
      ...this.scales.map((s) => r.values[s] ?? "-"),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join("  ")
        .trimEnd();
    const out = [line(head), widths.map((w) => "-".repeat(w)).join("  ")];
    let section = "";
    for (let i = 0; i < body.length; i++) {
      if (this.rows[i]!.section !== section && section !== "") out.push("");
      section = this.rows[i]!.section;
      out.push(line(body[i]!));
    }
    return out.join("\n");
  }

  /** The same as a Markdown table. */
  markdown(): string {
    const head = ["", "metric", "unit", ...this.scales.map((s) => `${s} servers`)];
    const out = [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i >= 3 ? "---:" : "---")).join("|")}|`];
    for (const r of this.rows) {
      out.push(
        `| ${[r.section, r.metric, r.unit, ...this.scales.map((s) => r.values[s] ?? "-")].join(" | ")} |`,
      );
    }
    return out.join("\n");
  }
}
