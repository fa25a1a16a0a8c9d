/**
 * The process view on a real HAProxy of every release (issue 13, point 5), under master-worker:
 * its queries bring `show activity` and `show pools` beside the poll's `show info` (in groups);
 * the master CLI is found the way the reload finds it (the `-S` of the worker's parent) and its
 * `show proc` lists the workers; after a reload with a connection keeping the old worker alive,
 * the old worker is listed, and pointing the poller at it (`@!<pid>`) polls that very process
 * (its pid and `Stopping: 1` in show info); the prompt and the actions go to it too, and killing
 * the session that pins it lets it exit: DISCONNECTED with the reason.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCliSession } from "../../src/actions/cliSession.js";
import { createController } from "../../src/actions/controller.js";
import { memoryHistory } from "../../src/actions/history.js";
import { MasterRoute, routedPolling } from "../../src/actions/masterRoute.js";
import { sendMaster } from "../../src/actions/mcli.js";
import { request } from "../../src/client/socket.js";
import type { Target } from "../../src/client/target.js";
import type { ActivityReport } from "../../src/parse/activity.js";
import type { PoolsReport } from "../../src/parse/pools.js";
import { type ProcReport, parseShowProc } from "../../src/parse/proc.js";
import { parseSess } from "../../src/parse/sess.js";
import { readExtra } from "../../src/store/extras.js";
import { fetchExtra } from "../../src/store/poll.js";
import { Poller } from "../../src/store/poller.js";
import type { MonitorState } from "../../src/store/state.js";
import { processPanel } from "../../src/ui/panels/process.js";
import { ACTIVITY_QUERY, MASTER_PROC_QUERY, POOLS_QUERY } from "../../src/ui/panels/processQueries.js";
import { MATCH_ALL } from "../../src/ui/views/filter.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease } from "../helpers/matrix.js";
import { atLeast } from "../helpers/releases.js";

afterAll(() => killAllStarted());

describeEachRelease("process view and workers through the master CLI", (release) => {
  let lab: HaproxyLab;
  let admin: Target;
  let master: Target;
  let route: MasterRoute;
  let poller: Poller;
  const held: Socket[] = [];
  const state = (): MonitorState => poller.store.getSnapshot();
  const rows = () => processPanel.build({ state: state(), drill: null }, MATCH_ALL, null).rows;

  beforeAll(async () => {
    lab = await new HaproxyLab({ release, masterWorker: true }).start();
    admin = { kind: "unix", path: lab.adminSock };
    master = { kind: "unix", path: lab.masterSock };
    // No --master-socket: found from /proc, as `haptop reload` finds it.
    route = new MasterRoute(admin, { timeoutMs: 3000, defaultMasterSocket: "/nonexistent" });
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: 500,
      ...routedPolling(route, { timeoutMs: 3000 }),
    });
    poller.setDemand({
      sessions: false,
      errors: false,
      extras: processPanel.queries({ state: state(), drill: null }),
    });
    poller.start();
  });
  afterAll(async () => {
    poller?.stop();
    for (const s of held) s.destroy();
    await lab?.stop();
  });

  it("the view's extras hold show activity and show pools; show info in groups; the master's workers", async () => {
    await waitFor(
      () =>
        readExtra<ActivityReport>(state().extras, ACTIVITY_QUERY)?.value &&
        readExtra<PoolsReport>(state().extras, POOLS_QUERY)?.value &&
        readExtra<ProcReport>(state().extras, MASTER_PROC_QUERY)?.value &&
        state().snapshot,
      15_000,
      "the process view's data",
    );
    const activity = readExtra<ActivityReport>(state().extras, ACTIVITY_QUERY)!.value!;
    expect(activity.threads).toBe(state().snapshot!.info.Nbthread);
    const pools = readExtra<PoolsReport>(state().extras, POOLS_QUERY)!.value!;
    expect(pools.totals!.allocatedBytes).toBeGreaterThan(0);
    expect(route.master?.how).toMatch(/^-S of the master pid \d+$/);
    expect(route.master?.target).toEqual(master);

    const keys = rows().map((r) => r.key);
    for (const k of [
      "section:info-connections",
      "info:CurrConns",
      "section:info-tasks",
      "info:Run_queue",
      "activity:loops",
      "activity:poll_io",
      "pools:allocated",
      "pools:used",
    ])
      expect(keys, k).toContain(k);
    const pid = state().snapshot!.info.Pid as number;
    const worker = rows().find((r) => r.kind === "worker" && r.role === "worker");
    expect(worker?.pid).toBe(pid);
    expect(rows().find((r) => r.role === "master")?.pid).toBe(
      readExtra<ProcReport>(state().extras, MASTER_PROC_QUERY)!.value!.master!.pid,
    );
  });

  it("at user level: show activity refused from 2.8 on (a clear note), answered on 2.6; pools on all", async () => {
    const user: Target = { kind: "unix", path: lab.userSock };
    const activity = await fetchExtra(user, ACTIVITY_QUERY);
    if (atLeast(release, 2, 8))
      expect(activity).toEqual({
        ok: false,
        error: "show activity needs operator level (this socket refused it)",
      });
    else expect(activity.ok).toBe(true);
    expect((await fetchExtra(user, POOLS_QUERY)).ok).toBe(true);
  });

  it("each command of a batched line needs its own @!<pid> prefix: the route adds it", async () => {
    const pid = state().snapshot!.info.Pid as number;
    const [info, level, proc] = await request({ kind: "worker", master, pid }, [
      "show info",
      "show cli level",
      "show activity",
    ]);
    expect(info).toMatch(new RegExp(`^Pid: ${pid}$`, "m"));
    expect(level).toBe("admin\n");
    expect(proc).toMatch(/^thread_id: /);
    // Unprefixed, the second command is the master's own (its show proc answers there).
    const raw = await sendMaster(master, [`@!${pid} show cli level;show proc`]);
    expect(parseShowProc(raw.slice(raw.indexOf("\n\n") + 2)).master).not.toBeNull();
  });

  it("after a reload, watching the old worker polls it (@!<pid>) until it exits", async () => {
    const oldPid = state().snapshot!.info.Pid as number;
    // A client that stays connected (fe_tcp → be_tcp) keeps the old worker alive after the reload.
    const client = connect({ host: "127.0.0.1", port: lab.ports.tcp });
    client.on("error", () => {});
    held.push(client);
    await new Promise<void>((r) => client.once("connect", () => r()));
    await waitFor(
      async () => (await request(admin, ["show sess"]))[0]!.includes("fe=fe_tcp"),
      5000,
      "the held session",
    );
    await sendMaster(master, ["reload"], 10_000).catch(() => "");
    await waitFor(
      () =>
        readExtra<ProcReport>(state().extras, MASTER_PROC_QUERY)?.value?.oldWorkers.some(
          (w) => w.pid === oldPid,
        ),
      15_000,
      "show proc listing the old worker",
    );
    const oldRow = rows().find((r) => r.pid === oldPid)!;
    expect(oldRow).toMatchObject({ role: "old", name: `old worker ${oldPid}` });
    const sel = processPanel.selection(oldRow, { state: state(), drill: null });
    expect(sel).toEqual({ kind: "worker", pid: oldPid });

    expect(poller.retarget(oldPid)).toBeNull();
    expect(state().via).toMatchObject({ pid: oldPid, master: lab.masterSock, home: lab.adminSock });
    expect(state().target).toBe(`${lab.masterSock} @!${oldPid}`);
    await waitFor(
      () => state().snapshot?.info.Pid === oldPid && readExtra(state().extras, ACTIVITY_QUERY)?.value,
      10_000,
      "the old worker's show info and show activity",
    );
    expect(state().snapshot!.info.Stopping).toBe(1);
    expect(state().link).toBe("ok");
    expect(rows().find((r) => r.pid === oldPid)!.name).toBe(`old worker ${oldPid} ◀ watched`);

    // The prompt and the actions go to the process shown: the old worker, through the master.
    const cli = createCliSession(() => route.current(), {
      timeoutMs: 3000,
      readOnly: false,
      history: memoryHistory(),
      level: () => state().level,
    });
    const info = await cli.send("show info");
    expect(info.kind === "answered" && info.reply).toMatch(new RegExp(`^Pid: ${oldPid}$`, "m"));
    const controller = createController(admin, { timeout: 3 }, poller, () => route.current());
    const [sess = ""] = await request(route.current(), ["show sess"]);
    const pinned = parseSess(sess).find((x) => x.fe === "fe_tcp")!;
    expect(pinned.src).toBe(`127.0.0.1:${client.localPort}`);
    const plan = await controller.plan("kill-session", {
      kind: "session",
      sessionId: pinned.id,
      sessionSrc: pinned.src,
    });
    if (!("run" in plan)) throw new Error(`no plan: ${JSON.stringify(plan)}`);
    expect(plan.notes[0]).toBe(
      `to worker ${oldPid} (the process shown) through the master CLI ${lab.masterSock}`,
    );
    expect(plan.commands).toEqual([`shutdown session ${pinned.id}`]);
    // Killing the session that pins it lets the old worker exit: the link goes down and says why.
    expect(await plan.run(() => {})).toMatchObject({ ok: true });
    await new Promise<void>((r) => (client.destroyed ? r() : client.once("close", () => r())));
    await waitFor(() => state().link === "disconnected", 15_000, "DISCONNECTED once the old worker exits");
    expect(state().error).toMatch(
      new RegExp(`worker ${oldPid} is gone: the master CLI .* no longer lists it`),
    );

    // Back home: the new worker.
    expect(poller.retarget(null)).toBeNull();
    await waitFor(
      () => state().link === "ok" && state().snapshot && state().snapshot!.info.Pid !== oldPid,
      10_000,
      "the new worker through the stats socket",
    );
    expect(state().via).toBeNull();
    expect(state().target).toBe(lab.adminSock);
  });
});
