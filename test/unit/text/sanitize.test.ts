import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asciiJson, excerpt, isClean, sanitize } from "../../../src/text/sanitize.js";
import { decodeReply, encodeCommand } from "../../../src/text/utf8.js";
import {
  ALL_CONTROLS,
  CONTROL_CLASSES,
  FUZZ,
  FUZZ_TIMEOUT_MS,
  firstNonAsciiByte,
  firstRawControl,
  INVALID_UTF8,
} from "../../fuzz/hostile.js";

/** Any text at all: every UTF-16 unit, lone surrogates and controls included. */
const anyText = fc.string({ unit: "binary" });
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) });

describe("sanitize", () => {
  it.each(Object.entries(CONTROL_CLASSES))("escapes %s", (_name, text) => {
    const out = sanitize(`a${text}b`);
    expect(firstRawControl(out, false)).toBeNull();
    expect(out.startsWith("a") && out.endsWith("b")).toBe(true);
  });

  it("shows each class visibly", () => {
    expect(sanitize("\u001b[2J")).toBe("\\x1b[2J");
    expect(sanitize("\u009b")).toBe("\\x9b");
    expect(sanitize("\u007f")).toBe("\\x7f");
    expect(sanitize("\u202e")).toBe("\\u202e");
    expect(sanitize("\ud800")).toBe("\\ud800");
    expect(sanitize("a\nb\tc\rd")).toBe("a\\nb\\tc\\rd");
  });

  it("keeps valid UTF-8 text and surrogate pairs as they are", () => {
    expect(sanitize("café → 東京 😀")).toBe("café → 東京 😀");
  });

  it(
    "property: output never holds a raw control, and sanitising twice changes nothing",
    () => {
      fc.assert(
        fc.property(fc.oneof(anyText, anyUnits), (s) => {
          const once = sanitize(s);
          expect(firstRawControl(once, false)).toBeNull();
          expect(isClean(once)).toBe(true);
          expect(sanitize(once)).toBe(once);
        }),
        FUZZ,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "property: clean text passes unchanged",
    () => {
      fc.assert(
        fc.property(anyUnits, (s) => {
          if (isClean(s)) expect(sanitize(s)).toBe(s);
        }),
        FUZZ,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe("excerpt", () => {
  it("quotes, escapes and cuts without splitting an escape", () => {
    expect(excerpt("HTTP/1.1 400 Bad Request\r\n")).toBe('"HTTP/1.1 400 Bad Request\\r\\n"');
    const long = excerpt("\u001b".repeat(100), 20);
    expect(long).toBe(`"${"\\x1b".repeat(5)}"…`);
  });
  it(
    "property: bounded and clean for any input",
    () => {
      fc.assert(
        fc.property(fc.oneof(anyText, anyUnits), fc.integer({ min: 1, max: 120 }), (s, max) => {
          const q = excerpt(s, max);
          expect(q.length).toBeLessThanOrEqual(max + 3);
          expect(firstRawControl(q, false)).toBeNull();
        }),
        FUZZ,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe("asciiJson", () => {
  it("escapes DEL, C1, bidi and lone surrogates that JSON.stringify leaves raw", () => {
    const out = asciiJson({ s: ALL_CONTROLS });
    expect(firstNonAsciiByte(Buffer.from(out, "utf8"))).toBeNull();
    expect(out).toContain("\\u009b");
    expect(out).toContain("\\u202e");
    expect(out).toContain("\\ud800");
    expect(JSON.parse(out)).toEqual({ s: ALL_CONTROLS });
  });

  it(
    "property: any value round-trips and the text is printable ASCII",
    () => {
      fc.assert(
        fc.property(fc.jsonValue({ stringUnit: "binary" }), fc.constantFrom(undefined, 2), (v, space) => {
          const out = asciiJson(v, space);
          expect(firstNonAsciiByte(Buffer.from(out, "utf8"))).toBeNull();
          expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
        }),
        FUZZ,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe("decodeReply", () => {
  it("decodes UTF-8 (no mojibake), also when a character spans two chunks", () => {
    const bytes = Buffer.from("node: café-東京\n", "utf8");
    const chunks = [bytes.subarray(0, 9), bytes.subarray(9)]; // splits "é" in two
    expect(decodeReply(Buffer.concat(chunks))).toBe("node: café-東京\n");
  });

  it.each(Object.entries(INVALID_UTF8))("keeps the invalid bytes of %s, shown escaped", (_name, bad) => {
    const text = decodeReply(Buffer.concat([Buffer.from("a"), bad, Buffer.from("b")]));
    const shown = sanitize(text);
    expect(firstRawControl(shown, false)).toBeNull();
    expect(shown).toMatch(/^a(\\x[0-9a-f]{2}|[2J])+b$/);
    // Nothing lost: the same bytes go back out when a name is sent to HAProxy.
    expect(encodeCommand(text)).toEqual(Buffer.concat([Buffer.from("a"), bad, Buffer.from("b")]));
  });

  it("shows a raw byte as that byte: 0xff → \\xff", () => {
    expect(sanitize(decodeReply(Buffer.from([0x41, 0xff, 0x42])))).toBe("A\\xffB");
  });

  it(
    "property: any bytes decode to text that re-encodes to the same bytes",
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (arr) => {
          const buf = Buffer.from(arr);
          expect(encodeCommand(decodeReply(buf))).toEqual(buf);
          expect(firstRawControl(sanitize(decodeReply(buf)), false)).toBeNull();
        }),
        FUZZ,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
