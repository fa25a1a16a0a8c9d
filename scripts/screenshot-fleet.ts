/**
 * The README's screenshots of the fleet (issue 14): three real HAProxies of the test lab, named in a
 * config file (group "eu"), one of them stopped; a server put in maintenance on one load balancer
 * only; then the same two live ones through a real Prometheus (their exporters scraped every second).
 * Writes screenshots/fleet.svg, fleet-backends.svg and fleet-prometheus.svg; stops what it started.
 *
 *   npx tsx scripts/screenshot-fleet.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "../lab/index.js";
import { type PrometheusLab, startPrometheus } from "../lab/prometheus.js";
import { HaproxyLab, httpGets } from "../lab/test-lab.js";
import { haptopArgs, TmuxTerm } from "../lab/tmux.js";
import { runCommand } from "../src/client/socket.js";
import { shooter } from "./shot.js";

const COLS = 140;
const ROWS = 24;
const shot = shooter({ cols: COLS, rows: ROWS, timeoutMs: 40_000, footer: null });

async function main(): Promise<void> {
  const ports = await freePorts(3);
  const exporter = (p: number) =>
    `frontend prom\n    bind 127.0.0.1:${p}\n    http-request use-service prometheus-exporter if { path /metrics }\n`;
  const labs = ports.map((p) => new HaproxyLab({ extra: exporter(p) }));
  const dir = mkdtempSync(join(tmpdir(), "haptop-shot-"));
  let prom: PrometheusLab | null = null;
  const terms: TmuxTerm[] = [];
  let sending = true;
  try {
    await Promise.all(labs.map((l) => l.start()));
    // app1 in maintenance on lb-eu-2 only: the backends side by side mark it.
    await runCommand({ kind: "unix", path: labs[1]!.adminSock }, "set server be_app/app1 state maint");
    const traffic = (async () => {
      while (sending) await httpGets(labs[0]!.ports.http, 5).catch(() => 0);
    })();
    const config = join(dir, "config.toml");
    writeFileSync(
      config,
      labs
        .map((l, i) => `[[target]]\nname = "lb-eu-${i + 1}"\naddress = "${l.adminSock}"\ngroup = "eu"\n`)
        .join("\n"),
    );
    const fleet = await TmuxTerm.start(haptopArgs("--targets-file", config, "--group", "eu"), {
      cols: COLS,
      rows: ROWS,
    });
    terms.push(fleet);
    await fleet.waitFor(/lb-eu-3\s+UP/, 30_000, "three rows");
    await labs[2]!.stop();
    await shot(
      fleet,
      "fleet",
      "haptop lb-eu-1 lb-eu-2 lb-eu-3: the fleet overview",
      /lb-eu-3\s+DISCONNECTED[\s\S]*lb-eu-1\s+UP\s.*[1-9]/,
    );
    await fleet.sendKeys("2");
    await shot(fleet, "fleet-backends", "haptop: the same backends side by side (2)", /app1\s+≠/);
    prom = await startPrometheus(
      ports.slice(0, 2).map((p) => `127.0.0.1:${p}`),
      { scrapeSec: 1 },
    );
    const pt = await TmuxTerm.start(haptopArgs("--prometheus", prom.url, "--match", '{job="haproxy"}'), {
      cols: COLS,
      rows: ROWS,
      env: { XDG_CONFIG_HOME: dir },
    });
    terms.push(pt);
    await shot(
      pt,
      "fleet-prometheus",
      "haptop --prometheus http://prometheus:9090",
      /2 load balancers[\s\S]*UP\s.*\s[1-9]\d*(\.\d)?\s/,
    );
    sending = false;
    await traffic;
  } finally {
    sending = false;
    for (const t of terms) t.close();
    await prom?.stop();
    for (const l of labs) await l.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshot-fleet: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
