/**
 * The fleet from Prometheus end to end (issue 14, point 3): two real HAProxies with the built-in
 * exporter, a real Prometheus scraping them every second, `haptop --prometheus` in tmux. One row
 * per scraped HAProxy; the req/s of the one that gets traffic follows it; Enter on an instance the
 * config file does not map opens the read-only pane of its servers from Prometheus.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findPrometheus, type PrometheusLab, startPrometheus } from "../../lab/prometheus.js";
import { freePorts, HaproxyLab, httpGets, killAllStarted } from "../helpers/haproxy.js";
import { describeOnce } from "../helpers/matrix.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 90_000 });

const exporter = (port: number) => `frontend prom
    bind 127.0.0.1:${port}
    http-request use-service prometheus-exporter if { path /metrics }
`;
/** The REQ/S of an instance's row (the 6th field: name, state, gauge bar, gauge label, req/s). */
const reqOf = (screen: string, instance: string) => {
  const line = screen.split("\n").find((l) => l.startsWith(instance));
  return line ? Number(line.trim().split(/\s+/)[4]) : Number.NaN;
};

const terms: TmuxTerm[] = [];
afterAll(() => {
  for (const t of terms) t.close();
  killAllStarted();
});

describe.skipIf(findPrometheus() === null)("the fleet from Prometheus in a real terminal", () => {
  describeOnce("haptop --prometheus", (release) => {
    const labs: HaproxyLab[] = [];
    let prom: PrometheusLab;
    let ports: number[];
    let t: TmuxTerm;

    beforeAll(async () => {
      ports = await freePorts(2);
      for (const p of ports) labs.push(await new HaproxyLab({ release, extra: exporter(p) }).start());
      prom = await startPrometheus(
        ports.map((p) => `127.0.0.1:${p}`),
        { scrapeSec: 1 },
      );
      // The config file maps the second instance to its stats socket: Enter there opens the full UI.
      mkdirSync(join(prom.dir, "haptop"));
      writeFileSync(
        join(prom.dir, "haptop", "config.toml"),
        `[[target]]\nname = "lbsock"\naddress = "${labs[1]!.adminSock}"\nprometheus_instance = "127.0.0.1:${ports[1]}"\n`,
      );
      t = await TmuxTerm.start(haptopArgs("--prometheus", prom.url, "--match", '{job="haproxy"}'), {
        cols: 160,
        rows: 40,
        env: { XDG_CONFIG_HOME: prom.dir },
      });
      terms.push(t);
    });

    afterAll(async () => {
      t?.close();
      await prom?.stop();
      for (const l of labs) await l.stop();
    });

    it("shows one row per scraped HAProxy, UP", async () => {
      await t.waitFor(
        [
          /2 load balancers/,
          new RegExp(`^127\\.0\\.0\\.1:${ports[0]}\\s+UP`, "m"),
          new RegExp(`^127\\.0\\.0\\.1:${ports[1]}\\s+UP`, "m"),
        ],
        40_000,
        "two instances UP",
      );
    });

    it("req/s follows real traffic on the instance that gets it", async () => {
      const a = `127.0.0.1:${ports[0]}`;
      const b = `127.0.0.1:${ports[1]}`;
      let sending = true;
      let peak = 0;
      const traffic = (async () => {
        while (sending) await httpGets(labs[0]!.ports.http, 10);
      })();
      try {
        const screen = await t.waitFor((s) => reqOf(s, a) > 5, 40_000, "req/s on the first instance");
        peak = reqOf(screen, a);
        // The other answers only Prometheus's own scrape (about one request a second).
        expect(reqOf(screen, b)).toBeLessThan(2);
      } finally {
        sending = false;
        await traffic;
      }
      // Back down once the traffic stops (Prometheus's rate window is a few scrapes long).
      await t.waitFor(
        (s) => reqOf(s, a) < Math.min(2, peak / 2),
        60_000,
        "req/s back down once the traffic stops",
      );
    });

    it("Enter on an unmapped instance shows its servers from Prometheus, read-only", async () => {
      await t.sendKeys("/");
      await t.type(String(ports[0]));
      await t.sendKeys("Enter");
      await t.waitFor((s) => !s.includes(`:${ports[1]} `), 10_000, "only the first instance");
      await t.sendKeys("Enter");
      await t.waitFor([/read from Prometheus \(read-only/, /be_app/, /app_down\s+DOWN/], 15_000, "the pane");
      await t.sendKeys("Escape");
      await t.waitFor((s) => !s.includes("read from Prometheus"), 10_000, "the pane closed");
    });

    it("Enter on an instance the config file maps opens its stats socket in the full UI", async () => {
      const pid = labs[1]!.pids()[0];
      await t.sendKeys("/");
      await t.type(String(ports[1]));
      await t.sendKeys("Enter");
      await t.waitFor((s) => !s.includes(`:${ports[0]} `), 10_000, "only the second instance");
      await t.sendKeys("Enter");
      await t.waitFor(
        [new RegExp(`pid ${pid}\\b`), /lbsock \(/, /0 fleet/],
        20_000,
        "the mapped target's own UI",
      );
      await t.sendKeys("0");
      await t.waitFor(/haptop fleet/, 10_000, "back to the overview");
    });
  });
});
