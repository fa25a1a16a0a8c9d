import type { TimelineEvent } from "../store/state.js";
import type { ActionOutcome } from "./plan.js";
import { type ReloadOptions, type ReloadResult, reload, watchOldProcesses } from "./reload.js";

/** Bounds an [ALERT] list kept in the timeline: whole lines, but not megabytes. */
const MAX_REPLY_CHARS = 20_000;

/** The full text of a reload for the timeline's detail pane: every [ALERT] line, then the output. */
export function reloadReply(r: Pick<ReloadResult, "alerts" | "reply">): string {
  const text = [...r.alerts, ...(r.alerts.length ? [""] : []), r.reply.trim()].join("\n").trim();
  return text.length > MAX_REPLY_CHARS ? `${text.slice(0, MAX_REPLY_CHARS)}\n… (cut)` : text;
}

const plural = (pids: readonly number[]) => `process${pids.length > 1 ? "es" : ""} ${pids.join(", ")}`;

/**
 * Runs a reload; resolves as soon as its outcome is known (failed, or the new process answers).
 * Old processes still draining are followed in the background (a badge; one timeline event as each
 * exits). `watches` collects the followers so the TUI can stop them when it quits.
 */
export async function reloadNonBlocking(
  opts: ReloadOptions,
  progress: (line: string) => void,
  addEvent: (e: TimelineEvent) => void,
  watches: Set<{ stop(): void }>,
): Promise<ActionOutcome> {
  // Recorded first: a poll that sees the new pid before reload() returns knows haptop did it.
  addEvent({
    at: Date.now(),
    kind: "reload",
    step: "started",
    text: `reload started${opts.plan ? ` (${opts.plan.mode}, pid ${opts.plan.oldPid})` : ""}`,
    command: opts.plan?.commandLines.join("; "),
  });
  const r = await reload({ ...opts, onProgress: (s) => progress(s.message) });
  addEvent({
    at: Date.now(),
    kind: "reload",
    step: "finished",
    text: r.message,
    command: r.commands.join("; "),
    reply: reloadReply(r),
    ok: r.ok,
    durationMs: r.durationMs,
  });
  if (!r.ok || r.draining.length === 0) return { ok: r.ok, message: r.message };
  const t0 = Date.now();
  const watch = watchOldProcesses(r.draining, {
    masterSocket: r.masterSocket,
    socketTimeoutMs: opts.socketTimeoutMs,
    onExit: (pids) =>
      addEvent({
        at: Date.now(),
        kind: "reload",
        step: "old-exited",
        text: `old ${plural(pids)} exited after draining (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
        ok: true,
      }),
  });
  watches.add(watch);
  const done = watch.done.finally(() => watches.delete(watch));
  return {
    ok: true,
    message: r.message,
    background: {
      label: `old pid${r.draining.length > 1 ? "s" : ""} ${r.draining.join(", ")} draining`,
      done,
    },
  };
}
