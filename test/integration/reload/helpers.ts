import { connect, type Socket } from "node:net";
import { PassThrough } from "node:stream";
import { masterShowProc, runReloadCli } from "../../../src/actions/reload.js";
import type { Target } from "../../../src/client/target.js";
import { freePorts, HaproxyLab, type LabOptions, waitFor } from "../../helpers/haproxy.js";
import { fastFrontend } from "../actions/load.js";

export interface StartedLab {
  lab: HaproxyLab;
  target: Target;
  master: Target;
  /** A frontend answering 200 by itself. */
  fast: number;
}

/** A lab with a fast frontend; under master-worker, waits until the master CLI lists a worker. */
export async function startLab(opts: LabOptions): Promise<StartedLab> {
  const [fast] = await freePorts(1);
  const lab = await new HaproxyLab({ ...opts, extra: `${fastFrontend(fast!)}${opts.extra ?? ""}` }).start();
  const target: Target = { kind: "unix", path: lab.adminSock };
  const master: Target = { kind: "unix", path: lab.masterSock };
  if (opts.masterWorker) {
    await waitFor(async () => (await masterShowProc(master, 1000, 0)).workers.length > 0, 5000, "master CLI");
  }
  return { lab, target, master, fast: fast! };
}

/** Holds one TCP connection through fe_tcp, so the process that accepted it keeps draining. */
export async function holdConnection(port: number): Promise<Socket> {
  const s = connect(port, "127.0.0.1");
  s.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("error", reject);
  });
  return s;
}

/** Runs `haptop reload` in-process and collects its output. */
export async function reloadCli(opts: Parameters<typeof runReloadCli>[0]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = "";
  let e = "";
  out.on("data", (c) => {
    o += c;
  });
  err.on("data", (c) => {
    e += c;
  });
  const code = await runReloadCli({ ...opts, stdout: out, stderr: err });
  return { code, out: o, err: e };
}

export const BROKEN = "\nfrontend fe_broken\n    bindd 127.0.0.1:1\n";
/** A bind that passes `haproxy -c` and fails at startup on every release (a TCP port may not: SO_REUSEPORT). */
export const unbindable = (lab: HaproxyLab) =>
  `\nfrontend fe_unbindable\n    bind unix@${lab.dir}/missing/x.sock\n`;
