/**
 * `show stat` from a hostile or broken peer (issue 11, points 1 and 5): rows that cannot be read
 * are skipped and counted, quoted fields parse, the cost is bounded by a row cap, and a long parse
 * lets the event loop turn (a timer keeps firing while it runs).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_ROWS,
  parseStatReply,
  parseStatReplySliced,
  readQuotedRecord,
  StatParseError,
  StatRowLimitError,
} from "../../../src/parse/stat.js";

const HEADER = "# pxname,svname,scur,check_desc,status,\n";
const real = readFileSync(new URL("../../fixtures/haproxy-3.2.0/show-stat.txt", import.meta.url), "latin1");
const realHeader = real.split("\n", 1)[0]!;

/** Counts the ticks of a 1 ms timer while `work` runs: 0 means the event loop was blocked throughout. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number; ms: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, ticks, ms: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The parse gave the event loop a turn (a 1 ms timer fired during it), unless it was over so fast
 * that it never had to (under the 50 ms). A fast machine may finish a refusal within one
 * slice and legitimately never yield; a parse that runs long without yielding fails here.
 */
function expectLoopTurned({ ticks, ms }: { ticks: number; ms: number }): void {
  expect(ticks > 0 || ms < 50, `no timer fired during ${Math.round(ms)} ms of parsing`).toBe(true);
}

describe("quoted fields", () => {
  it("reads commas, doubled quotes and a line break inside quotes, then the next rows", () => {
    const r = parseStatReply(
      `${HEADER}be,s1,1,"a, ""b""\nsecond line",UP,\nbe,s2,2,plain,DOWN,\n"be,x",s3,3,,UP,\n\n`,
    );
    expect(r.skipped).toBe(0);
    expect(r.rows).toEqual([
      { pxname: "be", svname: "s1", scur: 1, check_desc: 'a, "b"\nsecond line', status: "UP" },
      { pxname: "be", svname: "s2", scur: 2, check_desc: "plain", status: "DOWN" },
      { pxname: "be,x", svname: "s3", scur: 3, check_desc: null, status: "UP" },
    ]);
  });

  it("reads an empty quoted field and a CRLF line", () => {
    const r = parseStatReply(`${HEADER}be,s1,1,"",UP,\r\nbe,"s2",2,"x",UP\r\n`);
    expect(r.rows.map((x) => [x.svname, x.check_desc, x.status])).toEqual([
      ["s1", null, "UP"],
      ["s2", "x", "UP"],
    ]);
  });

  it("readQuotedRecord returns null for a quote not closed before the limit", () => {
    const text = 'a,"open\nb,c\n';
    expect(readQuotedRecord(text, 0, text.length)).toBeNull();
    expect(readQuotedRecord('a,"x",b\n', 0, 8)).toEqual({ fields: ["a", "x", "b"], next: 8 });
  });
});

