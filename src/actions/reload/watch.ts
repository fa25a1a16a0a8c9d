import { performance } from "node:perf_hooks";
import type { Target } from "../../client/target.js";
import { parseShowProc } from "../../parse/proc.js";
import { sendMaster } from "../mcli.js";
import { isRunning } from "../procinfo.js";

/**
 * Following the old processes of a reload while they drain their connections, without blocking:
 * reload() returns as soon as the new process answers, with `draining` (the old pids still alive);
 * the caller follows them here, in the background.
 *
 *   const w = watchOldProcesses(result.draining, { masterSocket: result.masterSocket, onExit });
 *   // onExit([pid], elapsedMs) once per poll in which some exited (a TUI badge, a timeline event)
 *   const { exited, stillRunning, reason } = await w.done; // all exited, timed out, or stopped
 *   w.stop(); // e.g. when the TUI quits: `done` then resolves with reason "stopped"
 *
 * Liveness: under master-worker, the master's `show proc` (old workers; works for a remote master
 * CLI), falling back to /proc when the master does not answer; otherwise /proc (a zombie counts as
 * exited). Timers are not unref'd: a CLI awaiting `done` stays alive; a UI must call stop() on quit.
 * Never rejects.
 */
export interface WatchOptions {
  /** Master CLI of a master-worker HAProxy (ReloadResult.masterSocket). */
  masterSocket?: Target | null;
  /** For tests: where /proc is. */
  procRoot?: string;
  /** Poll interval (default 250 ms). */
  intervalMs?: number;
  /** Give up after this long (default: never; HAProxy's hard-stop-after bounds a drain). */
  timeoutMs?: number;
  /** Per-request timeout of the master CLI (default 2000). */
  socketTimeoutMs?: number;
  /** Called with the pids that exited since the last poll. */
  onExit?: (pids: number[], elapsedMs: number) => void;
}

export interface WatchResult {
  exited: number[];
  stillRunning: number[];
  reason: "all-exited" | "timeout" | "stopped";
  elapsedMs: number;
}

export interface OldProcessWatch {
  done: Promise<WatchResult>;
  /** Stops following (idempotent); `done` resolves with what is known. */
  stop(): void;
  /** The pids not seen exiting yet. */
  running(): number[];
}

/** Which of `pids` are still alive (see the liveness rules above). */
export async function liveOldProcesses(
  pids: readonly number[],
  opts: Pick<WatchOptions, "masterSocket" | "procRoot" | "socketTimeoutMs"> = {},
): Promise<number[]> {
  if (opts.masterSocket) {
    try {
      const proc = parseShowProc(
        await sendMaster(opts.masterSocket, ["show proc"], opts.socketTimeoutMs ?? 2000),
      );
      if (proc.master) {
        const listed = new Set([...proc.oldWorkers, ...proc.workers].map((w) => w.pid));
        return pids.filter((p) => listed.has(p));
      }
    } catch {
      /* master busy or re-executing: ask /proc */
    }
    // A master over SSH: its workers are not in this machine's /proc; still running until it says not.
    if (opts.masterSocket.kind === "ssh") return [...pids];
  }
  return pids.filter((p) => isRunning(p, opts.procRoot));
}

export function watchOldProcesses(pids: readonly number[], opts: WatchOptions = {}): OldProcessWatch {
  const t0 = performance.now();
  const interval = opts.intervalMs ?? 250;
  let alive = [...new Set(pids)];
  const exited: number[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let finish: (r: WatchResult) => void = () => {};
  const done = new Promise<WatchResult>((resolve) => {
    finish = resolve;
  });
  const end = (reason: WatchResult["reason"]) => {
    stopped = true;
    if (timer) clearTimeout(timer);
    finish({
      exited: [...exited],
      stillRunning: [...alive],
      reason,
      elapsedMs: Math.round(performance.now() - t0),
    });
  };
  const tick = async () => {
    if (stopped) return;
    const now = await liveOldProcesses(alive, opts);
    if (stopped) return;
    const gone = alive.filter((p) => !now.includes(p));
    alive = now;
    if (gone.length) {
      exited.push(...gone);
      try {
        opts.onExit?.(gone, Math.round(performance.now() - t0));
      } catch {
        /* a listener's error must not stop the watch */
      }
    }
    if (alive.length === 0) return end("all-exited");
    if (opts.timeoutMs !== undefined && performance.now() - t0 >= opts.timeoutMs) return end("timeout");
    timer = setTimeout(() => void tick(), interval);
  };
  void tick();
  return {
    done,
    stop: () => {
      if (!stopped) end("stopped");
    },
    running: () => [...alive],
  };
}
