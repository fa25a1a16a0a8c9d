/**
 * The stick-table command builders (src/actions/tableCommands.ts) and the controller's input
 * parsing (controllerTables.ts): every part checked, hostile keys escaped or refused with the
 * reason, data filters rebuilt from parsed parts, and the outcome read from the entry read back.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSetInput, settableCounters } from "../../../src/actions/controllerTables.js";
import { ACTION_REQUIREMENTS } from "../../../src/actions/policy.js";
import {
  buildTableCommand,
  checkTableName,
  dataFilterArgs,
  parseDataFilter,
  parseGpValue,
  showTableCommand,
  TableInputError,
  tableAcceptedMessage,
  tableKeyArg,
} from "../../../src/actions/tableCommands.js";
import { parseTableDump } from "../../../src/parse/table.js";

const fixture = (v: string, f: string) =>
  readFileSync(new URL(`../../fixtures/haproxy-${v}/table-${f}.txt`, import.meta.url), "latin1");

describe("table names", () => {
  it("accepts identifiers and peers tables, refuses anything else", () => {
    for (const ok of ["st_src", "be-1.x:y", "p1/t1"]) expect(checkTableName(ok)).toBe(ok);
    for (const bad of ["", "a b", "a;show info", "a\nb", "a\\b", "a/b/c", "/x", "é", "x".repeat(257)])
      expect(() => checkTableName(bad)).toThrow(TableInputError);
  });
});

describe("keys by table type", () => {
  it("ip, ipv6 and integer keys must be of that type", () => {
    expect(tableKeyArg("ip", "127.0.0.2")).toBe("127.0.0.2");
    expect(tableKeyArg("ipv6", "::ffff:127.0.0.1")).toBe("::ffff:127.0.0.1");
    expect(tableKeyArg("integer", "42")).toBe("42");
    expect(() => tableKeyArg("ip", "127.0.0.256")).toThrow(/not an IPv4 address/);
    expect(() => tableKeyArg("ip", "1.2.3.4;clear table x")).toThrow(TableInputError);
    expect(() => tableKeyArg("ipv6", "1.2.3.4")).toThrow(/IPv6/);
    expect(() => tableKeyArg("integer", "4294967296")).toThrow(/integer/);
    expect(() => tableKeyArg("binary", "00ff")).toThrow(/not supported/);
  });

  it("string keys: blanks, ';' and '\\' escaped; quotes and '=' as they are", () => {
    expect(tableKeyArg("string", "bob smith")).toBe("bob\\ smith");
    expect(tableKeyArg("string", "semi;colon\\back")).toBe("semi\\;colon\\\\back");
    expect(tableKeyArg("string", 'quote"d')).toBe('quote"d');
    expect(tableKeyArg("string", "eq=sign use=9")).toBe("eq=sign\\ use=9");
  });

  it("string keys that cannot be sent are refused with the reason", () => {
    expect(() => tableKeyArg("string", "")).toThrow(/empty key/);
    expect(() => tableKeyArg("string", "tab\there")).toThrow(/control or non-ASCII/);
    expect(() => tableKeyArg("string", "line\nshow info")).toThrow(/control or non-ASCII/);
    expect(() => tableKeyArg("string", "\x1b[31m")).toThrow(/control/);
    expect(() => tableKeyArg("string", "caf\udce9")).toThrow(/non-ASCII/);
    expect(() => tableKeyArg("string", "café")).toThrow(/non-ASCII/);
    expect(() => tableKeyArg("string", "payload <<")).toThrow(/<</);
    expect(() => tableKeyArg("string", "x".repeat(1025))).toThrow(/longer/);
  });
});

describe("data filters", () => {
  it("reads the operator's forms and rebuilds the arguments from parsed parts", () => {
    expect(parseDataFilter("http_req_rate gt 10")).toEqual({ type: "http_req_rate", op: "gt", value: 10 });
    expect(parseDataFilter(" data.gpc0 >= 1 ")).toEqual({ type: "gpc0", op: "ge", value: 1 });
    expect(parseDataFilter("conn_cur!=0")).toEqual({ type: "conn_cur", op: "ne", value: 0 });
    expect(dataFilterArgs(parseDataFilter("gpc0 = 3"))).toBe("data.gpc0 eq 3");
    expect(showTableCommand("st_src", parseDataFilter("http_req_rate gt 4"))).toBe(
      "show table st_src data.http_req_rate gt 4",
    );
    expect(showTableCommand("st_src")).toBe("show table st_src");
  });

  it("refuses what is not a filter, or a counter the table does not store", () => {
    for (const bad of [
      "",
      "gpc0",
      "gpc0 gt",
      "gpc0 gt -1",
      "gpc0 gt 1; clear table st_src",
      "gpc0 xx 1",
      "GPC0 gt 1",
      "gpc0 gt 1 2",
      "gpc0 constructor 1",
      "gpc0 gt 1e3",
    ])
      expect(() => parseDataFilter(bad), bad).toThrow(TableInputError);
    expect(() => parseDataFilter("gpc1 gt 0", ["gpc0", "http_req_rate"])).toThrow(/does not store gpc1/);
    expect(() => dataFilterArgs({ type: "gpc0", op: "gt; show info" as "gt", value: 1 })).toThrow();
  });
});

describe("clear and set", () => {
  it("builds the exact command and the read-back", () => {
    expect(
      buildTableCommand({ kind: "clear-entry", table: "st_src", keyType: "ip", key: "127.0.0.2" }),
    ).toEqual({
      action: "clear-table-entry",
      commands: ["clear table st_src key 127.0.0.2"],
      before: [],
      verify: ["show table st_src key 127.0.0.2"],
    });
    const set = buildTableCommand({
      kind: "set-entry",
      table: "st_user",
      keyType: "string",
      key: "bob smith",
      dataType: "gpc0",
      value: 5,
    });
    expect(set.commands).toEqual(["set table st_user key bob\\ smith data.gpc0 5"]);
    expect(set.action).toBe("set-table-entry");
  });

  it("refuses a bad table, key, counter or value before anything is built", () => {
    const base = { table: "st_src", keyType: "ip", key: "127.0.0.1" };
    expect(() => buildTableCommand({ kind: "clear-entry", ...base, table: "a b" })).toThrow(/table name/);
    expect(() => buildTableCommand({ kind: "clear-entry", ...base, key: "x" })).toThrow(/IPv4/);
    const set = { kind: "set-entry" as const, ...base, dataType: "gpc0", value: 1 };
    expect(() => buildTableCommand({ ...set, dataType: "http_req_rate" })).toThrow(/gpt\/gpc/);
    expect(() => buildTableCommand({ ...set, dataType: "gpc0 1 data.gpt0" })).toThrow(/gpt\/gpc/);
    expect(() => buildTableCommand({ ...set, value: -1 })).toThrow(/0 to/);
    expect(() => buildTableCommand({ ...set, value: 2 ** 32 })).toThrow(/0 to/);
    expect(() => parseGpValue("1.5")).toThrow(TableInputError);
  });

  it("needs operator level (measured on every release) and is refused in read-only mode", () => {
    expect(ACTION_REQUIREMENTS["clear-table-entry"]).toEqual({ level: "operator", mutating: true });
    expect(ACTION_REQUIREMENTS["set-table-entry"]).toEqual({ level: "operator", mutating: true });
  });

  it("the set prompt: a value for the first gpc, or a counter and a value", () => {
    const entry = parseTableDump(fixture("3.2.0", "st_src")).entries[0]!;
    const counters = settableCounters(entry);
    expect(counters).toEqual(["gpt0", "gpc0"]);
    expect(parseSetInput("7", counters)).toEqual({ dataType: "gpc0", value: 7 });
    expect(parseSetInput("gpt0 1", counters)).toEqual({ dataType: "gpt0", value: 1 });
    expect(parseSetInput("data.gpc0 2", counters)).toEqual({ dataType: "gpc0", value: 2 });
    expect(() => parseSetInput("gpc1 2", counters)).toThrow(/not a counter of this entry/);
    expect(() => parseSetInput("", counters)).toThrow(TableInputError);
    expect(() => parseSetInput("1", [])).toThrow(/no gpt\/gpc/);
  });
});

describe("outcome from the entry read back", () => {
  const clear = buildTableCommand({ kind: "clear-entry", table: "st_src", keyType: "ip", key: "127.0.0.2" });
  const set = buildTableCommand({
    kind: "set-entry",
    table: "st_src",
    keyType: "ip",
    key: "127.0.0.1",
    dataType: "gpc0",
    value: 3,
  });
  it.each(["2.6.12", "2.8.0", "3.0.0", "3.2.0"])("HAProxy %s", (v) => {
    expect(tableAcceptedMessage(clear, [fixture(v, "operator-after-clear")])).toBe(
      "entry cleared from st_src",
    );
    expect(tableAcceptedMessage(set, [fixture(v, "operator-after-set")])).toBe("st_src: gpc0 now 3");
    // Still there (a session tracks it): said so, not reported as cleared.
    expect(tableAcceptedMessage(clear, [fixture(v, "operator-after-set")])).toMatch(/still in st_src/);
  });
});
