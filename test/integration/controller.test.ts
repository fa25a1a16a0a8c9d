import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createController } from "../../src/actions/controller.js";
import { runCommand } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import type { GlobalOptions } from "../../src/main.js";
import { parseSess } from "../../src/parse/sess.js";
import { parseStat } from "../../src/parse/stat.js";
import { pollOnce } from "../../src/store/poll.js";
import { Poller } from "../../src/store/poller.js";
import type { ActionPlan, Selection, ValuePrompt } from "../../src/ui/plan.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease } from "../helpers/matrix.js";

const server = (backend: string, name: string, sameNameBackends = [backend]): Selection => ({
  kind: "server",
  backend,
  server: name,
  sameNameBackends,
});

function asPlan(p: unknown): ActionPlan {
  expect(p).toHaveProperty("run");
  return p as ActionPlan;
}

afterAll(() => killAllStarted());

// The TUI's action controller against a real HAProxy of every release: what the dialog shows is what is sent.
describeEachRelease("action controller on a real HAProxy", (release) => {
  const lab = new HaproxyLab({
    release,
    extra: `backend be_app2
    server app1 127.0.0.1:9 disabled
`,
  });
  let poller: Poller;
  const target = () => parseTarget(lab.adminSock);
  const opts = (over: Partial<GlobalOptions> = {}): GlobalOptions => ({
    timeout: 2,
    interval: 1,
    color: false,
    ...over,
  });

  beforeAll(async () => {
    await lab.start();
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: 1000,
      fetch: (d, withLevel) => pollOnce(target(), d, withLevel),
    });
    poller.start();
    await waitFor(() => poller.store.getSnapshot().level === "admin", 10_000, "first poll");
  });

  afterAll(async () => {
    poller?.stop();
    await lab.stop();
  });

  async function statusOf(be: string, srv: string): Promise<string> {
    const rows = parseStat(await runCommand(target(), `show stat ${be} 4 -1`));
    return String(rows.find((r) => r.svname === srv)?.status);
  }

  it("shows the exact command, runs it, and records it in the timeline", async () => {
    const c = createController(target(), opts(), poller);
    const plan = asPlan(await c.plan("maint", server("be_app", "app1")));
    expect(plan.commands).toEqual(["set server be_app/app1 state maint"]);
    const outcome = await plan.run(() => {});
    expect(outcome.ok).toBe(true);
    expect(await statusOf("be_app", "app1")).toBe("MAINT");
    const ev = poller.store.getSnapshot().events.find((e) => e.kind === "action");
    expect(ev).toMatchObject({
      command: expect.stringContaining("set server be_app/app1 state maint"),
      ok: true,
    });
    await asPlan(await c.plan("ready", server("be_app", "app1"))).run(() => {});
    expect(await statusOf("be_app", "app1")).not.toBe("MAINT");
  });

  it("applies to the same server name in every backend when toggled with `a`", async () => {
    const c = createController(target(), opts(), poller);
    const one = asPlan(await c.plan("drain", server("be_app", "app1", ["be_app", "be_app2"])));
    expect(one.allBackends).toMatchObject({ enabled: false, count: 2 });
    const all = one.allBackends!.toggle();
    expect(all.commands).toEqual([
      "set server be_app/app1 state drain",
      "set server be_app2/app1 state drain",
    ]);
    expect((await all.run(() => {})).ok).toBe(true);
    expect(await statusOf("be_app", "app1")).toMatch(/^DRAIN/);
    expect(await statusOf("be_app2", "app1")).toMatch(/DRAIN|MAINT/); // disabled in the config: maint wins
    await asPlan(await c.plan("ready", server("be_app", "app1"))).run(() => {});
  });

  it("computes +10 % from get weight and shows the absolute weight it will set", async () => {
    const c = createController(target(), opts(), poller);
    await runCommand(target(), "set weight be_app/app1 50");
    const plan = asPlan(await c.plan("weight-up", server("be_app", "app1")));
    expect(plan.commands).toEqual(["set weight be_app/app1 55"]);
    await plan.run(() => {});
    expect(await runCommand(target(), "get weight be_app/app1")).toMatch(/^55 /);
    const prompt = (await c.plan("weight", server("be_app", "app1"))) as ValuePrompt;
    expect(prompt.current).toBe("55 (initial 1)");
    expect(await prompt.submit("300")).toHaveProperty("error");
    const set = asPlan(await prompt.submit("20"));
    expect(set.commands).toEqual(["set weight be_app/app1 20"]);
    await set.run(() => {});
    expect(await runCommand(target(), "get weight be_app/app1")).toMatch(/^20 /);
  });

  it("kills a live session, and refuses an id that no longer belongs to it", async () => {
    const sock: Socket = connect({ host: "127.0.0.1", port: lab.ports.tcp });
    const closed = new Promise<void>((r) => sock.on("close", () => r()));
    sock.on("error", () => {});
    const found = await waitFor(async () =>
      parseSess(await runCommand(target(), "show sess")).find((x) => x.fe === "fe_tcp"),
    );
    const s = found!;
    const c = createController(target(), opts(), poller);
    const sel: Selection = { kind: "session", sessionId: s.id, sessionSrc: s.src };
    const stale = asPlan(await c.plan("kill-session", { ...sel, sessionSrc: "127.0.0.1:1" }));
    expect(await stale.run(() => {})).toMatchObject({
      ok: false,
      message: expect.stringContaining("nothing sent"),
    });
    const kill = asPlan(await c.plan("kill-session", sel));
    expect(kill.commands).toEqual([`shutdown session ${s.id}`]);
    expect((await kill.run(() => {})).ok).toBe(true);
    await closed;
  });

  it("refuses hostile names and read-only mode before sending anything", async () => {
    const c = createController(target(), opts(), poller);
    const hostile = await c.plan("maint", server("be_app", "app1;shutdown frontend fe_main"));
    expect(hostile).toHaveProperty("error");
    const ro = createController(target(), opts({ readOnly: true }), poller);
    expect(await ro.plan("clear-max", { kind: null })).toEqual({ error: "read-only mode" });
    expect(ro.reloadUnavailable).toBe("read-only mode");
    const fe = parseStat(await runCommand(target(), "show stat -1 1 -1")).find((r) => r.pxname === "fe_main");
    expect(fe?.status).toBe("OPEN");
  });
});
