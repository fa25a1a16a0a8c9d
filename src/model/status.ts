/** How a HAProxy status word reads to an operator: serving, down, or in between (drain, nolb, going up/down). */
export type StatusTone = "good" | "bad" | "warn" | "none";

export function statusTone(status: string): StatusTone {
  if (status === "") return "none";
  if (/^(UP|OPEN|no check)$/.test(status)) return "good";
  if (/^(DOWN|STOP|MAINT)/.test(status) && !/^DOWN \d/.test(status)) return "bad";
  return "warn";
}
