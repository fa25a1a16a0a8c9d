import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPrometheus, type PrometheusLab, startPrometheus } from "../../../lab/prometheus.js";
import { getJson } from "../../../src/client/http.js";
import type { FleetRow } from "../../../src/model/fleet.js";
import { parseMatchers } from "../../../src/parse/prometheus.js";
import { PromFleet } from "../../../src/store/fleet.js";
import { runHaptop } from "../../helpers/cli.js";
import { freePorts, HaproxyLab, httpGets } from "../../helpers/haproxy.js";
import { describeEachRelease } from "../../helpers/matrix.js";

const exporter = (port: number) => `frontend prom
    bind 127.0.0.1:${port}
    http-request use-service prometheus-exporter if { path /metrics }
`;

const hasPrometheus = findPrometheus() !== null;

/** Polls `check` until it is true (no fixed sleep): Prometheus scrapes every second. */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasPrometheus)("fleet from a real Prometheus", () => {
  describeEachRelease("two HAProxy exporters scraped by Prometheus", (release) => {
    const labs: HaproxyLab[] = [];
    let prom: PrometheusLab;
    let fleet: PromFleet;
    let ports: number[];
    const row = (i: number): FleetRow | undefined =>
      fleet.store.getSnapshot().rows.find((r) => r.name === `127.0.0.1:${ports[i]}`);

    beforeAll(async () => {
      ports = await freePorts(2);
      for (const p of ports) labs.push(await new HaproxyLab({ release, extra: exporter(p) }).start());
      prom = await startPrometheus(
        ports.map((p) => `127.0.0.1:${p}`),
        { scrapeSec: 1 },
      );
      const base = new URL(prom.url);
      fleet = new PromFleet({
        url: prom.url,
        matchers: parseMatchers('{job="haproxy"}'),
        getJson: (path) => getJson(new URL(path, base), { timeoutMs: 3000 }),
        intervalMs: 1000,
      });
      fleet.start();
    }, 60_000);

    afterAll(async () => {
      fleet?.stop();
      await prom?.stop();
      for (const l of labs) await l.stop();
    });

    it("shows one row per scraped HAProxy, with its version, connections and servers", async () => {
      await until(
        () => row(0)?.reachable === true && row(1)?.reachable === true,
        30_000,
        "both instances up",
      );
      await until(
        () => row(0)?.serversTotal != null && row(0)?.version != null,
        15_000,
        "the servers and version",
      );
      const r = row(0)!;
      expect(r.version).toContain(release.version);
      expect(r.maxConn).toBeGreaterThan(0);
      // The lab's be_app has app1 (UP) and app_down (DOWN), be_tcp has tcp1.
      expect(r.serversTotal).toBe(3);
      expect(r.serversDown).toBe(1);
      expect(r.uptimeSec).not.toBeNull();
      // Every query answered (a query Prometheus refuses would leave its column unknown).
      await until(
        () => row(0)?.errPerSec != null && fleet.store.getSnapshot().error === null,
        15_000,
        "every query",
      );
    }, 60_000);

    it("follows real traffic: req/s rises on the instance that gets requests only", async () => {
      let sending = true;
      const traffic = (async () => {
        while (sending) await httpGets(labs[0]!.ports.http, 10);
      })();
      try {
        await until(() => (row(0)?.reqPerSec ?? 0) > 5, 30_000, "req/s on the first instance");
        // The other one only answers Prometheus's own scrape (one request a second on its exporter).
        expect(row(1)?.reqPerSec ?? 0).toBeLessThan(2);
      } finally {
        sending = false;
        await traffic;
      }
    }, 60_000);

    it("--once --json: one document keyed by instance, the rows the overview shows", async () => {
      const r = await runHaptop(["--prometheus", prom.url, "--match", '{job="haproxy"}', "--once", "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { instances: Record<string, Record<string, unknown>> };
      expect(Object.keys(doc.instances).sort()).toEqual(ports.map((p) => `127.0.0.1:${p}`).sort());
      const first = doc.instances[`127.0.0.1:${ports[0]}`]!;
      expect(first).toMatchObject({ reachable: true, serversTotal: 3, serversDown: 1 });
      expect(String(first.version)).toContain(release.version);
      // As text, piped: the same rows as a table.
      const text = await runHaptop(["--prometheus", prom.url, "--once"]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(
        new RegExp(`^127\\.0\\.0\\.1:${ports[1]}\\s+UP\\s+${release.version}`, "m"),
      );
    }, 60_000);

    it("turns an instance unreachable when its HAProxy stops, the other staying up", async () => {
      await labs[1]!.stop();
      await until(() => row(1)?.reachable === false, 30_000, "the stopped instance to be down");
      expect(row(1)?.error).toMatch(/up == 0/);
      expect(row(0)?.reachable).toBe(true);
    }, 60_000);
  });
});
