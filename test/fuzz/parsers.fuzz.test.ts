/**
 * Property-based tests over every parser of src/parse/ and the batch outputs, seeded from the
 * replies captured from real HAProxy releases (test/fixtures/haproxy-<version>/), mutated: bytes
 * inserted (control classes included), ranges cut, lines doubled or dropped, the reply truncated.
 * Properties: a parser returns or throws one of the typed errors (a ReplyError), never anything
 * else; the text output holds no raw control; the JSON output is printable ASCII and parses back.
 * A few hundred cases each in `npm test`; HAPTOP_FUZZ_RUNS=100000 for a long run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { snapshotToJson, snapshotToJsonText } from "../../src/batch/json.js";
import { snapshotToText } from "../../src/batch/text.js";
import { ReplyError } from "../../src/client/errors.js";
import { buildSnapshot } from "../../src/model/snapshot.js";
import { parseErrors } from "../../src/parse/errors.js";
import { parseInfo } from "../../src/parse/info.js";
import { parseCliLevel } from "../../src/parse/level.js";
import { parseMasterReload, parseReleaseVersion, parseShowProc } from "../../src/parse/proc.js";
import { parseServersState } from "../../src/parse/servers-state.js";
import { parseSess } from "../../src/parse/sess.js";
import { parseStat } from "../../src/parse/stat.js";
import { parseDuration } from "../../src/parse/values.js";
import { decodeReply } from "../../src/text/utf8.js";
import { fixtureFiles } from "./fake.js";
import { CONTROL_CLASSES, FUZZ, FUZZ_TIMEOUT_MS, firstNonAsciiByte, firstRawControl } from "./hostile.js";

/** Every captured reply of that name, all releases (a name missing everywhere fails the test). */
function seeds(...names: string[]): string[] {
  const texts = names.flatMap((n) => fixtureFiles(n).map((f) => f.text));
  if (texts.length === 0) throw new Error(`no fixtures named ${names.join(", ")}`);
  return texts;
}

/** Bits a hostile or broken peer could add. */
const noise = fc.oneof(
  fc.constantFrom(...Object.values(CONTROL_CLASSES), ",", '"', "\n", "\r\n", "#", ": ", "\\", "[", "]", "0x"),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.uint8Array({ maxLength: 8 }).map((a) => decodeReply(Buffer.from(a))),
);

type Mutation = (s: string) => string;

/** One change to a reply at a position given as a fraction of its length. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), noise).map(
    ([at, bit]) =>
      (s: string) =>
        s.slice(0, Math.floor(at * s.length)) + bit + s.slice(Math.floor(at * s.length)),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 200 })).map(
    ([at, n]) =>
      (s: string) =>
        s.slice(0, Math.floor(at * s.length)) + s.slice(Math.floor(at * s.length) + n),
  ),
  fc
    .double({ min: 0, max: 1, noNaN: true })
    .map((at) => (s: string) => s.slice(0, Math.floor(at * s.length))),
  fc.tuple(fc.nat(), fc.boolean()).map(([i, twice]) => (s: string) => {
    const lines = s.split("\n");
    const k = i % lines.length;
    lines.splice(k, 1, ...(twice ? [lines[k]!, lines[k]!] : []));
    return lines.join("\n");
  }),
);

/** A real reply of one of `names`, with 0 to 6 mutations; sometimes plain noise. */
function reply(...names: string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      {
        weight: 8,
        arbitrary: fc.tuple(fc.constantFrom(...seeds(...names)), fc.array(mutation, { maxLength: 6 })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.string({ unit: "binary", maxLength: 400 }), fc.constant([] as Mutation[])),
      },
    )
    .map(([text, ms]) => ms.reduce((t, m) => m(t), text));
}

/** Runs `parse`; passes when it returns, or throws a typed ReplyError (when `mayThrow`). */
function onlyTypedErrors(parse: (s: string) => unknown, mayThrow: boolean) {
  return (s: string) => {
    try {
      parse(s);
    } catch (e) {
      if (mayThrow && e instanceof ReplyError) return;
      throw e;
    }
  };
}

const PARSERS: { name: string; fixtures: string[]; parse: (s: string) => unknown; mayThrow: boolean }[] = [
  { name: "parseInfo", fixtures: ["show-info.txt"], parse: parseInfo, mayThrow: false },
  { name: "parseStat", fixtures: ["show-stat.txt"], parse: parseStat, mayThrow: true },
  { name: "parseSess", fixtures: ["show-sess.txt", "user-show-sess.txt"], parse: parseSess, mayThrow: false },
  { name: "parseErrors", fixtures: ["show-errors.txt"], parse: parseErrors, mayThrow: false },
  {
    name: "parseCliLevel",
    fixtures: ["show-cli-level.txt", "user-show-cli-level.txt"],
    parse: parseCliLevel,
    mayThrow: true,
  },
  {
    name: "parseShowProc",
    fixtures: [
      "master-show-proc.txt",
      "master-show-proc-after-reload.txt",
      "master-show-proc-reload-failed.txt",
    ],
    parse: parseShowProc,
    mayThrow: false,
  },
  {
    name: "parseMasterReload",
    fixtures: ["master-reload-success.txt", "master-reload-failure.txt", "master-show-startup-logs.txt"],
    parse: parseMasterReload,
    mayThrow: false,
  },
  {
    name: "parseReleaseVersion",
    fixtures: ["show-version.txt"],
    parse: parseReleaseVersion,
    mayThrow: false,
  },
  {
    name: "parseServersState",
    fixtures: ["show-servers-state.txt"],
    parse: parseServersState,
    mayThrow: true,
  },
  {
    name: "parseDuration",
    fixtures: ["show-info.txt"],
    parse: (s) => parseDuration(s.slice(0, 40)),
    mayThrow: false,
  },
];

describe.each(PARSERS)("$name", (p) => {
  it("reads every captured reply unmutated (the seeds are real)", () => {
    for (const text of seeds(...p.fixtures)) expect(() => p.parse(text)).not.toThrow();
  });

  it(
    "property: on mutated replies it returns or throws a typed error, nothing else",
    () => {
      fc.assert(fc.property(reply(...p.fixtures), onlyTypedErrors(p.parse, p.mayThrow)), FUZZ);
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe("batch outputs of mutated replies", () => {
  /** A snapshot from a mutated info and stat, or null when the stat parser refused it (typed). */
  const snapshotOf = (info: string, stat: string) => {
    try {
      return buildSnapshot(parseInfo(info), parseStat(stat), 0, "admin");
    } catch (e) {
      if (e instanceof ReplyError) return null;
      throw e;
    }
  };
  const pair = fc.tuple(reply("show-info.txt"), reply("show-stat.txt"));

  it(
    "property: --once text never holds a raw control character",
    () => {
      fc.assert(
        fc.property(pair, ([info, stat]) => {
          const snap = snapshotOf(info, stat);
          if (snap) expect(firstRawControl(snapshotToText("t", snap, false))).toBeNull();
        }),
        FUZZ,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "property: --json is printable ASCII and parses back to the same document",
    () => {
      fc.assert(
        fc.property(pair, ([info, stat]) => {
          const snap = snapshotOf(info, stat);
          if (!snap) return;
          const text = snapshotToJsonText("t", snap);
          expect(firstNonAsciiByte(Buffer.from(text, "utf8"))).toBeNull();
          expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(snapshotToJson("t", snap))));
        }),
        FUZZ,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
