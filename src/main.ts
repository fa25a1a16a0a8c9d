import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { runCli } from "./actions/cliRun.js";
import { RELOAD_MODES, type ReloadMode, runReloadCli, sshReloadUnavailable } from "./actions/reload.js";
import {
  type FleetOptions,
  planTargets,
  runFleetInteractive,
  runFleetOnce,
  runPromOnce,
  type TargetPlan,
  usageFault,
} from "./app/fleet.js";
import { snapshotToJsonText } from "./batch/json.js";
import { snapshotToText } from "./batch/text.js";
import { CommandError, formatError } from "./client/errors.js";
import { EXIT, exitCodeFor } from "./client/exit.js";
import { configureSsh, sshConfigFrom } from "./client/ssh.js";
import { describeTarget, resolveTarget, type Target, TargetSyntaxError } from "./client/target.js";
import { DEFAULT_MAX_ROWS } from "./parse/stat.js";
import { fetchSnapshot } from "./store/poll.js";
import { sanitize } from "./text/sanitize.js";

/** Exit codes: one table for every command (src/client/exit.ts), documented in the README. */
export { EXIT } from "./client/exit.js";

export interface GlobalOptions {
  once?: boolean;
  json?: boolean;
  timeout: number;
  interval: number;
  /** `--max-rows`: most `show stat` rows read per reply (src/parse/stat.ts). */
  maxRows?: number;
  color: boolean;
  readOnly?: boolean;
  config?: string[];
  pidfile?: string;
  haproxy?: string;
  masterSocket?: string;
  reloadCmd?: string;
  log?: string;
  /** `--ssh-config`: the ssh_config file for ssh:// targets (ssh -F). */
  sshConfig?: string;
}

const version = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

