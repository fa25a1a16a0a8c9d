import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createController } from "../actions/controller.js";
import { type FleetAnswer, fleetOnceOutput } from "../batch/fleet.js";
import { promFleetOutput } from "../batch/promFleet.js";
import { EXIT } from "../client/exit.js";
import { getJson, HttpError, parseHttpUrl } from "../client/http.js";
import { parseTarget, type Target, TargetSyntaxError } from "../client/target.js";
import {
  ConfigFileError,
  type HaptopConfig,
  parseHaptopConfig,
  selectTargets,
} from "../parse/haptopConfig.js";
import { MatchSyntaxError, parseInstantVector, parseMatchers } from "../parse/prometheus.js";
import { PromFleet } from "../store/fleet.js";
import { fetchSnapshot } from "../store/poll.js";
import { instanceLines, instanceServersQuery } from "../store/promFleet.js";
import { sanitize } from "../text/sanitize.js";
import type { NamedTarget } from "../ui/runFleet.js";
import type { MonitorSettings } from "../ui/targetSession.js";

/** The options of the fleet (several targets, a config file, Prometheus) as main.ts parsed them. */
export interface FleetOptions extends MonitorSettings {
  once?: boolean;
  json?: boolean;
  group?: string;
  /** `--targets-file`: the config file (default $XDG_CONFIG_HOME/haptop/config.toml). */
  targetsFile?: string;
  prometheus?: string;
  match?: string;
  masterSocket?: string;
  config?: string[];
  pidfile?: string;
  haproxy?: string;
  reloadCmd?: string;
}

/** Where the config file is looked for when --targets-file is not given. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "haptop", "config.toml");
}

/** The config file: the one given (it must exist), else the default one when it exists. */
export function loadConfig(opts: { targetsFile?: string }, env = process.env): HaptopConfig {
  const path = opts.targetsFile ?? defaultConfigPath(env);
  if (!opts.targetsFile && !existsSync(path)) return { targets: [] };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigFileError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseHaptopConfig(text, path);
}

/** What the command line asks for: one target (today's monitor), several, or a Prometheus fleet. */
export type TargetPlan =
  | { kind: "single"; arg: string | undefined; warning?: string }
  | { kind: "fleet"; targets: NamedTarget[]; warning?: string }
  | { kind: "prometheus"; url: URL; matchers: string; mapped: Map<string, NamedTarget> };

/** Reads the arguments, --group, the config file and --prometheus into a plan. Usage faults throw. */
export function planTargets(args: readonly string[], opts: FleetOptions, env = process.env): TargetPlan {
  let config: HaptopConfig;
  let warning: string | undefined;
  try {
    config = loadConfig(opts, env);
  } catch (e) {
    // A broken default config file must not lock an SRE out of the socket named on the command
    // line in the middle of an incident: ignored (with a warning) when nothing needs it, that is
    // when every argument is an address (a bare word may be a config name) and no --group.
    const needed =
      opts.targetsFile !== undefined ||
      opts.group !== undefined ||
      opts.prometheus !== undefined ||
      !args.every(isAddress);
    if (!(e instanceof ConfigFileError) || needed) throw e;
    config = { targets: [] };
    warning = `${e.message} (ignored: the targets given are addresses)`;
  }
  if (opts.prometheus !== undefined) {
    const url = parseHttpUrl(opts.prometheus);
    const matchers = parseMatchers(opts.match ?? "");
    const mapped = new Map<string, NamedTarget>();
    for (const t of config.targets)
      if (t.prometheusInstance)
        mapped.set(t.prometheusInstance, { name: t.name, target: parseTarget(t.address) });
    return { kind: "prometheus", url, matchers, mapped };
  }
  if (opts.match !== undefined) throw new ConfigFileError("--match needs --prometheus");
  const selected = selectTargets(config, args, opts.group);
  // One target (a config name already stands for its address), or none: the default socket.
  if (selected.length <= 1 && opts.group === undefined)
    return { kind: "single", arg: selected[0]?.address, ...(warning ? { warning } : {}) };
  return {
    kind: "fleet",
    targets: selected.map((t) => ({ name: t.name, target: parseTarget(t.address) })),
    ...(warning ? { warning } : {}),
  };
}

/** An argument that names a socket by itself (a path, host:port, unix@…), not a config name. */
function isAddress(arg: string): boolean {
  return /[/:@]/.test(arg) || arg.startsWith(".") || arg.startsWith("~");
}

/** A usage fault of the fleet options: one line on stderr, exit 2. Other faults are rethrown. */
export function usageFault(e: unknown): number | null {
  if (
    e instanceof ConfigFileError ||
    e instanceof MatchSyntaxError ||
    e instanceof TargetSyntaxError ||
    (e instanceof HttpError && e.code === "bad-url")
  ) {
    process.stderr.write(`haptop: ${sanitize(e.message)}\n`);
    return EXIT.usage;
  }
  return null;
}

/** `--once` over several targets: fetched concurrently, printed as one document. */
export async function runFleetOnce(
  targets: readonly NamedTarget[],
  opts: FleetOptions & { color: boolean },
  color: boolean,
): Promise<number> {
  const answers: FleetAnswer[] = await Promise.all(
    targets.map(async (t) => {
      const address = t.name;
      try {
        const snapshot = await fetchSnapshot(t.target, {
          timeoutMs: opts.timeout * 1000,
          maxRows: opts.maxRows,
        });
        return { name: t.name, address, snapshot };
      } catch (error) {
        return { name: t.name, address, error };
      }
    }),
  );
  const out = fleetOnceOutput(answers, opts.json === true, color);
  process.stdout.write(out.text);
  return out.exit;
}

/** `--once` over a Prometheus server: its fleet rows read once, printed as JSON or a text table. */
export async function runPromOnce(
  plan: Extract<TargetPlan, { kind: "prometheus" }>,
  opts: FleetOptions,
): Promise<number> {
  const fleet = new PromFleet({
    url: plan.url.origin,
    matchers: plan.matchers,
    getJson: promGetter(plan.url, opts),
  });
  const out = promFleetOutput(await fleet.once(), opts.json === true);
  process.stdout.write(out.text);
  return out.exit;
}

/** GET a path of the Prometheus server: rate() over a fleet may take longer than a socket's answer. */
function promGetter(url: URL, opts: FleetOptions) {
  const timeoutMs = Math.max(5000, opts.timeout * 1000);
  return (path: string) => getJson(new URL(path, url), { timeoutMs });
}

/** The TUI over several targets, or over a Prometheus server. */
export async function runFleetInteractive(
  plan: Exclude<TargetPlan, { kind: "single" }>,
  opts: FleetOptions,
): Promise<number> {
  const { runPromFleet, runSocketFleet } = await import("../ui/runFleet.js");
  const makeController = (
    target: Target,
    poller: Parameters<typeof createController>[2],
    current: () => Target,
  ) => createController(target, opts, poller, current);
  if (plan.kind === "fleet") return runSocketFleet(plan.targets, opts, makeController);
  const get = promGetter(plan.url, opts);
  return runPromFleet(
    {
      url: plan.url.origin,
      matchers: plan.matchers,
      getJson: get,
      mapped: plan.mapped,
      describe: async (instance) => {
        const query = instanceServersQuery(plan.matchers, instance);
        const samples = parseInstantVector(await get(`/api/v1/query?query=${encodeURIComponent(query)}`));
        return { title: `${instance} (Prometheus)`, lines: instanceLines(instance, samples) };
      },
    },
    opts,
    makeController,
  );
}
