/**
 * The stick-table parsers on the replies captured from every HAProxy release
 * (scripts/capture-tables.ts: an IP table fed from 127.0.0.1, .2 and .3, a string table keyed by
 * hostile header values), and on hand-made hostile input.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CommandError } from "../../../src/client/errors.js";
import { parseTableDump, parseTableList, unescapeTableText } from "../../../src/parse/table.js";
import { sanitize } from "../../../src/text/sanitize.js";
import { readFixture, releasesWith } from "../../helpers/fixtureReleases.js";
import { HOSTILE_USERS } from "../../helpers/tableLab.js";

const releases = releasesWith("table-list.txt");

it("has table captures of every release of the matrix", () => {
  expect(releases.map((r) => r.version)).toEqual(
    expect.arrayContaining(["2.6.12", "2.8.0", "3.0.0", "3.2.0"]),
  );
});

describe.each(releases)("stick tables of HAProxy $version", (release) => {
  const read = (file: string) => readFixture(release, `table-${file}.txt`);

  it("show table: every table with its type, size and use", () => {
    const list = parseTableList(read("list"));
    expect(list).toEqual(
      expect.arrayContaining([
        { name: "st_src", type: "ip", size: 102400, used: 3 },
        { name: "st_user", type: "string", size: 1024, used: 7 },
        { name: "st_empty", type: "integer", size: 10, used: 0 },
      ]),
    );
    // A user-level socket lists the tables too.
    expect(parseTableList(read("user-list"))).toEqual(list);
  });

  it("entries: key, use, expiry and every stored counter, rates with their period", () => {
    const dump = parseTableDump(read("st_src"));
    expect(dump.table).toEqual({ name: "st_src", type: "ip", size: 102400, used: 3 });
    expect(dump.total).toBe(3);
    expect(dump.restricted).toBe(false);
    const byKey = new Map(dump.entries.map((e) => [e.key, e]));
    expect([...byKey.keys()].sort()).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3"]);
    const two = byKey.get("127.0.0.2")!;
    expect(two.ptr).toMatch(/^0x[0-9a-f]+$/);
    expect(two.expMs).toBeGreaterThan(50_000);
    expect(two.use).toBe(0);
    expect(two.data).toMatchObject({ http_req_rate: 6, conn_rate: 6, gpc0: 0, gpt0: 0, conn_cur: 0 });
    expect(byKey.get("127.0.0.1")!.data.http_req_rate).toBe(3);
    // `shard=` (2.8+) is not a counter.
    expect(two.data).not.toHaveProperty("shard");
    expect(dump.types).toEqual(
      expect.arrayContaining([
        { name: "http_req_rate", periodMs: 10_000 },
        { name: "gpc0", periodMs: null },
        { name: "bytes_out_rate", periodMs: 10_000 },
      ]),
    );
    expect(dump.types.map((t) => t.name)).toHaveLength(7);
  });

  it("a data filter's reply has the same shape (only matching entries)", () => {
    const dump = parseTableDump(read("st_src-filter"));
    expect(dump.entries.map((e) => e.key).sort()).toEqual(["127.0.0.2", "127.0.0.3"]);
    expect(dump.table?.used).toBe(3);
  });

  it("hostile string keys: HAProxy's escapes undone, each key whole", () => {
    const dump = parseTableDump(read("st_user"));
    const keys = dump.entries.map((e) => e.key).sort();
    // café was sent as latin1: its byte comes back as the raw-byte form (a lone surrogate).
    const expected = HOSTILE_USERS.map((u) => (u === "caf\u00e9" ? "caf\udce9" : u)).sort();
    expect(keys).toEqual(expected);
    for (const e of dump.entries) expect(e.data).toEqual({ gpc0: 0, http_req_rate: 1 });
    expect(sanitize("caf\udce9")).toBe("caf\\xe9");
  });

  it("an empty table, and the cap keeps the first entries but counts them all", () => {
    expect(parseTableDump(read("st_empty"))).toMatchObject({ entries: [], total: 0, types: [] });
    const capped = parseTableDump(read("st_src"), "show table st_src", 2);
    expect(capped.entries).toHaveLength(2);
    expect(capped.total).toBe(3);
  });

  it("refusals become CommandErrors with HAProxy's words", () => {
    const err = (file: string) => {
      try {
        parseTableDump(read(file), "show table x");
      } catch (e) {
        return e;
      }
      return null;
    };
    expect(err("nosuch")).toBeInstanceOf(CommandError);
    expect((err("nosuch") as CommandError).reply).toBe("No such table");
    expect((err("not-stored") as CommandError).reply).toBe(
      "Filter entry #1: Data type not stored in this table",
    );
    expect((err("bad-type") as CommandError).reply).toBe("Filter entry #1: Unknown data type");
  });

  it("user level: the header, no entries, marked restricted", () => {
    const dump = parseTableDump(read("user-st_src"));
    expect(dump).toMatchObject({ restricted: true, entries: [], total: 0 });
    expect(dump.table?.name).toBe("st_src");
  });

  it("after clear table … key: the entry is gone; set table … data.gpc0 shows", () => {
    const after = parseTableDump(read("st_src-after"));
    expect(after.entries.map((e) => e.key).sort()).toEqual(["127.0.0.1", "127.0.0.3"]);
    expect(after.entries.find((e) => e.key === "127.0.0.1")!.data.gpc0).toBe(7);
    for (const f of ["clear", "set", "operator-clear", "operator-set"]) expect(read(f)).toBe("\n");
    for (const f of ["user-clear", "user-set"]) expect(read(f)).toBe("Permission denied\n\n");
  });
});

/** HAProxy's `dump_text` (src/tools.c) as `show table` applies it to a string key. */
function haproxyDumpText(key: string): string {
  let out = "";
  for (const c of Buffer.from(key, "latin1")) {
    const ch = String.fromCharCode(c);
    if (ch === " " || ch === "=" || ch === "\\") out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x1b) out += "\\e";
    else out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

describe("hostile input", () => {
  it("any key HAProxy escapes comes back whole, and never shifts the other fields", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", maxLength: 40 }), fc.nat(1000), (key, n) => {
        const line = `0xab: key=${haproxyDumpText(key)} use=1 exp=${n} gpc0=${n} http_req_rate(10000)=7`;
        const d = parseTableDump(`# table: t, type: string, size:10, used:1\n${line}\n\n`);
        expect(d.entries).toHaveLength(1);
        expect(d.entries[0]).toEqual({
          ptr: "0xab",
          key,
          use: 1,
          expMs: n,
          data: { gpc0: n, http_req_rate: 7 },
        });
      }),
      { numRuns: Number(process.env.HAPTOP_FUZZ_RUNS ?? 500) },
    );
  });

  it("unescapes HAProxy's dump_text escapes", () => {
    expect(unescapeTableText("a\\ b\\=c\\\\d\\te\\x01\\xff\\")).toBe("a b=c\\d\te\x01\udcff\\");
  });

  it("a key with `use=`/`exp=` inside cannot shift the fields", () => {
    const line = "0x1: key=x\\ use\\=9\\ exp\\=1\\ gpc0\\=99 use=1 exp=500 gpc0=2 http_req_rate(10000)=4";
    const d = parseTableDump(`# table: t, type: string, size:10, used:1\n${line}\n\n`);
    expect(d.entries[0]).toMatchObject({ key: "x use=9 exp=1 gpc0=99", use: 1, expMs: 500 });
    expect(d.entries[0]!.data).toEqual({ gpc0: 2, http_req_rate: 4 });
  });

  it("control bytes, terminal escapes and odd tokens are kept as data, never as structure", () => {
    const text = [
      "# table: t, type: string, size:10, used:3",
      "0x2: key=\\x1b[31mred use=0 exp=1 gpc0=1",
      "0x3: key= use=0 exp=1 gpc0=3",
      "0x4: key=k use=0 exp=1 =5 Bad-Name=3 gpc0=x server_key=app\\ 1",
      "garbage line",
      "",
      "",
    ].join("\n");
    const d = parseTableDump(text);
    expect(d.entries.map((e) => e.key)).toEqual(["\x1b[31mred", "", "k"]);
    expect(d.entries[2]!.data).toEqual({ gpc0: "x", server_key: "app 1" });
    expect(sanitize(d.entries[0]!.key)).toBe("\\x1b[31mred");
  });

  it("a list line that is not a table is an error, not a silent skip", () => {
    expect(() => parseTableList("# table: a, type: ip, size:1, used:0\nhello\n\n")).toThrow(CommandError);
    expect(() => parseTableList("Permission denied\n\n")).toThrow(/Permission denied/);
  });

  it("300,000 entries: capped at 10,000 objects, all counted, fast", () => {
    const line = (i: number) =>
      `0x${i.toString(16)}: key=10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} use=0 exp=1000 gpc0=0 http_req_rate(10000)=${i % 50}`;
    const body = Array.from({ length: 300_000 }, (_, i) => line(i)).join("\n");
    const text = `# table: big, type: ip, size:2000000, used:300000\n${body}\n\n`;
    const t0 = performance.now();
    const d = parseTableDump(text, "show table big", 10_000);
    const ms = performance.now() - t0;
    expect(d.entries).toHaveLength(10_000);
    expect(d.total).toBe(300_000);
    expect(ms).toBeLessThan(2000);
  });
});
