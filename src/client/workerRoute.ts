import { SocketError } from "./errors.js";
import { describeTarget, type Target, type WorkerTarget } from "./target.js";

/** What the master answers when no process of its own has that pid (2.6 to 3.2, then it closes). */
export const NO_SUCH_WORKER = "Can't find the target PID matching the prefix";

/**
 * Splits a request line on the `;` that separate commands, not on an escaped `\;` inside an
 * argument (src/client/socket.ts `escapeArg`).
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") {
      i++; // the next character is escaped, whatever it is
      continue;
    }
    if (c === ";") {
      out.push(line.slice(start, i));
      start = i + 1;
    }
  }
  out.push(line.slice(start));
  return out;
}

/**
 * The line sent to the master for `line` meant for worker `pid`: each command gets its own
 * `@!<pid>` prefix. On the master CLI a prefix applies to one command only (up to the next `;`):
 * checked on 2.6, 2.8, 3.0 and 3.2, where `@!<pid> show info;show proc` runs `show proc` on the
 * master itself.
 */
export function prefixedLine(pid: number, line: string): string {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`);
  return splitCommandLine(line)
    .map((c) => `@!${pid} ${c.trim()}`)
    .join(";");
}

/**
 * Sends `line` to the worker through its master: the master CLI answers only once the client
 * half-closes (2.6), so the request half-closes. A worker the master no longer knows (an old
 * worker that finished draining and exited) is a "socket-missing" SocketError that says so.
 */
export async function sendThroughMaster<O extends { halfClose?: boolean }>(
  target: WorkerTarget,
  line: string,
  opts: O,
  send: (t: Target, line: string, opts: O) => Promise<string>,
): Promise<string> {
  const raw = await send(target.master, prefixedLine(target.pid, line), { ...opts, halfClose: true });
  if (raw.startsWith(NO_SUCH_WORKER) || raw.includes(`\n${NO_SUCH_WORKER}`)) {
    throw new SocketError(
      "socket-missing",
      target,
      `worker ${target.pid} is gone: the master CLI ${describeTarget(target.master)} no longer lists it ` +
        "(an old worker exits once its last connection has closed)",
      "b goes back to the stats socket",
    );
  }
  return raw;
}
