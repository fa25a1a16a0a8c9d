import { formatCommand } from "../argv.js";
import { alertLines, lastLine, runProcess } from "./exec.js";
import type { RunContext, RunOutcome } from "./run-master.js";
import { stillServing, waitNewPid } from "./wait.js";

/**
 * expose-fd, daemon and command modes: runs the planned process (a new `haproxy -D … -sf`, or the
 * user's command), then waits for a new pid on a fresh connection to the stats socket. A process
 * that exits non-zero (a bind error that `haproxy -c` cannot catch) is a failed reload, with its
 * ALERT lines.
 */
export async function reloadWithProcess(ctx: RunContext): Promise<RunOutcome> {
  const { plan } = ctx;
  const argv = plan.run!;
  ctx.ran(formatCommand(argv));
  ctx.emit("reload", `running ${formatCommand(argv)}`);
  const out = await runProcess(argv, plan.cwd, ctx.timeoutMs);
  const alerts = alertLines(out.output);
  const serving = () => stillServing(ctx.target, plan.oldPid, ctx.socketTimeout, ctx.procRoot);
  if (out.code !== 0) {
    const why = out.error ?? alerts[0] ?? (lastLine(out.output) || `${argv[0]} exited with code ${out.code}`);
    return { ok: false, message: `reload failed: ${why}; ${await serving()}`, alerts, reply: out.output };
  }
  ctx.emit("wait-new-pid", "waiting for a new pid on the stats socket");
  const newPid = await waitNewPid(
    ctx.target,
    plan.oldPid,
    ctx.deadline,
    ctx.interval,
    ctx.socketTimeout,
    null,
  );
  if (newPid === null) {
    return {
      ok: false,
      message: `${argv[0]} exited 0 but no new pid answered within ${ctx.timeoutMs} ms: ${await serving()}`,
      alerts,
      reply: out.output,
    };
  }
  return { ok: true, newPid, reply: out.output };
}
