import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer, type Server } from "node:net";

/**
 * True when ApacheBench (Debian package apache2-utils) is installed. Under CI (CI=true) it is
 * required: the load tests then fail instead of being skipped.
 */
export function abAvailable(): boolean {
  try {
    execFileSync("ab", ["-V"], { stdio: "pipe" });
    return true;
  } catch {
    if (process.env.CI) return true; // run anyway: spawning ab fails and says what is missing
    return false;
  }
}

/** A frontend that answers 200 itself (no origin in the loop), for the lab's `extra` option. */
export function fastFrontend(port: number, name = "fe_fast"): string {
  return `frontend ${name}
    bind 127.0.0.1:${port}
    http-request return status 200 content-type text/plain string ok
`;
}

export interface AbResult {
  complete: number;
  failed: number;
  /** "Non-2xx responses" (ab prints the line only when there are some). */
  non2xx: number;
  rps: number;
  exitCode: number | null;
  /** The breakdown ab prints under "Failed requests". */
  failedDetail: string;
  output: string;
}

/** Reads ab's report. */
export function parseAb(output: string, exitCode: number | null = 0): AbResult {
  const num = (re: RegExp): number => {
    const m = re.exec(output);
    return m ? Number(m[1]) : Number.NaN;
  };
  return {
    complete: num(/^Complete requests:\s+(\d+)/m),
    failed: num(/^Failed requests:\s+(\d+)/m),
    non2xx: /^Non-2xx responses:/m.test(output) ? num(/^Non-2xx responses:\s+(\d+)/m) : 0,
    rps: num(/^Requests per second:\s+([\d.]+)/m),
    exitCode,
    failedDetail: /^\s+\(Connect: .*\)$/m.exec(output)?.[0]?.trim() ?? "",
    output,
  };
}

export interface AbRun {
  pid: number;
  /** The exact command line. */
  command: string;
  done: Promise<AbResult>;
  kill(): void;
}

/** Starts `ab -r -c <c> -t <s> -n 1000000 http://127.0.0.1:<port>/` in the background. */
export function startAb(port: number, seconds: number, concurrency = 32): AbRun {
  const args = [
    "-r",
    "-c",
    String(concurrency),
    "-t",
    String(seconds),
    "-n",
    "1000000",
    `http://127.0.0.1:${port}/`,
  ];
  const child: ChildProcess = spawn("ab", args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const done = new Promise<AbResult>((resolve) => {
    child.on("close", (code) => resolve(parseAb(out, code)));
    child.on("error", (err) => resolve(parseAb(`${out}\n${err.message}`, null)));
  });
  return {
    pid: child.pid ?? -1,
    command: `ab ${args.join(" ")}`,
    done,
    kill: () => {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
    },
  };
}

/** A plain Node listener (no SO_REUSEPORT) holding a port, so HAProxy cannot bind it. */
export async function holdPort(): Promise<{ port: number; close(): Promise<void> }> {
  const srv: Server = createServer((s) => s.destroy());
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  if (typeof addr !== "object" || !addr) throw new Error("no port");
  return { port: addr.port, close: () => new Promise<void>((r) => srv.close(() => r())) };
}
