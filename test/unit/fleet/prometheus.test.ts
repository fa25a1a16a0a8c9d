import { describe, expect, it } from "vitest";
import {
  MatchSyntaxError,
  PromQueryError,
  parseInstantVector,
  parseMatchers,
  selector,
} from "../../../src/parse/prometheus.js";
import { scrapeIntervalMs } from "../../../src/store/fleet.js";
import { fleetFromProm, fleetQueries } from "../../../src/store/promFleet.js";

const vector = (result: { metric: Record<string, string>; value: [number, string] }[]) => ({
  status: "success",
  data: { resultType: "vector", result },
});

describe("Prometheus answers", () => {
  it("reads an instant vector, NaN and +Inf included", () => {
    const s = parseInstantVector(
      vector([
        { metric: { instance: "a:8404", job: "haproxy" }, value: [1, "3.5"] },
        { metric: { instance: "b:8404" }, value: [1, "NaN"] },
        { metric: { instance: "c:8404" }, value: [1, "+Inf"] },
      ]),
    );
    expect(s).toHaveLength(3);
    expect(s[0]).toEqual({ labels: { instance: "a:8404", job: "haproxy" }, value: 3.5 });
    expect(Number.isNaN(s[1]!.value)).toBe(true);
    expect(s[2]!.value).toBe(Number.POSITIVE_INFINITY);
  });

  it("reports Prometheus's own error, and refuses what is not a vector", () => {
    expect(() =>
      parseInstantVector({ status: "error", errorType: "bad_data", error: "parse error at char 3" }),
    ).toThrow(PromQueryError);
    expect(() => parseInstantVector({ status: "error", error: "parse error at char 3" })).toThrow(/char 3/);
    expect(() =>
      parseInstantVector({ status: "success", data: { resultType: "matrix", result: [] } }),
    ).toThrow(/matrix/);
    expect(() => parseInstantVector("<html>")).toThrow(/not a query result/);
  });

  it("takes --match with or without braces, and refuses what would break out of a selector", () => {
    expect(parseMatchers('{job="haproxy"}')).toBe('job="haproxy"');
    expect(parseMatchers(' job=~"lb.*", env="prod" ')).toBe('job=~"lb.*", env="prod"');
    expect(parseMatchers('{job="a}b"}')).toBe('job="a}b"');
    expect(parseMatchers("")).toBe("");
    expect(() => parseMatchers('job="x"} or vector(1) {')).toThrow(MatchSyntaxError);
    expect(() => parseMatchers('job="x')).toThrow(/quote/);
    expect(selector("up", 'job="h"', 'code="5xx"')).toBe('up{job="h",code="5xx"}');
    expect(selector("up", "")).toBe("up{}");
  });

  it("asks one query per metric family, with the user's matchers in each", () => {
    const q = fleetQueries('job="haproxy"', 4);
    expect(Object.keys(q)).toHaveLength(11);
    for (const text of Object.values(q)) expect(text).toContain('job="haproxy"');
    expect(q.req).toBe('sum by (instance) (rate(haproxy_frontend_http_requests_total{job="haproxy"}[4s]))');
    expect(q.servers).toContain("count by (instance, state)");
  });

  it("reads the scrape interval from the targets API (the shortest)", () => {
    const body = {
      data: {
        activeTargets: [{ scrapeInterval: "15s" }, { scrapeInterval: "1s" }, { scrapeInterval: "1m" }],
      },
    };
    expect(scrapeIntervalMs(body)).toBe(1000);
    expect(scrapeIntervalMs({ data: { activeTargets: [] } })).toBeNull();
    expect(scrapeIntervalMs("x")).toBeNull();
  });
});

describe("fleet rows from Prometheus", () => {
  const s = (instance: string, value: number, more: Record<string, string> = {}) => ({
    labels: { instance, ...more },
    value,
  });
  const answers = {
    up: [s("lb1:8404", 1), s("lb2:8404", 0)],
    version: [s("lb1:8404", 1, { version: "3.2.0" })],
    start: [s("lb1:8404", 1000)],
    conns: [s("lb1:8404", 12)],
    maxconn: [s("lb1:8404", 100)],
    req: [s("lb1:8404", 42.5)],
    http5xx: [s("lb1:8404", 0.5)],
    reqErrors: [s("lb1:8404", 0.25)],
    connErrors: [s("lb1:8404", 0.5)],
    servers: [
      s("lb1:8404", 3, { state: "UP" }),
      s("lb1:8404", 1, { state: "DOWN" }),
      s("lb1:8404", 2, { state: "MAINT" }),
    ],
  };

  it("makes one row per instance with every column", () => {
    const rows = fleetFromProm(answers, 1_100_000);
    const lb1 = rows.find((r) => r.name === "lb1:8404")!;
    expect(lb1).toMatchObject({
      key: "p/lb1:8404",
      source: "prometheus",
      reachable: true,
      version: "3.2.0",
      uptimeSec: 100,
      curConns: 12,
      maxConn: 100,
      reqPerSec: 42.5,
      http5xxPerSec: 0.5,
      errPerSec: 0.75,
      serversDown: 1,
      serversMaint: 2,
      serversTotal: 6,
      lastOkAt: 1_100_000,
    });
    const lb2 = rows.find((r) => r.name === "lb2:8404")!;
    expect(lb2.reachable).toBe(false);
    expect(lb2.error).toMatch(/up == 0/);
    expect(lb2.reqPerSec).toBeNull(); // unknown, not 0
  });

  it("leaves a failed query's columns unknown, and marks a restart", () => {
    const { servers: _s, ...noServers } = answers;
    const first = fleetFromProm(noServers, 1_100_000);
    expect(first[0]!.serversTotal).toBeNull();
    const prev = new Map(first.map((r) => [r.key, r]));
    // Started again at 1_099 s: uptime drops from 100 s to 1 s.
    const later = fleetFromProm({ ...noServers, start: [s("lb1:8404", 1099)] }, 1_100_000, prev);
    expect(later.find((r) => r.name === "lb1:8404")!.changedAt).toBe(1_100_000);
  });
});