function seconds(min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be between ${min} and ${max}`);
    return n;
  };
}

/** `--max-rows`: a whole number of rows, at least 1. */
function rowCount(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError("must be a whole number of rows, at least 1");
  return n;
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

/** Commander's own errors quote the arguments given: escaped like every other message. */
const SAFE_OUTPUT = {
  writeErr: (s: string) => process.stderr.write(s.split("\n").map(sanitize).join("\n")),
};

export function buildProgram(): Command {
  const program = new Command("haptop")
    .description("A top-like monitor and control panel for HAProxy, over its stats socket (Runtime API).")
    .version(version, "-V, --version")
    .argument(
      "[targets...]",
      "stats socket: /path, unix@/path, host:port, ipv4@host:port, ipv6@[addr]:port, " +
        "or over SSH ssh://[user@]host[:port]/path, [user@]host:/path " +
        "(default: $HAPTOP_SOCKET, else /run/haproxy/admin.sock); several, or names from the " +
        "config file: the fleet overview",
    )
    .option(
      "-1, --once",
      "print one snapshot and exit (like top -b); the default when stdout is not a terminal",
    )
    .option("-j, --json", "with --once: print the snapshot as JSON")
    .option("-t, --timeout <seconds>", "socket timeout", seconds(0.1, 120), 2)
    .option("-i, --interval <seconds>", "poll interval (also > / < at runtime)", seconds(0.5, 60), 1)
    .option(
      "--max-rows <n>",
      `most rows read from one show stat reply (default ${DEFAULT_MAX_ROWS}); more is refused`,
      rowCount,
    )
    .option("--no-color", "no colours (also when NO_COLOR is set)")
    .option("--read-only", "disable every action that changes HAProxy")
    .option("--log <file>", "append the event timeline to this file as JSON lines")
    .option("--group <name>", "watch every target of this group of the config file (the fleet overview)")
    .option(
      "--targets-file <file>",
      "the config file of named targets (default: $XDG_CONFIG_HOME/haptop/config.toml)",
    )
    .option("--prometheus <url>", "the fleet overview from a Prometheus server scraping HAProxy's exporter")
    .option(
      "--match <matchers>",
      'with --prometheus: label matchers of the HAProxy series, e.g. {job="haproxy"}',
    )
    .option(
      "--ssh-config <file>",
      "ssh_config for SSH targets (ssh -F; default: $HAPTOP_SSH_CONFIG, else ssh reads ~/.ssh/config)",
    )
    .showHelpAfterError("(run haptop --help for usage)")
    .configureOutput(SAFE_OUTPUT)
    .exitOverride()
    // Before any command's action (subcommands included): how ssh is run for SSH targets.
    .hook("preAction", (cmd) => {
      configureSsh({ configFile: sshConfigFrom((cmd.opts() as GlobalOptions).sshConfig) });
    })
    .action(async (targetArgs: string[], opts: GlobalOptions & FleetOptions) => {
      process.exitCode = await runTargets(targetArgs, opts);
    });
  reloadOptions(program);

  const reloadCommand = new Command("reload")
    .description(
      "Soft-reload HAProxy's configuration without the TUI; exit 0 only when the new process answers",
    )
    .argument("[target]", "stats socket (as for haptop)")
    .option("-t, --timeout <seconds>", "socket timeout", seconds(0.1, 120), 2)
    .addOption(new Option("--mode <mode>", "reload mode (default: detected)").choices(RELOAD_MODES))
    .option("--dry-run", "print the plan (mode and exact command lines) and do nothing")
    .option("--wait-old", "after the reload, wait until the old processes have drained and exited")
    .showHelpAfterError("(run haptop reload --help for usage)")
    .configureOutput(SAFE_OUTPUT)
    .exitOverride()
    .action(
      async (
        targetArg: string | undefined,
        local: GlobalOptions & { mode?: ReloadMode; dryRun?: boolean; waitOld?: boolean },
        cmd: Command,
      ) => {
        // The reload options are the program's too (the TUI's r): commander gives the program those
        // written after `reload` (e.g. --master-socket), so both are read, this command's first.
        const opts = { ...(cmd.parent?.opts() as GlobalOptions), ...local };
        // Over SSH only the forwarded master CLI reloads (src/actions/reload/ssh.ts): without a
        // usable --master-socket, refused before any ssh runs, saying what to pass.
        const remote = sshReloadRefusal(targetArg, {
          masterSocket: opts.masterSocket,
          mode: opts.mode,
          reloadCmd: opts.reloadCmd,
        });
        if (remote) {
          process.stderr.write(`haptop reload: ${sanitize(remote)}\n`);
          process.exitCode = EXIT.failed;
          return;
        }
        process.exitCode = await runReloadCli({
          socket: targetArg,
          mode: opts.mode ?? (opts.reloadCmd ? "command" : undefined),
          masterSocket: opts.masterSocket,
          configFiles: opts.config,
          pidfile: opts.pidfile,
          haproxyBin: opts.haproxy,
          reloadCmd: opts.reloadCmd,
          socketTimeoutMs: opts.timeout * 1000,
          dryRun: opts.dryRun,
          waitOld: opts.waitOld,
        });
      },
    );
  program.addCommand(reloadOptions(reloadCommand));
  program.addCommand(cliCommand(program));
  return program;
}

/**
 * `haptop cli [target] -- <command…>`: one Runtime API line, the reply on stdout (src/actions/cliRun.ts).
 * The command's words are the operands after `--` (commander merges them with the others, so they
 * are counted in the raw arguments); at most one operand before `--` is the target.
 */
function cliCommand(program: Command): Command {
  return new Command("cli")
    .description(
      "Send one Runtime API command (after --) and print HAProxy's reply; exit code from the reply",
    )
    .usage("[options] [target] -- <command…>")
    .argument("[target]", "stats socket (as for haptop)")
    .argument("[command...]", "the command, after --: haptop cli /run/haproxy/admin.sock -- show info")
    .option("-t, --timeout <seconds>", "socket timeout", seconds(0.1, 120), 2)
    .option("--read-only", "send only commands that cannot change HAProxy (show, get, help, echo, quit)")
    .showHelpAfterError("(run haptop cli --help for usage)")
    .configureOutput(SAFE_OUTPUT)
    .exitOverride()
    .action(async (_t: unknown, _c: unknown, opts: { timeout: number; readOnly?: boolean }, cmd: Command) => {
      // Commander keeps the whole argv it parsed (untyped): where `--` was.
      const raw = (program as unknown as { rawArgs: string[] }).rawArgs;
      const dash = raw.indexOf("--");
      const operands = cmd.args;
      const after = dash < 0 ? 0 : raw.length - dash - 1;
      const before = operands.slice(0, operands.length - after);
      if (dash < 0 || before.length > 1) {
        process.stderr.write("haptop cli: put the command after --: haptop cli [target] -- show info\n");
        process.exitCode = EXIT.usage;
        return;
      }
      let target: Target;
      try {
        target = resolveTarget(before[0]);
      } catch (e) {
        if (e instanceof TargetSyntaxError) {
          process.exitCode = reportFatal(e);
          return;
        }
        throw e;
      }
      process.exitCode = await runCli(
        target,
        operands.slice(operands.length - after),
        {
          timeoutMs: opts.timeout * 1000,
          readOnly: opts.readOnly === true || program.opts().readOnly === true,
        },
        { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
      );
    });
}

/** How to reload: shared by the TUI (`r`) and `haptop reload`. */
function reloadOptions(cmd: Command): Command {
  return cmd
    .option(
      "-c, --config <file>",
      "HAProxy config file, for reload (repeatable; default: from the running process)",
      collect,
    )
    .option("--pidfile <file>", "HAProxy pidfile, for reload (default: from the running process)")
    .option("--haproxy <binary>", "haproxy binary, for reload (default: the running one)")
    .option(
      "--master-socket <path>",
      "master CLI socket, for master-worker reloads (default: from -S, else /run/haproxy-master.sock); " +
        "over SSH, required and an SSH target on the same host (host:/run/haproxy-master.sock)",
    )
    .addOption(
      new Option(
        "--reload-cmd <command>",
        'reload with this command instead, e.g. "systemctl reload haproxy" (no shell)',
      ),
    );
}

/** Why an SSH target (the argument, else $HAPTOP_SOCKET) cannot be reloaded with these options; a bad target is left to the command. */
function sshReloadRefusal(
  arg: string | undefined,
  opts: { masterSocket?: string; mode?: ReloadMode; reloadCmd?: string },
): string | null {
  let target: Target;
  try {
    target = resolveTarget(arg);
  } catch {
    return null;
  }
  return sshReloadUnavailable(target, opts);
}

/** Wants colour: a terminal, no NO_COLOR, no --no-color. */
export function wantsColor(opts: { color: boolean }, stream: NodeJS.WriteStream = process.stdout): boolean {
  return opts.color && !process.env.NO_COLOR && stream.isTTY === true;
}

/** One target (the monitor), several (the fleet overview), or Prometheus: see src/app/fleet.ts. */
async function runTargets(args: string[], opts: GlobalOptions & FleetOptions): Promise<number> {
  let plan: TargetPlan;
  try {
    plan = planTargets(args, opts);
  } catch (e) {
    const code = usageFault(e);
    if (code !== null) return code;
    throw e;
  }
  if (plan.kind !== "prometheus" && plan.warning)
    process.stderr.write(`haptop: warning: ${sanitize(plan.warning)}\n`);
  if (plan.kind === "single") return runMain(plan.arg, opts);
  if (opts.json && !opts.once && process.stdout.isTTY) opts.once = true;
  if (opts.once || !process.stdout.isTTY) {
    if (plan.kind === "prometheus") return runPromOnce(plan, opts);
    return runFleetOnce(plan.targets, opts, wantsColor(opts));
  }
  prepareTerminal();
  const code = await runFleetInteractive(plan, opts);
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Before Ink loads: colour flags out of argv (chalk reads them), and never "CI" mode on a terminal. */
function prepareTerminal(): void {
  // chalk (inside Ink) sniffs --no-color in argv and then drops all styling, the cursor row's
  // inverse included; colour is already off through our own `color` flag. Ink is imported after
  // this, because chalk reads argv once when it loads.
  process.argv = process.argv.filter((a) => !/^--(no-colou?rs?|colou?r=(false|never))$/.test(a));
  // Ink draws only a final frame when it thinks it runs under CI (CI or CONTINUOUS_INTEGRATION
  // set): on a terminal the monitor must draw whatever the environment says.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}

async function runMain(targetArg: string | undefined, opts: GlobalOptions): Promise<number> {
  let target: Target;
  try {
    target = resolveTarget(targetArg);
  } catch (e) {
    if (e instanceof TargetSyntaxError) return reportFatal(e);
    throw e;
  }
  if (opts.json && !opts.once && process.stdout.isTTY) opts.once = true;
  if (opts.once || !process.stdout.isTTY) return runOnce(target, opts);
  prepareTerminal();
  const { runInteractive } = await import("./ui/run.js");
  const { createController } = await import("./actions/controller.js");
  const code = await runInteractive(target, opts, (poller, current) =>
    createController(target, opts, poller, current),
  );
  // A poll still in flight (a peer that hangs or drips) holds its socket open for up to --timeout:
  // the user asked to quit, so the process ends now, once what it wrote is flushed.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

/** Batch mode: one snapshot to stdout. */
export async function runOnce(target: Target, opts: GlobalOptions): Promise<number> {
  try {
    const snap = await fetchSnapshot(target, { timeoutMs: opts.timeout * 1000, maxRows: opts.maxRows });
    const name = describeTarget(target);
    process.stdout.write(
      opts.json ? snapshotToJsonText(name, snap) : snapshotToText(name, snap, wantsColor(opts)),
    );
    return EXIT.ok;
  } catch (e) {
    return reportFatal(e, target);
  }
}

/**
 * A fault as one clear message on stderr (escaped: it may quote HAProxy's reply), and its exit code
 * from the one table. No stack trace for expected faults. A CommandError does not know the target:
 * it is named here, as SocketErrors name it.
 */
export function reportFatal(e: unknown, target?: Target): number {
  const where = e instanceof CommandError && target ? `${sanitize(describeTarget(target))}: ` : "";
  process.stderr.write(`haptop: ${where}${formatError(e)}\n`);
  return exitCodeFor(e);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every other commander error is bad usage.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportFatal(e);
  }
}
