import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createController } from "../../../src/actions/controller.js";
import { runCommand } from "../../../src/client/socket.js";
import { parseTarget } from "../../../src/client/target.js";
import type { GlobalOptions } from "../../../src/main.js";
import { num } from "../../../src/model/snapshot.js";
import { pollOnce } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";
import type { ActionPlan, Selection, ValuePrompt } from "../../../src/ui/plan.js";
import { HaproxyLab, waitFor } from "../../helpers/haproxy.js";
import { describeEachRelease } from "../../helpers/matrix.js";

// Safe actions on a real HAProxy, every release: what a plan warns about, and that running it sends
// exactly the commands the dialog showed.
const server = (backend: string, name: string): Selection => ({
  kind: "server",
  backend,
  server: name,
  sameNameBackends: [backend],
});

function asPlan(p: unknown): ActionPlan {
  expect(p, JSON.stringify(p)).toHaveProperty("run");
  return p as ActionPlan;
}

// A frontend and a backend of the same name: `show stat dup 4 -1` dumps the frontend (no servers),
// so a change is read back by the backend's id (`show stat +<iid> 4 -1`).
const sameName = (id: string) => `frontend dup
    bind abns@haptop-dup-${id}
    default_backend dup
backend dup
    server web1 127.0.0.1:9
`;

