import { formatError } from "../../client/errors.js";
import { EXIT, exitCodeFor } from "../../client/exit.js";
import { resolveTarget, type Target } from "../../client/target.js";
import { sanitize } from "../../text/sanitize.js";
import { reload } from "./execute.js";
import { planReload } from "./plan.js";
import type { ReloadOptions, ReloadPlan, ReloadResult } from "./types.js";
import { watchOldProcesses } from "./watch.js";

/** Options of `haptop reload`. */
export interface ReloadCliOptions extends Omit<ReloadOptions, "target" | "onProgress" | "plan"> {
  /** Stats socket (HAProxy address syntax); default $HAPTOP_SOCKET, else Debian's admin socket. */
  socket?: string;
  /** Print the plan and stop. */
  dryRun?: boolean;
  /** After a successful reload, wait until the old processes have exited (default: return at once). */
  waitOld?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

/**
 * `haptop reload`: prints the plan and progress to stderr and the outcome to stdout; every line that
 * carries HAProxy's text (its ALERT lines, replies) is escaped. Returns as soon as the new process
 * answers, unless --wait-old. Exit codes, from the one EXIT table (client/exit.ts): 0 when a new
 * pid was verified (or --dry-run printed the plan); 1 when the reload failed, was refused or could
 * not be planned; 2 for a bad target; 3 when the stats socket or master CLI cannot be reached.
 */
export async function runReloadCli(opts: ReloadCliOptions): Promise<number> {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const say = (line: string) => err.write(`${sanitize(line)}\n`);
  let target: Target;
  try {
    target = resolveTarget(opts.socket, opts.env ?? process.env);
  } catch (e) {
    say(`haptop reload: ${formatError(e)}`);
    return exitCodeFor(e); // a target that is not an address: usage (2)
  }
  const base: ReloadOptions = { ...opts, target };
  let plan: ReloadPlan;
  try {
    plan = await planReload(base);
  } catch (e) {
    say(`haptop reload: ${formatError(e)}`);
    return exitCodeFor(e);
  }
  say(`haptop reload: mode ${plan.mode}, running pid ${plan.oldPid}`);
  for (const line of plan.commandLines) say(`  $ ${line}`);
  for (const w of plan.warnings) say(`  warning: ${w}`);
  for (const n of plan.notes ?? []) say(`  note: ${n}`);
  if (opts.dryRun) return EXIT.ok;
  let res: ReloadResult;
  try {
    res = await reload({
      ...base,
      plan,
      onProgress: (s) => say(`[${(s.elapsedMs / 1000).toFixed(1).padStart(5)}s] ${s.phase}: ${s.message}`),
    });
  } catch (e) {
    say(`haptop reload: ${formatError(e)}`);
    return exitCodeFor(e);
  }
  // Every ALERT line, whole: HAProxy's own reason, with its file and line.
  for (const a of res.alerts) say(`  ${a}`);
  out.write(`${sanitize(res.message)}\n`);
  if (!res.ok) return EXIT.failed;
  if (opts.waitOld && res.draining.length > 0) {
    say(`waiting for old process${res.draining.length > 1 ? "es" : ""} ${res.draining.join(", ")} to exit`);
    const w = watchOldProcesses(res.draining, {
      masterSocket: res.masterSocket,
      procRoot: opts.procRoot,
      socketTimeoutMs: opts.socketTimeoutMs,
      onExit: (pids, ms) =>
        say(
          `[${(ms / 1000).toFixed(1).padStart(5)}s] old process${pids.length > 1 ? "es" : ""} ${pids.join(", ")} exited`,
        ),
    });
    await w.done;
    out.write("old processes exited\n");
  }
  return EXIT.ok;
}
