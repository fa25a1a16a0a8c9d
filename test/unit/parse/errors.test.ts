import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseErrors } from "../../../src/parse/errors.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

describe("parseErrors on HAProxy 2.6 (one request error)", () => {
  const report = parseErrors(fixture("haproxy-2.6/show-errors.txt"));

  it("reads the summary line", () => {
    expect(report.capturedAt).toBe("24/Nov/2026:03:34:31.723");
    expect(report.total).toBe(1);
    expect(report.events).toHaveLength(1);
    expect(report.unknown).toEqual([]);
  });

  it("reads the request event", () => {
    const ev = report.events[0]!;
    expect(ev).toMatchObject({
      time: "24/Nov/2026:03:34:27.077",
      proxyKind: "frontend",
      proxy: "fe_main",
      proxyId: 2,
      reason: "invalid request",
      direction: "request",
      backend: null,
      server: null,
      eventNo: 0,
      source: "127.0.0.1:40094",
      position: 5,
      frontend: "fe_main",
      frontendId: 2,
      backendId: null,
      serverId: null,
      captureOffset: 0,
    });
  });

  it("keeps the capture with HAProxy's escapes as literal text", () => {
    const ev = report.events[0]!;
    expect(ev.captureLines).toEqual(["GET /\\x01bad HTTP/1.1\\r\\n", "\\r\\n"]);
    expect(ev.capture).toBe("GET /\\x01bad HTTP/1.1\\r\\n\n\\r\\n");
    expect(ev.capture).not.toContain("\x01");
    expect(ev.capture).not.toContain("00000");
  });

  it("keeps the descriptive lines as details", () => {
    const ev = report.events[0]!;
    expect(ev.details).toEqual([
      "backend <NONE> (#-1), server <NONE> (#-1), event #0, src 127.0.0.1:40094",
      "buffer starts at 0 (including 0 out), 16362 free,",
      "len 22, wraps at 16336, error at position 5",
      "H1 connection flags 0x00000100, H1 stream flags 0x00000810",
      "H1 msg state MSG_RQURI(4), H1 msg flags 0x00001400",
      "H1 chunk len 0 bytes, H1 body len 0 bytes :",
    ]);
  });
});

describe("parseErrors on HAProxy 2.6 (request with a continued line, and a response error)", () => {
  const report = parseErrors(fixture("old-versions/haproxy-2.6-show-errors-request-response.txt"));

  it("lists both events in the order printed", () => {
    expect(report.capturedAt).toBe("24/Nov/2026:03:35:40.754");
    expect(report.total).toBe(2);
    expect(report.events.map((e) => e.direction)).toEqual(["request", "response"]);
    expect(report.events.map((e) => e.eventNo)).toEqual([1, 0]);
  });

  it("joins '+' continuation lines onto their line", () => {
    const ev = report.events[0]!;
    expect(ev.proxy).toBe("fe_web");
    expect(ev.captureLines).toEqual([
      "GET /\\x02very/long/path/that/goes/on/and/on/and/on/and/on/and/on/and/on/and/on/and/on HTTP/1.1\\r\\n",
      "Host: x\\r\\n",
      "\\r\\n",
    ]);
    expect(ev.capture.split("\n")).toHaveLength(3);
    expect(ev.capture).not.toContain("+");
  });

  it("reads the response event: backend side, with frontend and server named on the next line", () => {
    const ev = report.events[1]!;
    expect(ev).toMatchObject({
      time: "24/Nov/2026:03:35:37.725",
      proxyKind: "backend",
      proxy: "be_bad",
      proxyId: 4,
      reason: "invalid response",
      direction: "response",
      backend: "be_bad",
      backendId: 4,
      frontend: "fe_web",
      frontendId: 2,
      server: "bad1",
      serverId: 1,
      eventNo: 0,
      source: "127.0.0.1:37054",
      position: 33,
    });
    expect(ev.captureLines).toEqual([
      "HTTP/1.1 200 OK\\r\\n",
      "X-Fine: yes\\r\\n",
      "Bad Header\\x01: oops\\r\\n",
      "Content-Length: 0\\r\\n",
      "\\r\\n",
    ]);
    expect(ev.details[0]).toBe("frontend fe_web (#2), server bad1 (#1), event #0, src 127.0.0.1:37054");
  });
});

