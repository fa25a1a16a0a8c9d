import { parse as parseToml, TomlError } from "smol-toml";

/**
 * haptop's own config file (`$XDG_CONFIG_HOME/haptop/config.toml`): named targets, grouped.
 *
 *     [[target]]
 *     name = "lb1"
 *     address = "/run/haproxy/admin.sock"      # any haptop target: /path, host:port, ssh://…
 *     group = ["eu", "edge"]                   # or one string
 *     prometheus_instance = "10.0.0.1:8404"    # optional: this target's exporter instance
 */
export interface ConfigTarget {
  name: string;
  /** A target as the command line takes it (parsed by src/client/target.ts). */
  address: string;
  groups: string[];
  /** The `instance` label Prometheus gives this load balancer's exporter, when set. */
  prometheusInstance: string | null;
}

export interface HaptopConfig {
  targets: ConfigTarget[];
}

/** The config file cannot be used: where and why (a usage error, exit 2). */
export class ConfigFileError extends Error {
  override name = "ConfigFileError";
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KNOWN = new Set(["name", "address", "group", "prometheus_instance"]);

/** Reads the config file's text; `path` is only for messages. Every fault names the entry. */
export function parseHaptopConfig(text: string, path: string): HaptopConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? ` (line ${e.line}, column ${e.column})` : "";
    throw new ConfigFileError(`${path}: not valid TOML${where}`);
  }
  for (const key of Object.keys(doc))
    if (key !== "target")
      throw new ConfigFileError(`${path}: unknown section "${key}" (expected [[target]])`);
  const list = doc.target ?? [];
  if (!Array.isArray(list))
    throw new ConfigFileError(`${path}: "target" must be a list of [[target]] tables`);
  const seen = new Set<string>();
  const targets = list.map((raw, i): ConfigTarget => {
    const where = `${path}: target #${i + 1}`;
    if (typeof raw !== "object" || raw === null) throw new ConfigFileError(`${where} is not a table`);
    const t = raw as Record<string, unknown>;
    for (const key of Object.keys(t))
      if (!KNOWN.has(key)) throw new ConfigFileError(`${where}: unknown key "${key}"`);
    if (typeof t.name !== "string" || !NAME.test(t.name))
      throw new ConfigFileError(`${where}: "name" must be letters, digits, ".", "_" or "-" (at most 64)`);
    if (seen.has(t.name)) throw new ConfigFileError(`${where}: the name "${t.name}" is used twice`);
    seen.add(t.name);
    if (typeof t.address !== "string" || t.address.trim() === "")
      throw new ConfigFileError(`${where} (${t.name}): "address" is missing`);
    const group = t.group ?? [];
    const groups = typeof group === "string" ? [group] : group;
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === "string" && NAME.test(g)))
      throw new ConfigFileError(`${where} (${t.name}): "group" must be a name or a list of names`);
    const inst = t.prometheus_instance;
    if (inst !== undefined && typeof inst !== "string")
      throw new ConfigFileError(`${where} (${t.name}): "prometheus_instance" must be a string`);
    return {
      name: t.name,
      address: t.address.trim(),
      groups: groups as string[],
      prometheusInstance: inst ?? null,
    };
  });
  return { targets };
}

/**
 * The targets the command line asks for: each argument is a config name or an address (named by
 * itself); `--group` adds every target of that group. Unknown groups are an error.
 */
export function selectTargets(
  config: HaptopConfig,
  args: readonly string[],
  group: string | undefined,
): { name: string; address: string }[] {
  const byName = new Map(config.targets.map((t) => [t.name, t]));
  const out: { name: string; address: string }[] = [];
  const taken = new Set<string>();
  const add = (name: string, address: string) => {
    let n = name;
    for (let k = 2; taken.has(n); k++) n = `${name}~${k}`;
    taken.add(n);
    out.push({ name: n, address });
  };
  for (const a of args) {
    const t = byName.get(a);
    add(t ? t.name : a, t ? t.address : a);
  }
  if (group !== undefined) {
    const members = config.targets.filter((t) => t.groups.includes(group));
    if (members.length === 0)
      throw new ConfigFileError(`no target in group "${group}" (see the config file)`);
    for (const t of members) if (!out.some((o) => o.address === t.address)) add(t.name, t.address);
  }
  return out;
}
