/**
 * The map and ACL parsers on the replies captured from every release (scripts/capture-map-fixtures.ts,
 * test/helpers/mapLab.ts: a deny ACL file, a deny map on the source, a header-keyed map with an
 * escaped entry, a routing map) and on hostile input.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CommandError } from "../../../src/client/errors.js";
import {
  entryRefs,
  findEntries,
  parseEntryLine,
  parseMapEntries,
  parseMapList,
  parseMapLookup,
} from "../../../src/parse/map.js";

const root = new URL("../../fixtures/", import.meta.url);
const releases = readdirSync(root)
  .filter((d) => /^haproxy-\d+\.\d+\.\d+$/.test(d))
  .filter((d) => readdirSync(new URL(d, root)).includes("show-map.txt"));

it("has the map replies of every release", () => {
  expect(releases).toEqual(
    expect.arrayContaining(["haproxy-2.6.12", "haproxy-2.8.0", "haproxy-3.0.0", "haproxy-3.2.0"]),
  );
});

describe.each(releases)("map replies of %s", (dir) => {
  const read = (file: string) => readFileSync(new URL(`${dir}/${file}`, root), "latin1");

  it("show map: one line per map, its id, file, user and entry count", () => {
    const maps = parseMapList(read("show-map.txt"), "map");
    expect(maps.map((m) => m.file.split("/").at(-1))).toEqual(["block.map", "hdr.map", "routes.map"]);
    const block = maps[0]!;
    expect(block).toMatchObject({ type: "map", currVer: 0, nextVer: 0, entryCount: 2 });
    expect(block.id).toEqual(expect.any(Number));
    expect(block.usedAt).toMatch(/^haproxy\.cfg:\d+$/);
    expect(block.description).toMatch(/^pattern loaded from file '.*block\.map' used by map at file/);
    expect(block.description).not.toContain("entry_cnt");
  });

  it("show acl: the file ACL and the inline ones (empty file)", () => {
    const acls = parseMapList(read("show-acl.txt"), "acl");
    const file = acls.find((a) => a.file.endsWith("/blocked.acl"));
    expect(file).toMatchObject({ type: "acl", entryCount: 3 });
    const inline = acls.filter((a) => a.file === "");
    expect(inline.length).toBeGreaterThanOrEqual(3);
    expect(inline[0]!.description).toMatch(/^acl 'src' file '.*haproxy\.cfg' line \d+\.$/);
    // Ids are shared with the maps: never the same id twice in the union of both lists.
    const maps = parseMapList(read("show-map.txt"), "map");
    const ids = [...maps, ...acls].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("show map #<id>: reference, key, value (a value with spaces whole)", () => {
    const r = parseMapEntries(read("show-map-entries.txt"), "map");
    expect(r.malformed).toBe(0);
    expect(r.total).toBe(3);
    expect(r.entries.map((e) => [e.key, e.value])).toEqual([
      ["10.77.0.1", "abuse"],
      ["10.77.0.0/16", "scanner"],
      ["127.0.0.2", "added at runtime"],
    ]);
    for (const e of r.entries) expect(e.ref).toMatch(/^0x[0-9a-f]+$/);
  });

  it("show map #<id>: a key and value sent escaped read back as typed", () => {
    const r = parseMapEntries(read("show-map-entries-escaped.txt"), "map");
    expect(r.entries.at(-1)).toMatchObject({ key: "semi;colon", value: "back\\slash" });
    expect(r.entries[1]).toMatchObject({ key: "beta", value: "second value" });
  });

  it("show acl #<id>: reference and pattern", () => {
    const r = parseMapEntries(read("show-acl-entries.txt"), "acl");
    expect(r.entries.map((e) => e.key)).toEqual(["10.66.0.1", "10.66.0.0/24", "192.0.2.7", "127.0.0.3"]);
    expect(r.entries.every((e) => e.value === null)).toBe(true);
  });

  it("an unknown id is HAProxy's error text, thrown as a CommandError", () => {
    expect(() => parseMapEntries(read("show-map-unknown.txt"), "map")).toThrow(CommandError);
    expect(() => parseMapEntries(read("show-acl-unknown.txt"), "acl")).toThrow(/Unknown ACL identifier/);
  });

  it("get map: found with key and value, or not found", () => {
    expect(parseMapLookup(read("get-map-found.txt"))).toEqual({
      found: true,
      key: "127.0.0.2",
      value: "added at runtime",
    });
    expect(parseMapLookup(read("get-map-missing.txt"))).toEqual({ found: false, key: null, value: null });
    expect(parseMapLookup(read("del-map-missing-ref.txt"))).toBeNull();
  });
});

describe("hostile and odd replies", () => {
  it("a list without its header is an error, not an empty list", () => {
    expect(() => parseMapList("Unknown command: 'show map'\n", "map")).toThrow(CommandError);
    expect(() => parseMapList("", "acl")).toThrow(/empty reply/);
    expect(parseMapList("# id (file) description\n", "map")).toEqual([]);
  });

  it("list lines that are not lines of the list are skipped; a file with parentheses is kept", () => {
    const text =
      "# id (file) description\n" +
      "garbage\n" +
      "-1 (x) y\n" +
      "5 (/a (b)/c.map) pattern loaded from file '/a (b)/c.map' used by map at file '/h.cfg' line 3. curr_ver=1 next_ver=2 entry_cnt=9\n" +
      "6 (/old.map) no versions here\n" +
      "99999999999 (/too/big) x curr_ver=0 next_ver=0 entry_cnt=0\n";
    const l = parseMapList(text, "map");
    expect(l).toHaveLength(2);
    expect(l[0]).toMatchObject({ id: 5, currVer: 1, nextVer: 2, entryCount: 9, usedAt: "h.cfg:3" });
    expect(l[1]).toMatchObject({
      id: 6,
      file: "/old.map",
      entryCount: null,
      description: "no versions here",
    });
  });

  it("entries: lines that are not entries are counted and skipped; control bytes kept for the table to escape", () => {
    const text = "0x1 a b\nnot an entry\n0xzz k v\n0x2 \u001b[31mred\u0007 v\n0x3 lone\n";
    const r = parseMapEntries(text, "map");
    expect(r.total).toBe(3);
    expect(r.malformed).toBe(2);
    expect(r.entries[1]!.key).toBe("\u001b[31mred\u0007");
    expect(r.entries[2]).toEqual({ ref: "0x3", key: "lone", value: "" });
  });

  it("an empty map is an empty list", () => {
    expect(parseMapEntries("", "map")).toEqual({ entries: [], total: 0, malformed: 0 });
  });

  it("a million entries: the first `limit` become objects, all are counted, in one fast pass", () => {
    const text = "0x55d0c2a1b2c0 10.0.0.1 blocked\n".repeat(1_000_000);
    const t0 = performance.now();
    const r = parseMapEntries(text, "map", 10_000);
    const ms = performance.now() - t0;
    expect(r.entries).toHaveLength(10_000);
    expect(r.total).toBe(1_000_000);
    expect(r.entries[9_999]!.value).toBe("blocked");
    expect(ms).toBeLessThan(2_000);
  });

  it("entry lines: a reference that is not hex is no entry; ACL patterns keep their spaces", () => {
    expect(parseEntryLine("0x12 a b c", "acl")).toEqual({ ref: "0x12", key: "a b c", value: null });
    expect(parseEntryLine("0x12;del a", "map")).toBeNull();
    expect(parseEntryLine("0x", "map")).toBeNull();
  });

  it("findEntries / entryRefs: by reference (any case) or by the whole `key value`", () => {
    const text = "0xAB k v w\n0xcd k v\n";
    expect(findEntries(text, "map", { ref: "0xab" }).map((e) => e.ref)).toEqual(["0xAB"]);
    expect(findEntries(text, "map", { line: "k v" }).map((e) => e.ref)).toEqual(["0xcd"]);
    expect([...entryRefs(text)]).toEqual(["0xab", "0xcd"]);
  });

  it("get map: quotes and backslashes inside the value are printed raw (as HAProxy 2.6–3.2 do)", () => {
    expect(
      parseMapLookup(
        'type=str, case=sensitive, found=yes, idx=tree, key="a"b", value="c, d\\", type="str"\n',
      ),
    ).toEqual({ found: true, key: 'a"b', value: "c, d\\" });
  });
});

describe("random replies", () => {
  // A small deterministic generator: the same inputs on every run.
  let seed = 13;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const ALPHABET = [
    "0x",
    "1",
    "a",
    " ",
    "\n",
    "\r",
    "(",
    ")",
    "#",
    "=",
    '"',
    "\\",
    "\u001b",
    "\u0000",
    "é",
    "curr_ver=0",
    "entry_cnt=",
    "found=yes",
    ', key="',
  ];
  const junk = () => Array.from({ length: rand(60) }, () => ALPHABET[rand(ALPHABET.length)]).join("");

  it("never throw anything but HAProxy's error (CommandError), never return an entry without a reference", () => {
    for (let i = 0; i < 1000; i++) {
      const text = junk();
      for (const type of ["map", "acl"] as const) {
        try {
          const r = parseMapEntries(text, type, 5);
          expect(r.entries.length).toBeLessThanOrEqual(5);
          for (const e of r.entries) expect(e.ref).toMatch(/^0x[0-9a-f]+$/i);
        } catch (e) {
          expect(e).toBeInstanceOf(CommandError);
        }
        try {
          for (const m of parseMapList(`# id (file) description\n${text}`, type))
            expect(Number.isSafeInteger(m.id)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(CommandError);
        }
      }
      parseMapLookup(text);
    }
  });
});
