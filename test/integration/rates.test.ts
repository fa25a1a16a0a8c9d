/**
 * Per-second 5xx and error rates against a real HAProxy, on every release of the matrix: what the
 * frontends and backends views and the header show must be HAProxy's own counter deltas divided
 * by the time between the two polls, and those deltas must be what was sent.
 * 5xx come from a backend with no server up (HAProxy answers 503 itself); request errors from
 * malformed requests (HAProxy answers 400 and counts `ereq`).
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import { computeGlobalRates, computeRates, percentOf } from "../../src/model/rates.js";
import { num, type Snapshot } from "../../src/model/snapshot.js";
import { fetchSnapshot } from "../../src/store/poll.js";
import { initialState } from "../../src/store/state.js";
import { compact } from "../../src/text/format.js";
import { identityParts, loadParts } from "../../src/ui/components/Header.js";
import { backendColumnSets, buildBackendRows } from "../../src/ui/views/backends.js";
import { MATCH_ALL } from "../../src/ui/views/filter.js";
import { buildFrontendRows, frontendColumns } from "../../src/ui/views/frontends.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { atLeast, type Release, testReleases } from "../helpers/releases.js";

/** The standard lab plus a frontend on a UNIX socket whose backend's only server is DOWN. */
class ErrorLab extends HaproxyLab {
  get errSock(): string {
    return `${this.dir}/err.sock`;
  }
  override config(): string {
    return `${super.config()}
frontend fe_err
    bind unix@${this.errSock}
    default_backend be_dead
backend be_dead
    server dead 127.0.0.1:${this.ports.closed} check inter 200ms fall 1
`;
  }
}

/** Sends raw bytes on a new connection to `path` and resolves with the reply once HAProxy closes it. */
function rawRequest(path: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ path });
    let out = "";
    sock.setEncoding("latin1");
    sock.on("data", (d) => {
      out += d;
    });
    sock.on("error", reject);
    sock.on("close", () => resolve(out));
    sock.setTimeout(5000, () => sock.destroy(new Error("timeout")));
    sock.write(bytes);
  });
}

const GOOD = "GET / HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n";
// A header line without a colon: HAProxy rejects the request with a 400 and counts it in ereq.
const MALFORMED = "GET / HTTP/1.1\r\nHost: lab\r\nthis is not a header\r\n\r\n";
const FIVES = 6;
const BADS = 3;

const stat = (s: Snapshot, key: string, field: string) => {
  const e = [...s.frontends, ...s.backends].find((x) => x.key === key);
  return e ? num(e.stats, field) : null;
};

