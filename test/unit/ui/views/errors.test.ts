import { describe, expect, it } from "vitest";
import { type ErrorEvent, parseErrors } from "../../../../src/parse/errors.js";
import type { Column } from "../../../../src/ui/table/types.js";
import {
  buildErrorRows,
  type ErrorRow,
  errorCaptureLines,
  errorColumns,
  errorTimeValue,
} from "../../../../src/ui/views/errors.js";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";
import { fixture, stateWith } from "./fixtures.js";

const column = (id: string): Column<ErrorRow> => {
  const c = errorColumns.find((x) => x.id === id);
  if (!c) throw new Error(`no column ${id}`);
  return c;
};
const stateOf = (text: string | null) => stateWith({ errors: text === null ? null : parseErrors(text) });
const v26 = fixture("haproxy-2.6/show-errors.txt");
const twoEvents = fixture("old-versions/haproxy-2.6-show-errors-request-response.txt");
const v14 = fixture("old-versions/haproxy-1.4-show-errors.txt");

describe("buildErrorRows", () => {
  it("has one row per event, keyed by time, proxy and event number", () => {
    const rows = buildErrorRows(stateOf(v26), MATCH_ALL);
    expect(rows.map((r) => r.key)).toEqual(["24/Nov/2026:03:34:27.077|frontend/fe_main|#0"]);
  });

  it("keeps the same keys from one poll to the next", () => {
    const first = buildErrorRows(stateOf(twoEvents), MATCH_ALL).map((r) => r.key);
    const again = buildErrorRows(stateOf(twoEvents), MATCH_ALL).map((r) => r.key);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(2);
  });

  it("lists the newest first", () => {
    // HAProxy prints them by proxy: fe_web (03:35:40) then be_bad (03:35:37).
    const rows = buildErrorRows(stateOf(twoEvents), MATCH_ALL);
    expect(rows.map((r) => r.event.proxy)).toEqual(["fe_web", "be_bad"]);
    const reversed = twoEvents.replace("03:35:40.751", "03:35:30.751");
    expect(buildErrorRows(stateOf(reversed), MATCH_ALL).map((r) => r.event.proxy)).toEqual([
      "be_bad",
      "fe_web",
    ]);
  });

  it("orders events of the same time by event number", () => {
    const same = twoEvents.replace("03:35:37.725", "03:35:40.751");
    expect(buildErrorRows(stateOf(same), MATCH_ALL).map((r) => r.event.eventNo)).toEqual([1, 0]);
  });

  it("is empty until errors were fetched", () => {
    expect(buildErrorRows(stateOf(null), MATCH_ALL)).toEqual([]);
    expect(
      buildErrorRows(stateOf(fixture("old-versions/haproxy-2.6-show-errors-empty.txt")), MATCH_ALL),
    ).toEqual([]);
  });

  it("filters over the proxy, the other side, the server and the source", () => {
    const proxies = (text: string) =>
      buildErrorRows(stateOf(twoEvents), compileFilter(text)).map((r) => r.event.proxy);
    expect(proxies("be_bad")).toEqual(["be_bad"]);
    expect(proxies("fe_web")).toEqual(["fe_web", "be_bad"]);
    expect(proxies("bad1")).toEqual(["be_bad"]);
    expect(proxies("39364")).toEqual(["fe_web"]);
    expect(proxies("nothing")).toEqual([]);
  });

  it("reads an old (1.4) capture without an event number", () => {
    const [row] = buildErrorRows(stateOf(v14), MATCH_ALL);
    expect(row!.key).toBe("04/Mar/2009:15:46:56.081|backend/http-in|#-");
    expect(column("source").cell(row!).text).toBe("127.0.0.1");
    expect(column("direction").cell(row!)).toEqual({ text: "response", tone: "warn" });
  });

  it("gives unique keys to events that look the same", () => {
    const doubled = `${v14}\n${v14}`;
    const keys = buildErrorRows(stateOf(doubled), MATCH_ALL).map((r) => r.key);
    expect(new Set(keys).size).toBe(2);
  });

  it("sorts on a column when asked", () => {
    const rows = buildErrorRows(stateOf(twoEvents), MATCH_ALL, {
      column: column("proxy"),
      descending: false,
    });
    expect(rows.map((r) => r.event.proxy)).toEqual(["be_bad", "fe_web"]);
  });
});

describe("error cells", () => {
  const [row] = buildErrorRows(stateOf(v26), MATCH_ALL);

  it("shows time, proxy, direction, reason, source and position", () => {
    expect(Object.fromEntries(errorColumns.map((c) => [c.id, c.cell(row!).text]))).toEqual({
      time: "24/Nov/2026:03:34:27.077",
      proxy: "fe_main",
      direction: "request",
      reason: "invalid request",
      source: "127.0.0.1:40094",
      position: "5",
    });
  });

  it("sorts time chronologically, not as text", () => {
    const a = errorTimeValue("02/Dec/2026:00:00:00.000")!;
    const b = errorTimeValue("24/Nov/2026:03:34:27.077")!;
    expect(a).toBeGreaterThan(b);
    expect(b - errorTimeValue("24/Nov/2026:03:34:27.000")!).toBe(77);
    expect(errorTimeValue("yesterday")).toBeNull();
    expect(errorTimeValue("24/Foo/2026:03:34:27.077")).toBeNull();
    expect(column("time").sortValue!(row!)).toBe(b);
  });

  it("has a sort value on every column", () => {
    for (const c of errorColumns) expect(c.sortValue, c.id).toBeTypeOf("function");
  });
});

describe("errorCaptureLines", () => {
  const event = (capture: string): ErrorEvent => ({
    ...parseErrors(v26).events[0]!,
    capture,
    captureLines: capture === "" ? [] : capture.split("\n"),
  });

  it("gives one line per captured line when they fit", () => {
    const ev = parseErrors(v26).events[0]!;
    expect(errorCaptureLines(ev, 80)).toEqual(["GET /\\x01bad HTTP/1.1\\r\\n", "\\r\\n"]);
  });

  it("wraps long lines at the width", () => {
    const ev = parseErrors(v14).events[0]!;
    const lines = errorCaptureLines(ev, 40);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
    expect(lines.join("")).toBe(ev.captureLines.join(""));
    expect(lines.length).toBeGreaterThan(ev.captureLines.length);
  });

  it("never cuts an escape sequence in two", () => {
    const lines = errorCaptureLines(event("abcdefg\\x01hij\\r\\n"), 9);
    expect(lines).toEqual(["abcdefg", "\\x01hij\\r", "\\n"]);
  });

  it("is empty without a capture and survives a silly width", () => {
    expect(errorCaptureLines(event(""), 80)).toEqual([]);
    expect(errorCaptureLines(event("abcdefgh"), 0)).toEqual(["abcd", "efgh"]);
    expect(errorCaptureLines(event("abc"), Number.NaN)).toEqual(["abc"]);
  });
});