describeEachRelease("safe action plans", (release) => {
  const lab = new HaproxyLab({ release, extra: sameName(`${process.pid}-${release.version}-${Date.now()}`) });
  let poller: Poller;
  const sockets: Socket[] = [];
  const target = () => parseTarget(lab.adminSock);
  const opts = (): GlobalOptions =>
    ({ timeout: 2, interval: 1, color: false, config: [lab.cfg], pidfile: lab.pidfile }) as GlobalOptions;
  const send = (cmd: string) => runCommand(target(), cmd);
  const serverStat = (be: string, sv: string) =>
    poller.store
      .getSnapshot()
      .snapshot?.backends.find((b) => b.name === be)
      ?.servers.find((s) => s.name === sv);

  beforeAll(async () => {
    await lab.start();
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: 300,
      fetch: (d, withLevel) => pollOnce(target(), d, withLevel),
    });
    poller.start();
    await waitFor(
      () =>
        serverStat("be_app", "app1")?.status === "UP" &&
        /DOWN/.test(serverStat("be_app", "app_down")?.status ?? ""),
      15_000,
      "app1 UP and app_down DOWN in a poll",
    );
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    poller?.stop();
    await lab.stop();
  });

  it("warns and asks twice before draining the last active server; not for a server already down", async () => {
    const c = createController(target(), opts(), poller);
    const drain = asPlan(await c.plan("drain", server("be_app", "app1")));
    expect(drain.notes).toContain(
      "be_app would have NO server able to take traffic: 0 of 2 active servers left, no backup; clients get 503 (HTTP) or refused connections (TCP)",
    );
    expect(drain.secondConfirm).toMatch(/^This leaves be_app with NO server able to take traffic/);
    expect(drain.tone).toBe("bad");
    const maintDown = asPlan(await c.plan("maint", server("be_app", "app_down")));
    expect(maintDown.secondConfirm).toBeUndefined();
    const ready = asPlan(await c.plan("ready", server("be_app", "app1")));
    expect(ready.notes).toEqual([]);
  });

  it("sends exactly the commands the dialog shows (then read-only reads)", async () => {
    const c = createController(target(), opts(), poller);
    const plan = asPlan(await c.plan("maint", server("be_app", "app_down")));
    expect(plan.commands).toEqual(["set server be_app/app_down state maint"]);
    expect((await plan.run(() => {})).ok).toBe(true);
    const ev = [...poller.store.getSnapshot().events].reverse().find((e) => e.kind === "action");
    const changing = (ev?.command ?? "").split("; ").filter((l) => !/^(show|get) /.test(l));
    expect(changing).toEqual(plan.commands);
    await asPlan(await c.plan("ready", server("be_app", "app_down"))).run(() => {});
  });

  it("reads a server change back by the backend's id, not its name a frontend shares", async () => {
    await waitFor(() => serverStat("dup", "web1") !== undefined, 10_000, "backend dup polled");
    const iid = poller.store.getSnapshot().snapshot?.backends.find((b) => b.name === "dup")?.iid;
    const c = createController(target(), opts(), poller);
    const out = await asPlan(await c.plan("maint", server("dup", "web1"))).run(() => {});
    expect(out).toEqual({ ok: true, message: "dup/web1 set to maint (status now MAINT)" });
    const ev = [...poller.store.getSnapshot().events].reverse().find((e) => e.kind === "action");
    expect(ev?.command).toBe(`set server dup/web1 state maint; show stat +${iid} 4 -1`);
    await asPlan(await c.plan("ready", server("dup", "web1"))).run(() => {});
  });

  it("never lowers a weight below 1 with -, shows old → new, and offers weight 0 as a drain", async () => {
    // Back from maint, app_down is UP until its first check fails: wait for the poll to say DOWN.
    await waitFor(
      () => /^DOWN/.test(serverStat("be_app", "app_down")?.status ?? ""),
      10_000,
      "app_down DOWN",
    );
    const c = createController(target(), opts(), poller);
    await send("set weight be_app/app1 1");
    const down = await c.plan("weight-down", server("be_app", "app1"));
    expect(down).toEqual({ error: expect.stringMatching(/weight is 1: .*drain it with D/) });
    const up = asPlan(await c.plan("weight-up", server("be_app", "app1")));
    expect(up.title).toBe("Weight of be_app/app1: 1 → 2");
    expect(up.commands).toEqual(["set weight be_app/app1 2"]);
    const prompt = (await c.plan("weight", server("be_app", "app1"))) as ValuePrompt;
    expect(prompt.current).toBe("1 (initial 1)");
    expect(await prompt.submit("")).toHaveProperty("error");
    const zero = asPlan(await prompt.submit("0"));
    expect(zero.notes[0]).toMatch(/weight 0 drains the server/);
    expect(zero.secondConfirm).toMatch(/NO server able to take traffic/);
    const fifty = asPlan(await prompt.submit("50"));
    expect(fifty.title).toBe("Weight of be_app/app1: 1 → 50");
    expect(fifty.commands).toEqual(["set weight be_app/app1 50"]);
  });

  it("says how many sessions K kills", async () => {
    const s = connect(lab.ports.tcp, "127.0.0.1");
    sockets.push(s);
    s.on("error", () => {});
    await waitFor(() => num(serverStat("be_tcp", "tcp1")?.stats ?? {}, "scur") === 1, 10_000, "tcp1 scur 1");
    const c = createController(target(), opts(), poller);
    const kill = asPlan(
      await c.plan("kill-server-sessions", {
        kind: "session",
        sessionId: "1",
        backend: "be_tcp",
        server: "tcp1",
      }),
    );
    expect(kill.notes[0]).toMatch(/^kills 1 session on be_tcp\/tcp1/);
    expect(kill.commands).toEqual(["shutdown sessions server be_tcp/tcp1"]);
    s.destroy();
  });

  it("lists the runtime changes a reload would lose", async () => {
    await send("set weight be_app/app1 5");
    await send("set server be_tcp/tcp1 state drain");
    try {
      const c = createController(target(), opts(), poller);
      const reload = asPlan(await c.plan("reload", { kind: null }));
      const notes = reload.notes.join("\n");
      expect(notes).toMatch(/runtime changes LOST by the reload \(2/);
      expect(notes).toContain("be_app/app1 weight 5 (initial 1)");
      expect(notes).toContain("be_tcp/tcp1 draining");
      expect(reload.commands.length).toBeGreaterThan(0);
    } finally {
      await send("set weight be_app/app1 1");
      await send("set server be_tcp/tcp1 state ready");
    }
  });
});