describe("parseErrors on older formats", () => {
  it("reads HAProxy 1.5 events (src on its own line, session number)", () => {
    const report = parseErrors(fixture("old-versions/haproxy-1.5-show-errors.txt"));
    expect(report.total).toBe(2);
    const [req, resp] = report.events;
    expect(req).toMatchObject({
      proxy: "HAProxyLocalStats",
      proxyId: 2,
      direction: "request",
      backend: null,
      server: null,
      eventNo: 0,
      source: "127.0.0.1:51981",
      sessionNo: 0,
      position: 13,
      capture: "GET /invalid request HTTP/1.1\\r\\n",
    });
    expect(resp).toMatchObject({
      proxy: "app",
      proxyId: 3,
      direction: "response",
      backend: "app",
      frontend: "www",
      server: "web2",
      serverId: 2,
      eventNo: 1,
      source: "10.0.0.7:40210",
      sessionNo: 1742,
      position: 17,
    });
    expect(resp!.captureLines).toHaveLength(4);
  });

  it("reads the HAProxy 1.4 layout ('(#2) : invalid response', no Total line)", () => {
    const report = parseErrors(fixture("old-versions/haproxy-1.4-show-errors.txt"));
    expect(report.capturedAt).toBeNull();
    expect(report.total).toBe(1);
    const ev = report.events[0]!;
    expect(ev).toMatchObject({
      time: "04/Mar/2009:15:46:56.081",
      proxy: "http-in",
      proxyId: 2,
      reason: "invalid response",
      direction: "response",
      backend: "http-in",
      frontend: "fe-eth0",
      frontendId: 1,
      server: "s2",
      serverId: 1,
      eventNo: null,
      source: "127.0.0.1",
      sessionNo: 54,
      position: 23,
    });
    expect(ev.captureLines).toEqual([
      "HTTP/1.0 200 OK\\r\\n",
      "header/bizarre:blah\\r\\n",
      "Location: blah\\r\\n",
      "Long-line: this is a very long line which should be broken into multiple lines on the output buffer, otherwise it would be too large to print in a terminal\\r\\n",
      "\\r\\n",
    ]);
  });
});

describe("parseErrors robustness", () => {
  it("reads an empty report", () => {
    const report = parseErrors(fixture("old-versions/haproxy-2.6-show-errors-empty.txt"));
    expect(report).toEqual({ capturedAt: "24/Nov/2026:03:36:00.590", total: 0, events: [], unknown: [] });
  });

  it("never throws on garbage and keeps unknown lines", () => {
    const text = "Permission denied\n\x00\x01 binary junk\n[not a date frontend\n";
    const report = parseErrors(text);
    expect(report.events).toEqual([]);
    expect(report.total).toBe(0);
    expect(report.unknown).toEqual(["Permission denied", "\x00\x01 binary junk", "[not a date frontend"]);
    expect(() => parseErrors("")).not.toThrow();
    expect(parseErrors("").events).toEqual([]);
  });

  it("keeps unknown lines inside an event in details", () => {
    const text = [
      "Total events captured on [01/Jan/2030:00:00:00.000] : 7",
      "[01/Jan/2030:00:00:00.000] frontend fe (#9): invalid request",
      "  something new in HAProxy 9.9",
      "  backend be (#3), server s (#4), event #6, src [::1]:80",
      "  00000  abc",
      "  trailing note",
    ].join("\n");
    const ev = parseErrors(text).events[0]!;
    expect(ev.details).toEqual([
      "something new in HAProxy 9.9",
      "backend be (#3), server s (#4), event #6, src [::1]:80",
      "trailing note",
    ]);
    expect(ev.backend).toBe("be");
    expect(ev.backendId).toBe(3);
    expect(ev.server).toBe("s");
    expect(ev.serverId).toBe(4);
    expect(ev.eventNo).toBe(6);
    expect(ev.source).toBe("[::1]:80");
    expect(ev.position).toBeNull();
    expect(ev.capture).toBe("abc");
  });

  it("an event without details or capture still parses", () => {
    const ev = parseErrors("[d] backend b (#1): invalid response\n").events[0]!;
    expect(ev).toMatchObject({ proxy: "b", backend: "b", frontend: null, server: null, capture: "" });
    expect(ev.captureOffset).toBeNull();
    expect(ev.details).toEqual([]);
  });

  it("capture content that looks like an event header is still capture", () => {
    const text = [
      "[d] frontend fe (#2): invalid request",
      "  00000  [d] backend evil (#1): invalid response\\r\\n",
      "  00042+  Total events captured on [x] : 99",
    ].join("\n");
    const report = parseErrors(text);
    expect(report.events).toHaveLength(1);
    expect(report.total).toBe(1);
    expect(report.events[0]!.capture).toBe(
      "[d] backend evil (#1): invalid response\\r\\n Total events captured on [x] : 99",
    );
  });

  it("keeps the first summary line when replies are concatenated", () => {
    const once = fixture("haproxy-2.6/show-errors.txt");
    const report = parseErrors(once + fixture("old-versions/haproxy-2.6-show-errors-empty.txt"));
    expect(report.capturedAt).toBe("24/Nov/2026:03:34:31.723");
    expect(report.total).toBe(1);
    expect(report.events).toHaveLength(1);
    expect(report.events[0]!.details).toContain("Total events captured on [24/Nov/2026:03:36:00.590] : 0");
  });

  it("accepts CRLF line endings", () => {
    const text = fixture("haproxy-2.6/show-errors.txt").replace(/\n/g, "\r\n");
    const ev = parseErrors(text).events[0]!;
    expect(ev.capture).toBe("GET /\\x01bad HTTP/1.1\\r\\n\n\\r\\n");
    expect(ev.source).toBe("127.0.0.1:40094");
  });
});
