import { parseTableDump } from "../parse/table.js";
import type { BuiltCommand } from "./commands.js";

/**
 * The stick-table commands, built from checked parts only (pure: what the dialog shows is what is
 * sent). How HAProxy's CLI reads a line (cli.c, 2.6–3.2): `;` ends a command, blanks split
 * arguments, `\` makes the next character literal. So a table name must be an identifier, a data
 * filter is rebuilt from its parsed parts, and a key is checked against its table's type: a string
 * key may hold blanks, `;` and `\` (escaped), never a control byte, a non-ASCII byte (the reply
 * shows it as `\xHH`, its real encoding is unknown) or a trailing `<<` (it would open a payload).
 */

/** Why a table name, key, counter or value cannot be sent: the message says which and why. */
export class TableInputError extends Error {
  override name = "TableInputError";
}

/** Longer keys are refused (HAProxy's string keys are at most `len` bytes, 32 by default). */
export const MAX_TABLE_KEY = 1024;

/** An identifier (letters, digits, `-_.:`); a table of a `peers` section is `<peers>/<table>`. */
const TABLE_NAME = /^[A-Za-z0-9_.:-]+(?:\/[A-Za-z0-9_.:-]+)?$/;

/** A table name as `show table` prints it, checked; throws TableInputError otherwise. */
export function checkTableName(name: string): string {
  if (name.length === 0 || name.length > 256 || !TABLE_NAME.test(name))
    throw new TableInputError(
      `table name ${JSON.stringify(name.slice(0, 40))} refused: only letters, digits, '-', '_', '.', ':' (and peers/table) can be sent`,
    );
  return name;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;
const UNSIGNED = /^\d{1,10}$/;

/**
 * A key of a table of `type`, as one CLI argument; throws TableInputError with the reason when it
 * cannot be sent safely (or cannot be a key of that type).
 */
export function tableKeyArg(type: string, key: string): string {
  const shown = JSON.stringify(key.slice(0, 40));
  const refuse = (why: string): never => {
    throw new TableInputError(`key ${shown} cannot be sent: ${why}`);
  };
  switch (type) {
    case "ip":
      return IPV4.test(key) ? key : refuse("not an IPv4 address");
    case "ipv6":
      return IPV6.test(key) && key.includes(":") ? key : refuse("not an IPv6 address");
    case "integer":
      return UNSIGNED.test(key) && Number(key) <= 0xffffffff ? key : refuse("not an integer");
    case "string": {
      if (key === "") refuse("an empty key cannot be typed on the CLI");
      if (key.length > MAX_TABLE_KEY) refuse(`longer than ${MAX_TABLE_KEY} characters`);
      // Printable ASCII only: a control byte would end or corrupt the command line, and a byte
      // HAProxy printed as \xHH has no known encoding to send back.
      if (!/^[\x20-\x7e]+$/.test(key)) refuse("it holds a control or non-ASCII byte");
      if (key.endsWith("<<")) refuse("a trailing '<<' would open a CLI payload");
      return key.replace(/[\\; ]/g, (c) => `\\${c}`);
    }
    default:
      return refuse(`keys of ${JSON.stringify(type.slice(0, 20))} tables are not supported`);
  }
}

/** The comparison operators of `data.<type> <op> <value>` (management.txt, same as the ACLs). */
export const DATA_OPERATORS = ["eq", "ne", "le", "ge", "lt", "gt"] as const;
export type DataOperator = (typeof DATA_OPERATORS)[number];

/** A data filter pushed to HAProxy: `show table <t> data.<type> <op> <value>`. */
export interface DataFilter {
  type: string;
  op: DataOperator;
  value: number;
}

const DATA_TYPE = /^[a-z_]+[0-9]*$/;
const SYMBOLS: Readonly<Record<string, DataOperator>> = {
  ">": "gt",
  "<": "lt",
  ">=": "ge",
  "<=": "le",
  "=": "eq",
  "==": "eq",
  "!=": "ne",
};

/**
 * Reads a data filter as the operator types it: `http_req_rate gt 10` (`data.` and the symbols
 * `> < >= <= = !=` are accepted too). `types`: the table's stored types, when known (HAProxy
 * refuses a type the table does not store). Throws TableInputError with the reason.
 */
export function parseDataFilter(text: string, types?: readonly string[]): DataFilter {
  const usage = "expected <counter> <op> <value>, e.g. http_req_rate gt 10";
  const parts = text
    .trim()
    .replace(/(>=|<=|!=|==|=|>|<)/g, " $1 ")
    .split(/\s+/)
    .filter(Boolean);
  if (parts.length !== 3) throw new TableInputError(usage);
  const type = parts[0]!.replace(/^data\./, "");
  const opText = parts[1]!;
  const op = Object.hasOwn(SYMBOLS, opText)
    ? SYMBOLS[opText]!
    : (DATA_OPERATORS.find((o) => o === opText) ?? null);
  if (!op)
    throw new TableInputError(
      `unknown operator ${JSON.stringify(opText.slice(0, 10))}: use ${DATA_OPERATORS.join(", ")}`,
    );
  if (!DATA_TYPE.test(type))
    throw new TableInputError(`invalid counter name ${JSON.stringify(type.slice(0, 30))}`);
  if (!/^\d{1,18}$/.test(parts[2]!))
    throw new TableInputError(
      `value ${JSON.stringify(parts[2]!.slice(0, 20))}: expected a non-negative integer`,
    );
  if (types && types.length > 0 && !types.includes(type))
    throw new TableInputError(`this table does not store ${type} (it stores ${types.join(", ")})`);
  return { type, op, value: Number(parts[2]) };
}

/** The filter as the command's arguments: `data.http_req_rate gt 10` (from parsed parts only). */
export function dataFilterArgs(f: DataFilter): string {
  if (
    !DATA_TYPE.test(f.type) ||
    !DATA_OPERATORS.includes(f.op) ||
    !Number.isSafeInteger(f.value) ||
    f.value < 0
  )
    throw new TableInputError("invalid data filter");
  return `data.${f.type} ${f.op} ${f.value}`;
}

/** The table list. */
export const SHOW_TABLES = "show table";

/** `show table <t> [data.<type> <op> <value>]`: a table's entries, optionally filtered by HAProxy. */
export function showTableCommand(table: string, filter: DataFilter | null = null): string {
  return `show table ${checkTableName(table)}${filter ? ` ${dataFilterArgs(filter)}` : ""}`;
}

/** What `set table` may change: the general-purpose tags and counters (`gpt0`, `gpc1`…). */
const SETTABLE = /^gp[ct]\d{1,3}$/;
/** gpt/gpc are 32-bit unsigned in HAProxy. */
const MAX_GP_VALUE = 0xffffffff;

export type TableChange =
  | { kind: "clear-entry"; table: string; keyType: string; key: string }
  | { kind: "set-entry"; table: string; keyType: string; key: string; dataType: string; value: number };

/** A gpt/gpc value as typed; throws TableInputError otherwise. */
export function parseGpValue(text: string): number {
  const t = text.trim();
  if (!/^\d{1,10}$/.test(t) || Number(t) > MAX_GP_VALUE)
    throw new TableInputError(
      `value ${JSON.stringify(t.slice(0, 20))}: expected an integer from 0 to ${MAX_GP_VALUE}`,
    );
  return Number(t);
}

/**
 * One table change: `clear table <t> key <k>` or `set table <t> key <k> data.<gpX> <v>`, then
 * `show table <t> key <k>` in the same request to read the entry back (HAProxy answers a clear of
 * an entry in use by a session with the same empty line, and keeps the entry).
 */
export function buildTableCommand(change: TableChange): BuiltCommand {
  const ref = `${checkTableName(change.table)} key ${tableKeyArg(change.keyType, change.key)}`;
  const verify = [`show table ${ref}`];
  if (change.kind === "clear-entry")
    return { action: "clear-table-entry", commands: [`clear table ${ref}`], before: [], verify };
  if (!SETTABLE.test(change.dataType))
    throw new TableInputError(
      `only gpt/gpc counters can be set (not ${JSON.stringify(change.dataType.slice(0, 20))})`,
    );
  if (!Number.isSafeInteger(change.value) || change.value < 0 || change.value > MAX_GP_VALUE)
    throw new TableInputError(`value ${change.value}: expected an integer from 0 to ${MAX_GP_VALUE}`);
  return {
    action: "set-table-entry",
    commands: [`set table ${ref} data.${change.dataType} ${change.value}`],
    before: [],
    verify,
  };
}

/** The outcome of an accepted table change, from the entry read back after it. */
export function tableAcceptedMessage(built: BuiltCommand, verify: string[]): string {
  const cmd = built.commands[0] ?? "";
  const m = /^(?:clear|set) table (\S+) key /.exec(cmd);
  const table = m?.[1] ?? "?";
  let entries: ReturnType<typeof parseTableDump>["entries"] | null = null;
  try {
    entries = parseTableDump(verify[0] ?? "").entries;
  } catch {
    entries = null;
  }
  if (built.action === "clear-table-entry") {
    if (entries === null) return `${cmd}: done (could not read the entry back)`;
    return entries.length === 0
      ? `entry cleared from ${table}`
      : `entry still in ${table}: HAProxy keeps an entry a session is tracking (retry when it ends)`;
  }
  const set = / data\.(\S+) (\d+)$/.exec(cmd);
  const now = set ? entries?.[0]?.data[set[1]!] : undefined;
  return now === undefined ? `${cmd}: done` : `${table}: ${set?.[1]} now ${now}`;
}