describe.each(testReleases())("per-second error rates on $label", (release: Release) => {
  const lab = new ErrorLab({ release });
  let before: Snapshot;
  let after: Snapshot;

  beforeAll(async () => {
    await lab.start();
    const target = parseTarget(lab.adminSock);
    await waitFor(
      async () => (await fetchSnapshot(target)).backends.find((b) => b.name === "be_dead")?.status === "DOWN",
      8000,
      "be_dead to go DOWN",
    );
    before = await fetchSnapshot(target);
    for (let i = 0; i < FIVES; i++) expect(await rawRequest(lab.errSock, GOOD)).toMatch(/^HTTP\/1\.[01] 503/);
    for (let i = 0; i < BADS; i++)
      expect(await rawRequest(lab.errSock, MALFORMED)).toMatch(/^HTTP\/1\.[01] 400/);
    after = await fetchSnapshot(target);
  }, 30_000);

  afterAll(async () => {
    await lab.stop();
    killAllStarted();
  });

  it("5xx/s and errors/s of the frontend are HAProxy's counter deltas over the poll interval", () => {
    const dt = (after.takenAt - before.takenAt) / 1000;
    const delta = (field: string) => stat(after, "fe/fe_err", field)! - stat(before, "fe/fe_err", field)!;
    expect(delta("hrsp_5xx")).toBe(FIVES);
    expect(delta("ereq")).toBe(BADS);
    const r = computeRates(before, after).get("fe/fe_err")!;
    expect(r.http5xxPerSec).toBe(FIVES / dt);
    expect(r.ereqPerSec).toBe(BADS / dt);
    expect(r.reqPerSec).toBe(delta("req_tot") / dt);
    // What the frontends view shows for it.
    const state = {
      ...initialState(lab.adminSock, 1000),
      snapshot: after,
      rates: computeRates(before, after),
    };
    const row = buildFrontendRows(state, MATCH_ALL).find((x) => x.entry.name === "fe_err")!;
    const cell = (id: string) => frontendColumns.find((c) => c.id === id)!.cell(row);
    expect(cell("hrsp_5xx_rate")).toMatchObject({ tone: "bad" });
    expect(cell("hrsp_5xx_rate").text).toBe(compact(FIVES / dt));
    expect(cell("ereq_rate").text).toBe(compact(BADS / dt));
    const pct = percentOf(FIVES / dt, delta("req_tot") / dt)!;
    expect(cell("hrsp_5xx_pct").text).toBe(pct < 10 ? `${pct.toFixed(1)}%` : `${Math.round(pct)}%`);
  });

  it("the backend's 5xx/s is its own counter delta, and the header's is every frontend's", () => {
    const dt = (after.takenAt - before.takenAt) / 1000;
    const beDelta = stat(after, "be/be_dead", "hrsp_5xx")! - stat(before, "be/be_dead", "hrsp_5xx")!;
    const rates = computeRates(before, after);
    // HAProxy counts its own 503 (no server available) on the backend too.
    expect(beDelta).toBe(FIVES);
    expect(rates.get("be/be_dead")!.http5xxPerSec).toBe(beDelta / dt);
    const state = { ...initialState(lab.adminSock, 1000), snapshot: after, rates };
    const row = buildBackendRows(state, { expanded: new Set() }).find((x) => x.entry.name === "be_dead")!;
    const fiveCell = backendColumnSets.errors.find((c) => c.id === "hrsp_5xx_rate")!.cell(row);
    expect(fiveCell.text).toBe(compact(beDelta / dt));
    // The header: the 5xx of every frontend (only fe_err answered any), as a % of their requests.
    const g = computeGlobalRates(before, after);
    const feReq = (s: Snapshot) => s.frontends.reduce((n, f) => n + (num(f.stats, "req_tot") ?? 0), 0);
    expect(g.http5xxPerSec).toBe(FIVES / dt);
    expect(g.http5xxPct).toBeCloseTo((FIVES / (feReq(after) - feReq(before))) * 100, 6);
    expect(g.errPerSec).toBeGreaterThanOrEqual(BADS / dt);
  });
  it("shows a server's admin state apart from its health, whatever the release", async () => {
    const target = parseTarget(lab.adminSock);
    await runCommand(target, "set server be_app/app1 state drain");
    await runCommand(target, "set server be_app/app_down state maint");
    // A DOWN server put in drain: HAProxy's status word still says DOWN.
    await runCommand(target, "set server be_dead/dead state drain");
    try {
      const snap = await fetchSnapshot(target);
      const state = { ...initialState(lab.adminSock, 1000), snapshot: snap };
      const rows = buildBackendRows(state, { expanded: new Set(["be/be_app", "be/be_dead"]) });
      const status = backendColumnSets.status;
      const show = (server: string) => {
        const row = rows.find((r) => r.kind === "server" && r.entry.name === server)!;
        const text = (id: string) => status.find((c) => c.id === id)!.cell(row).text;
        return `${text("status")}|${text("admin")}`;
      };
      expect(show("app1")).toBe("UP|DRAIN");
      expect(show("app_down")).toBe("-|MAINT");
      expect(show("dead")).toBe("DOWN|DRAIN");
    } finally {
      await runCommand(target, "set server be_app/app1 state ready");
      await runCommand(target, "set server be_app/app_down state ready");
      await runCommand(target, "set server be_dead/dead state ready");
    }
  });

  it("shows the header fields this release has, and none it lacks", async () => {
    const snap = await fetchSnapshot(parseTarget(lab.adminSock));
    const state = { ...initialState(lab.adminSock, 1000), snapshot: snap, level: snap.level };
    const text = (parts: { segments: { text: string }[] }[]) =>
      parts.map((p) => p.segments.map((x) => x.text).join("")).join("  ");
    const load = text(loadParts(state, 200));
    const identity = text(identityParts(state));
    expect(identity).toMatch(/\[admin\]$/);
    expect(load.includes("maxconn reached"), load).toBe(atLeast(release, 2, 8));
    expect(load.includes("warnings"), load).toBe(atLeast(release, 2, 8));
    expect(identity.includes("boot "), identity).toBe(atLeast(release, 2, 8));
    expect(load.includes("streams"), load).toBe(num(snap.info, "CurrStreams") !== null);
  });
});
