/** Number formatting shared by the batch tables and the TUI. */

/** "1 server", "3 servers". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** 1234 → "1234", 12345 → "12.3k", 1.2e6 → "1.2M"; null → "-". */
export function compact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "-";
  const a = Math.abs(n);
  if (a < 10_000) return Number.isInteger(n) ? String(n) : n < 10 ? n.toFixed(1) : String(Math.round(n));
  const units = ["k", "M", "G", "T", "P"];
  let v = n;
  let i = -1;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Math.abs(v) < 100 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

/** Bytes with binary units: 1536 → "1.5K". */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "-";
  const units = ["B", "K", "M", "G", "T", "P"];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)}B` : `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

/** Seconds as a short duration: 75 → "1m15s", 90061 → "1d1h". */
export function duration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec) || sec < 0) return "-";
  const s = Math.floor(sec);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return `${m}m${s % 60}s`;
  return `${s}s`;
}

/** "scur/slim" as HAProxy operators read it; an unlimited slim shows as "-". */
export function ofLimit(cur: number | null, limit: number | null): string {
  return `${cur ?? 0}/${limit ?? "-"}`;
}
