/**
 * A real Prometheus on loopback for the fleet tests and the bench: Debian's `prometheus` binary,
 * a generated config scraping the given HAProxy exporters, its own temp dir and port. Stopped by
 * its pid (never by name: a user's Prometheus may run on the same machine).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { openSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { findExecutable, makeLabDir, removeLabDir } from "./haproxy.js";
import { freePort } from "./ports.js";
import { isAlive, killPid, waitFor } from "./process.js";

export function findPrometheus(): string | null {
  return findExecutable("prometheus");
}

export interface PrometheusLab {
  url: string;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

const ready = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/-/ready", timeout: 500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });

/**
 * Starts Prometheus scraping `targets` ("127.0.0.1:port", path /metrics) every `scrapeSec`, with
 * the job label `job`. Resolves once it answers /-/ready.
 */
export async function startPrometheus(
  targets: string[],
  opts: { scrapeSec?: number; job?: string; bin?: string } = {},
): Promise<PrometheusLab> {
  const bin = opts.bin ?? findPrometheus();
  if (!bin) throw new Error("prometheus not found (Debian: apt-get install prometheus)");
  const dir = makeLabDir("haptop-prom-");
  const port = await freePort();
  const scrape = opts.scrapeSec ?? 1;
  writeFileSync(
    join(dir, "prometheus.yml"),
    `global:
  scrape_interval: ${scrape}s
  evaluation_interval: ${scrape}s
scrape_configs:
  - job_name: ${JSON.stringify(opts.job ?? "haproxy")}
    metrics_path: /metrics
    static_configs:
      - targets: ${JSON.stringify(targets)}
`,
  );
  const log = openSync(join(dir, "prometheus.log"), "a");
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", log, log], detached: false },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("prometheus did not start");
  const stop = async () => {
    if (isAlive(pid)) {
      killPid(pid, "SIGTERM");
      await waitFor(() => !isAlive(pid), 5000, "prometheus to exit").catch(() => killPid(pid, "SIGKILL"));
    }
    removeLabDir(dir);
  };
  try {
    await waitFor(() => ready(port), 20_000, "prometheus to be ready");
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${port}`, pid, dir, stop };
}
