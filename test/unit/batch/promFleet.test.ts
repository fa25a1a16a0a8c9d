import { describe, expect, it } from "vitest";
import { promFleetOutput } from "../../../src/batch/promFleet.js";
import { emptyFleetRow, type FleetRow } from "../../../src/model/fleet.js";
import type { FleetState } from "../../../src/store/fleet.js";

const row = (name: string, over: Partial<FleetRow>): FleetRow => ({
  ...emptyFleetRow(`p/${name}`, name, "prometheus"),
  ...over,
});

const state = (rows: FleetRow[], over: Partial<FleetState> = {}): FleetState => ({
  source: "prometheus http://127.0.0.1:9090",
  rows,
  link: "ok",
  error: null,
  lastOkAt: 1,
  intervalMs: 1000,
  ...over,
});

const up = row("10.0.0.2:8404", {
  reachable: true,
  version: "2.8.0",
  curConns: 12,
  maxConn: 4000,
  reqPerSec: 3.25,
  http5xxPerSec: 0,
  errPerSec: 0,
  serversDown: 1,
  serversMaint: 0,
  serversTotal: 3,
});

describe("--once over Prometheus", () => {
  it("JSON: one document keyed by instance, unknown values null (never 0)", () => {
    const out = promFleetOutput(state([up, row("10.0.0.1:8404", { reachable: true })]), true);
    expect(out.exit).toBe(0);
    const doc = JSON.parse(out.text);
    expect(doc.source).toBe("prometheus http://127.0.0.1:9090");
    expect(Object.keys(doc.instances)).toEqual(["10.0.0.1:8404", "10.0.0.2:8404"]);
    expect(doc.instances["10.0.0.2:8404"]).toMatchObject({
      reachable: true,
      reqPerSec: 3.25,
      serversDown: 1,
    });
    expect(doc.instances["10.0.0.1:8404"]).toMatchObject({ reachable: true, reqPerSec: null, version: null });
  });

  it("text: an aligned table, '-' for unknown; exit 3 when an instance is down or Prometheus is", () => {
    const down = row("10.0.0.3:8404", { reachable: false, error: "up == 0" });
    const out = promFleetOutput(state([up, down]), false);
    expect(out.exit).toBe(3);
    const lines = out.text.split("\n");
    expect(lines[0]).toBe("prometheus http://127.0.0.1:9090  2 instances");
    expect(lines[2]).toMatch(/^INSTANCE\s+STATE\s+VERSION\s+CONNS\s+REQ\/S/);
    expect(out.text).toMatch(/^10\.0\.0\.2:8404\s+UP\s+2\.8\.0\s+12\/4000\s+3\.3\s+0\s+0\s+1\/0\/3$/m);
    expect(out.text).toMatch(/^10\.0\.0\.3:8404\s+DOWN\s+-\s+-\/-\s+-\s+-\s+-\s+-\/-\/-\s+up == 0$/m);
    const gone = promFleetOutput(state([], { link: "disconnected", error: "connection refused" }), false);
    expect(gone.exit).toBe(3);
    expect(gone.text).toMatch(/haptop: connection refused/);
  });

  it("escapes what Prometheus reports (labels are anyone's)", () => {
    const hostile = row("evil\x1b[2J:1", { reachable: true, version: "\x1b]0;pwn\x07", error: "a\nb" });
    const text = promFleetOutput(state([hostile]), false).text;
    const json = promFleetOutput(state([hostile]), true).text;
    for (const t of [text, json]) expect(t).not.toMatch(/\x1b|\x07/);
    expect(text.trimEnd().split("\n")).toHaveLength(4);
  });
});
