import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = `${ROOT}src/cli.ts`;

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * How many haptop processes one test worker runs at once. Each costs about a CPU-second to start
 * (node + tsx); the suites of several HAProxy releases run concurrently, and starting all their
 * processes at once on 2 cores makes each take many times longer (and hit its deadline). A
 * process waits here for its turn; its deadline starts once it runs.
 */
const MAX_RUNNING = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function turn(): Promise<() => void> {
  if (running >= MAX_RUNNING) await new Promise<void>((r) => waiting.push(r));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/** Runs the haptop CLI from source (node --import tsx), stdout piped (not a TTY). */
export async function runHaptop(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<RunResult> {
  const done = await turn();
  try {
    return await spawnHaptop(args, opts);
  } finally {
    done();
  }
}

function spawnHaptop(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      uid: opts.uid,
      gid: opts.gid,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    // A deadline for a hung process, not a performance bound: on a loaded machine node + tsx alone
    // can take over 10 s to start.
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
