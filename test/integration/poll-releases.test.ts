/**
 * The poll's parsing on a real HAProxy of every release (issue 8, point 4): newer releases' fields
 * are read where they exist and absent elsewhere, a server's admin state (MAINT, DRAIN) is kept
 * apart from its operational state (UP, DOWN), and every `show stat` field keeps HAProxy's name.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { snapshotToJson } from "../../src/batch/json.js";
import { runCommand } from "../../src/client/socket.js";
import type { Target } from "../../src/client/target.js";
import type { ServerEntry, Snapshot } from "../../src/model/snapshot.js";
import { pollOnce } from "../../src/store/poll.js";
import { runHaptop } from "../helpers/cli.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease, isDefaultRelease } from "../helpers/matrix.js";
import { atLeast } from "../helpers/releases.js";

afterAll(() => killAllStarted());

/** Servers with no check on a closed port: their health is UP ("no check") until set otherwise. */
const EXTRA = `backend be_admin
    server s_maint 127.0.0.1:9
    server s_drain 127.0.0.1:9
    server s_ready 127.0.0.1:9
`;

describeEachRelease("the poll reads every release", (release) => {
  let lab: HaproxyLab;
  let admin: Target;
  let snap: Snapshot;
  const server = (name: string): ServerEntry =>
    snap.backends.flatMap((b) => b.servers).find((s) => s.name === name)!;

  beforeAll(async () => {
    lab = await new HaproxyLab({ release, extra: EXTRA }).start();
    admin = { kind: "unix", path: lab.adminSock };
    await runCommand(admin, "set server be_admin/s_maint state maint");
    await runCommand(admin, "set server be_admin/s_drain state drain");
    snap = (await waitFor(
      async () => {
        const r = await pollOnce(admin, { sessions: false, errors: false }, true);
        const down = r.snapshot.backends.flatMap((b) => b.servers).some((s) => s.status === "DOWN");
        return down ? r.snapshot : null;
      },
      10_000,
      "app_down DOWN",
    )) as Snapshot;
  });
  afterAll(async () => lab?.stop());

  it("show info's newer fields are numbers where the release has them, absent elsewhere", () => {
    for (const key of ["TotalWarnings", "MaxconnReached", "BootTime_ms"]) {
      if (atLeast(release, 2, 8)) expect(snap.info[key], key).toEqual(expect.any(Number));
      else expect(snap.info[key], key).toBeUndefined();
    }
    if (atLeast(release, 3, 2)) expect(snap.info.CurrStreams).toEqual(expect.any(Number));
    if (!atLeast(release, 3, 1)) expect(snap.info.CurrStreams).toBeUndefined();
  });

  it("admin state apart from health, from show servers state", () => {
    const states = (name: string) => [server(name).admin, server(name).op];
    expect(server("s_maint").status).toBe("MAINT");
    expect(states("s_maint")).toEqual(["MAINT", "DOWN"]);
    expect(server("s_drain").status).toBe("DRAIN");
    expect(states("s_drain")).toEqual(["DRAIN", "UP"]);
    expect(states("s_ready")).toEqual(["READY", "UP"]);
    expect(states("app_down")).toEqual(["READY", "DOWN"]);
    expect(server("s_drain").serverState).toMatchObject({
      srv_name: "s_drain",
      srv_admin_state: 8,
      srv_op_state: 2,
    });
    expect(snap.statRowsSkipped).toBe(0);
  });

  it("backends carry agg_server_status and agg_check_status by name", () => {
    const be = snap.backends.find((b) => b.name === "be_app")!;
    expect(be.stats.agg_server_status).toEqual(expect.any(Number));
    expect(be.stats.agg_check_status).toEqual(expect.any(Number));
  });

  it("the batch JSON keeps every show stat field by HAProxy's name", async () => {
    const stat = await runCommand(admin, "show stat", { expectPrefix: "# " });
    const names = stat
      .split("\n", 1)[0]!
      .replace(/^# /, "")
      .split(",")
      .filter((n) => n !== "" && n !== "-");
    const doc = JSON.parse(JSON.stringify(snapshotToJson("t", snap))) as {
      frontends: { stats: object }[];
      backends: { stats: object; servers: { stats: object }[] }[];
    };
    const entries = [...doc.frontends, ...doc.backends, ...doc.backends.flatMap((b) => b.servers)];
    expect(entries.length).toBeGreaterThan(8);
    for (const e of entries) expect(Object.keys(e.stats)).toEqual(names);
    // Module counters after "-" are there too.
    expect(names).toEqual(expect.arrayContaining(["ssl_sess", "h1_bytes_in", "h2_headers_rcvd"]));
  });

  it.runIf(isDefaultRelease(release))(
    "haptop --once --max-rows refuses a longer show stat, exit 3",
    async () => {
      const r = await runHaptop(["--once", "--max-rows", "3", lab.adminSock]);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        /show stat returned \d+ rows; haptop reads at most 3: narrow the target or raise --max-rows/,
      );
      const ok = await runHaptop(["--once", "--json", "--max-rows", "1000", lab.adminSock]);
      expect(ok.code).toBe(0);
      const usage = await runHaptop(["--once", "--max-rows", "0", lab.adminSock]);
      expect(usage.code).toBe(2);
    },
  );
});