describe("rows that cannot be read are skipped and counted, the others kept", () => {
  it("an unbalanced quote costs its own line only", () => {
    const r = parseStatReply(`${HEADER}be,s1,1,"never closed,UP,\nbe,s2,2,ok,UP,\nbe,s3,3,ok,DOWN,\n\n`);
    expect(r.rows.map((x) => x.svname)).toEqual(["s2", "s3"]);
    expect(r.skipped).toBe(1);
  });

  it("a stray quote closed by a later line does not swallow the rows in between", () => {
    const r = parseStatReply(`${HEADER}be,s1,1,"stray,UP,\nbe,s2,2,ok,UP,\nbe,s3,3,"x",UP,\n\n`);
    expect(r.rows.map((x) => x.svname)).toEqual(["s2", "s3"]);
    expect(r.skipped).toBe(1);
  });

  it("too few or too many fields, garbage, binary", () => {
    const r = parseStatReply(
      `${HEADER}be,s1,1\nbe,s2,2,ok,UP,extra,more,\n\u0000\u0001\u0002\nbe,s3,3,ok,UP,\n,,,,,\n\n`,
    );
    expect(r.rows.map((x) => x.svname)).toEqual(["s3", null]);
    expect(r.skipped).toBe(3);
  });

  it("a quoted record longer than 64 KiB is skipped", () => {
    const r = parseStatReply(
      `${HEADER}be,s1,1,"${"x".repeat(70_000)}\n${"y".repeat(10)}",UP,\nbe,s2,2,ok,UP,\n`,
    );
    expect(r.rows.map((x) => x.svname)).toEqual(["s2"]);
    expect(r.skipped).toBe(2); // the over-long line, then its orphan continuation
  });

  it("a header named __proto__ or (null) (2.8.0 prints one) is harmless", () => {
    const r = parseStatReply("# pxname,__proto__,(null),scur,\nfe,x,,3,\n");
    expect(r.rows).toEqual([{ pxname: "fe", "(null)": null, scur: 3 }]);
    expect(Object.getPrototypeOf(r.rows[0])).toBe(Object.prototype);
  });

  it("only a reply without a usable header fails", () => {
    expect(() => parseStatReply("garbage\nmore garbage\n\n")).toThrow(StatParseError);
    expect(() => parseStatReply("garbage\n")).toThrow(/no '# pxname,...' header line.*garbage/);
    expect(() => parseStatReply("", { command: "show stat -1 3 -1" })).toThrow(
      "show stat -1 3 -1: empty reply, no '# pxname,...' header line",
    );
    expect(parseStatReply(`${HEADER}\n`)).toEqual({
      header: ["pxname", "svname", "scur", "check_desc", "status", ""],
      rows: [],
      skipped: 0,
    });
  });
});

describe("bounded cost", () => {
  const hostile = `${realHeader}\n${"a\n".repeat(1_500_000)}\n`;

  it("refuses a reply over the row cap with a clear message, before building rows", () => {
    expect(hostile.length).toBeGreaterThan(3_000_000);
    let error: unknown;
    try {
      parseStatReply(hostile);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatRowLimitError);
    expect(error).toBeInstanceOf(StatParseError);
    expect((error as Error).message).toBe(
      "show stat returned 1,500,000 rows; haptop reads at most 200,000: narrow the target or raise --max-rows",
    );
    expect((error as StatRowLimitError).rows).toBe(1_500_000);
    expect(DEFAULT_MAX_ROWS).toBe(200_000);
    expect(() => parseStatReply(`${HEADER}a,b,1,c,UP,\na,c,2,c,UP,\na,d,3,c,UP,\n`, { maxRows: 2 })).toThrow(
      "show stat returned 3 rows; haptop reads at most 2",
    );
    expect(parseStatReply(`${HEADER}a,b,1,c,UP,\na,c,2,c,UP,\n`, { maxRows: 2 }).rows).toHaveLength(2);
  });

  it("the event loop keeps turning while a hostile reply is counted and refused", async () => {
    expectLoopTurned(await ticksDuring(() => parseStatReplySliced(hostile).catch((e: unknown) => e)));
  });

  it("with the cap raised, 1.5M unreadable rows are skipped and counted, the loop still turning", async () => {
    const run = await ticksDuring(() => parseStatReplySliced(hostile, { maxRows: Number.POSITIVE_INFINITY }));
    expect(run.value.rows).toEqual([]);
    expect(run.value.skipped).toBe(1_500_000);
    expectLoopTurned(run);
  });

  it("a large real-shaped reply is parsed in slices: same rows as at once, the loop turning", async () => {
    const row = real.split("\n").find((l) => l.startsWith("be_app,app1,"))!;
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      row.replace("be_app,app1,", `be_${i % 50},s${i},`),
    );
    const text = `${realHeader}\n${lines.join("\n")}\n\n`;
    const run = await ticksDuring(() => parseStatReplySliced(text));
    expect(run.value.rows).toHaveLength(20_000);
    expect(run.value.skipped).toBe(0);
    expect(run.value.rows[19_999]).toEqual(parseStatReply(text).rows[19_999]);
    expectLoopTurned(run);
  });
});
