/**
 * `npm run demo`: starts a self-contained HAProxy lab on loopback (demo/lab.ts) and runs haptop on
 * it in the foreground. When haptop exits, or the demo gets SIGINT/SIGTERM/SIGHUP, the lab is torn
 * down and the demo exits with haptop's exit code.
 *
 *   node --import tsx demo/main.ts [--master-worker] [--no-tui] [--seconds N] [--haproxy BIN]
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findExecutable, findHaproxy } from "../lab/index.js";
import { type Lab, startLab } from "./lab.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "src", "cli.ts");

const USAGE = `usage: npm run demo -- [options]   (or: node --import tsx demo/main.ts [options])

Starts HAProxy with a small lab (origins, traffic) on 127.0.0.1 and opens haptop on it.

  --master-worker   run HAProxy in master-worker mode (-W -S master.sock) instead of daemon mode
  --no-tui          only run the lab: print the sockets and the haptop command, until Ctrl-C
  --seconds N       stop after N seconds
  --haproxy BIN     the haproxy binary (default: found on PATH)
  -h, --help        this help
`;

// After a hangup (SIGHUP) the terminal is gone and writes fail: that must not stop the teardown.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
const err = (s: string) => process.stderr.write(`${s}\n`);
const out = (s: string) => process.stdout.write(`${s}\n`);

/** Quotes an argument for a POSIX shell when it needs it. */
function sh(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`;
}

/** Finds haproxy; installs it with apt-get when running as root, else says how. Null when absent. */
function ensureHaproxy(): string | null {
  const found = findHaproxy();
  if (found) return found;
  const aptGet = findExecutable("apt-get");
  if (process.getuid?.() === 0 && aptGet) {
    err("haptop demo: haproxy is not installed; installing it with apt-get (you are root)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update"], ["install", "-y", "haproxy"]]) {
      err(`$ apt-get ${args.join(" ")}`);
      const r = spawnSync(aptGet, args, { stdio: "inherit", env });
      if (r.status !== 0) {
        err(`haptop demo: apt-get ${args[0]} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
        return null;
      }
    }
    const installed = findHaproxy();
    if (installed) return installed;
  }
  err(
    [
      "haptop demo: haproxy was not found (looked in PATH, /usr/sbin, /usr/local/sbin).",
      "Install it, then run the demo again:",
      "  sudo apt-get install haproxy        # Debian, Ubuntu",
      "  (elsewhere: sudo dnf install haproxy, brew install haproxy, …)",
      "or point the demo at a binary with --haproxy /path/to/haproxy.",
    ].join("\n"),
  );
  return null;
}

function haptopArgs(lab: Lab): string[] {
  const args = [lab.adminSock, "--config", lab.cfg, "--pidfile", lab.pidfile, "--haproxy", lab.haproxyBin];
  if (lab.masterSock) args.push("--master-socket", lab.masterSock);
  return args;
}

function describe(lab: Lab): string {
  const p = lab.ports;
  return [
    `haptop demo lab (${lab.masterWorker ? "master-worker" : "daemon"} mode) in ${lab.dir}`,
    `  admin socket:  ${lab.adminSock}`,
    `  user socket:   ${lab.userSock}`,
    ...(lab.masterSock ? [`  master socket: ${lab.masterSock}`] : []),
    `  config:        ${lab.cfg}`,
    `  pidfile:       ${lab.pidfile}`,
    `  haproxy pids:  ${lab.pids().join(" ")}`,
    `  frontends:     fe_web http://127.0.0.1:${p.web}/  fe_api http://127.0.0.1:${p.api}/  fe_tcp 127.0.0.1:${p.tcp}`,
  ].join("\n");
}

