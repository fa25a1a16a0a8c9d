import { fixture } from "./fake.js";

/**
 * Every class of dangerous character a hostile peer can put in a reply, as text and as raw bytes,
 * and the check that an output holds none of them raw.
 */

/** Name → text (as decoded from the reply). */
export const CONTROL_CLASSES: Record<string, string> = {
  nul: "\u0000",
  bel: "\u0007",
  backspace: "\b",
  cr: "\r",
  lf: "\n",
  tab: "\t",
  "clear screen (CSI 2J)": "\u001b[2J",
  "OSC title": "\u001b]0;pwned\u0007",
  "OSC 52 clipboard": "\u001b]52;c;cm0gLXJmIH4=\u001b\\",
  "every other C0": Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(""),
  del: "\u007f",
  "C1 CSI (U+009B)": "\u009b2J",
  "every C1": Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)).join(""),
  "bidi overrides": "\u202a\u202b\u202c\u202d\u202e",
  "bidi isolates": "\u2066\u2067\u2068\u2069",
  "line/paragraph separators": "\u2028\u2029",
  "lone high surrogate": "\ud800",
  "lone low surrogate": "\udfff",
};

/** Name → raw bytes that are not valid UTF-8 (a peer sends bytes, not text). */
export const INVALID_UTF8: Record<string, Buffer> = {
  "byte ff": Buffer.from([0xff]),
  "raw C1 CSI byte 9b": Buffer.from([0x9b, 0x32, 0x4a]),
  "overlong NUL c0 80": Buffer.from([0xc0, 0x80]),
  "truncated 3-byte sequence": Buffer.from([0xe2, 0x82]),
  "encoded surrogate ed a0 80": Buffer.from([0xed, 0xa0, 0x80]),
};

/** Every dangerous character in one string. */
export const ALL_CONTROLS = Object.values(CONTROL_CLASSES).join("");

/**
 * The first raw dangerous character in `text`, or null: C0 (except the LF and, when allowed, the
 * ESC of our own colours; neither is allowed by default), DEL, C1, bidi and line separators, lone surrogates.
 */
export function firstRawControl(text: string, allowLf = true): string | null {
  const re =
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const m = re.exec(allowLf ? text : text.replace(/\n/g, "\u0000"));
  return m ? `U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${m.index}` : null;
}

/** Bytes of an output: every one printable ASCII or LF (what `--json` and the log must be). */
export function firstNonAsciiByte(buf: Buffer): string | null {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b !== 0x0a && (b < 0x20 || b > 0x7e)) return `byte ${b.toString(16)} at ${i}`;
  }
  return null;
}

/** Bytes of a terminal output: valid UTF-8 whose text has no raw control (LF allowed). */
export function firstRawControlInBytes(buf: Buffer): string | null {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(buf);
  if (text.includes("\ufffd") && !buf.includes(Buffer.from("\ufffd"))) return "invalid UTF-8";
  return firstRawControl(text);
}

/**
 * How many cases each property runs: a few hundred in `npm test` (a few seconds in all), more with
 * HAPTOP_FUZZ_RUNS=100000 for a long run. HAPTOP_FUZZ_SEED replays a failure fast-check reported.
 */
export const FUZZ = {
  numRuns: Number(process.env.HAPTOP_FUZZ_RUNS ?? 200),
  ...(process.env.HAPTOP_FUZZ_SEED ? { seed: Number(process.env.HAPTOP_FUZZ_SEED) } : {}),
};

/** HAProxy's real replies with `bad` in every text field a peer controls. */
export function hostileReplies(bad: Buffer): { info: Buffer; stat: Buffer } {
  const b = (s: string) => Buffer.from(s, "utf8");
  const info = fixture("show-info.txt")
    .split("\n")
    .map((l) =>
      /^(Pid|Uptime|Version|node|Release_date|description): /.test(l)
        ? `${l.slice(0, l.indexOf(": ") + 2)}x@x`
        : l,
    )
    .join("\n");
  const stat = fixture("show-stat.txt")
    .replace(/be_app/g, "be@app")
    .replace(/,L7OK,/, ",@,");
  const splice = (text: string) =>
    Buffer.concat(text.split("@").flatMap((part, i) => (i ? [bad, b(part)] : [b(part)])));
  return { info: splice(info), stat: splice(stat) };
}

/** A property test's time limit: vitest's 30 s, or more for a long HAPTOP_FUZZ_RUNS run. */
export const FUZZ_TIMEOUT_MS = Math.max(30_000, FUZZ.numRuns * 20);
