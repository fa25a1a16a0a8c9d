/**
 * Column-selective parsing of `show stat` (StatParseOptions.columns, issue 12 point 2): the rows
 * hold only the kept columns, with exactly the values a full parse gives them, on the replies of
 * every captured release and on hand-made lines (CRLF, quotes, numbers of every shape, short lines).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MONITOR_STAT_COLUMNS } from "../../../src/model/columns.js";
import { parseStatReply, type StatRow } from "../../../src/parse/stat.js";

const root = new URL("../../fixtures/", import.meta.url);
const releases = readdirSync(root).filter((d) => /^haproxy-\d/.test(d));

const project = (rows: StatRow[], keep: ReadonlySet<string>) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => keep.has(k))));

describe.each(releases)("show stat of %s", (dir) => {
  const text = readFileSync(new URL(`${dir}/show-stat.txt`, root), "latin1");

  it("keeps only the monitor's columns, with the values of a full parse", () => {
    const full = parseStatReply(text);
    const some = parseStatReply(text, { columns: MONITOR_STAT_COLUMNS });
    expect(some.skipped).toBe(full.skipped);
    expect(some.rows).toEqual(project(full.rows, MONITOR_STAT_COLUMNS));
    for (const row of some.rows)
      for (const k of Object.keys(row)) expect(MONITOR_STAT_COLUMNS.has(k)).toBe(true);
  });
});

describe("column-selective lines", () => {
  const header = "# pxname,svname,qcur,scur,status,weight,check_desc,addr,-,extra,\n";
  const keep = new Set(["pxname", "svname", "scur", "status", "weight", "check_desc", "extra"]);
  const body = [
    "be,007,1,0042,UP,1.5,plain,127.0.0.1:1,,-3,", // textual svname stays text; 0042 → 42; 1.5; -3
    'be,s2,,,DOWN,,"has, comma",,,x,\r', // a quoted field (general path), CRLF
    "be,s3,1,123456789012345678,UP 1/2,,ok,,,,", // more than 15 digits: through toValue
    "be,short,1,2", // too few fields: skipped
    "be,s4,1,2,UP,3,a check reason longer than thirteen,,,9,", // a long text field
  ];
  const text = `${header}${body.join("\n")}\n\n`;

  it("reads them as the full parse does, skipped lines included", () => {
    const full = parseStatReply(text);
    const some = parseStatReply(text, { columns: keep });
    expect(some.skipped).toBe(1);
    expect(some.skipped).toBe(full.skipped);
    expect(some.rows).toEqual(project(full.rows, keep));
    expect(some.rows[0]).toMatchObject({ svname: "007", scur: 42, weight: 1.5, extra: -3 });
    expect(some.rows[1]).toMatchObject({ check_desc: "has, comma", extra: "x", scur: null });
    expect(some.rows[2]!.scur).toBe(Number("123456789012345678"));
  });

  it("has no column outside the selection", () => {
    const some = parseStatReply(text, { columns: keep });
    expect(Object.keys(some.rows[0]!).sort()).toEqual([...keep].sort());
  });
});