async function main(): Promise<number> {
  let values: {
    "master-worker"?: boolean;
    "no-tui"?: boolean;
    seconds?: string;
    haproxy?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        "master-worker": { type: "boolean" },
        "no-tui": { type: "boolean" },
        seconds: { type: "string" },
        haproxy: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    err(`haptop demo: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) {
    err(`haptop demo: --seconds wants a positive number, not "${values.seconds}"`);
    return 2;
  }
  const tui = !values["no-tui"];

  const haproxyBin = values.haproxy ?? ensureHaproxy();
  if (!haproxyBin) return 1;

  // Signals that arrive while the lab starts are remembered and acted on once it is up.
  let signalled: NodeJS.Signals | undefined;
  let onSignal: (sig: NodeJS.Signals) => void = (sig) => {
    signalled ??= sig;
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => onSignal(sig));

  let lab: Lab;
  try {
    lab = await startLab({
      masterWorker: values["master-worker"],
      haproxyBin,
      log: (s) => err(`demo: ${s}`),
    });
  } catch (e) {
    err(`haptop demo: could not start the lab: ${(e as Error).message}`);
    return 1;
  }
  const args = haptopArgs(lab);
  out(describe(lab));
  const command = ["node", "--import", "tsx", "src/cli.ts", ...args].map(sh).join(" ");
  out(`haptop command (from ${ROOT}):\n  ${command}`);

  let stopTimer: NodeJS.Timeout | undefined;
  const finish = async (code: number): Promise<number> => {
    clearTimeout(stopTimer);
    // A second signal during teardown must not cut it short; a stuck teardown ends in 15 s.
    onSignal = () => {};
    setTimeout(() => {
      err("haptop demo: teardown took too long, exiting");
      process.exit(code || 1);
    }, 15_000).unref();
    const t = lab.traffic?.stats();
    if (t && !tui) {
      out(
        `traffic: ${t.started} requests, ${t.byClass["2xx"]} 2xx, ${t.byClass["3xx"]} 3xx, ` +
          `${t.byClass["4xx"]} 4xx, ${t.byClass["5xx"]} 5xx, ${t.failed} failed, ${t.malformed} malformed, ` +
          `${t.tcpOpened} TCP connections`,
      );
    }
    await lab.stop();
    return code;
  };

  if (!tui) {
    out("Press Ctrl-C to stop.");
    return new Promise<number>((resolve) => {
      onSignal = () => resolve(finish(0));
      if (seconds !== undefined) stopTimer = setTimeout(() => resolve(finish(0)), seconds * 1000);
      if (signalled) onSignal(signalled);
    });
  }

  if (signalled) return finish(0);
  out("Starting haptop (q or Ctrl-C quits and stops the lab)…");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: "inherit", cwd: ROOT });
  } catch (e) {
    err(`haptop demo: could not start haptop: ${(e as Error).message}`);
    return finish(1);
  }
  return new Promise<number>((resolve) => {
    let done = false;
    let killTimer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const end = (code: number) => {
      if (done) return;
      done = true;
      clearTimeout(killTimer);
      resolve(finish(code));
    };
    child.on("error", (e) => {
      err(`haptop demo: could not run haptop: ${e.message}`);
      end(1);
    });
    child.on("exit", (code, sig) => {
      // Stopped by --seconds: a planned end, not a failure.
      if (timedOut && sig === "SIGTERM") end(0);
      else end(code ?? 128 + (sig ? (constants.signals[sig] ?? 0) : 0));
    });
    const stopChild = (sig: NodeJS.Signals) => {
      // haptop usually got the same signal from the terminal; pass it on anyway (kill, --seconds),
      // and force it after 3 s.
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(sig);
      killTimer ??= setTimeout(() => child.kill("SIGKILL"), 3000);
    };
    onSignal = stopChild;
    if (seconds !== undefined) {
      stopTimer = setTimeout(() => {
        timedOut = true;
        stopChild("SIGTERM");
      }, seconds * 1000);
    }
    if (signalled) stopChild(signalled);
  });
}

main().then(
  (code) => process.exit(code),
  (e) => {
    err(`haptop demo: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
