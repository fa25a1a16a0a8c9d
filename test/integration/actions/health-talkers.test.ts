import { afterAll, beforeAll, expect, it } from "vitest";
import { createController } from "../../../src/actions/controller.js";
import { buildHealthCommand, checkStateFromMask } from "../../../src/actions/healthCommands.js";
import { runBuilt } from "../../../src/actions/runtime.js";
import { request, runCommand } from "../../../src/client/socket.js";
import { parseTarget, type Target } from "../../../src/client/target.js";
import { parseServersState } from "../../../src/parse/servers-state.js";
import { parseSess } from "../../../src/parse/sess.js";
import { parseStat, type StatRow } from "../../../src/parse/stat.js";
import { pollOnce } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";
import type { ActionPlan, Selection, ValuePrompt } from "../../../src/ui/plan.js";
import { MATCH_ALL } from "../../../src/ui/views/filter.js";
import { groupSessions } from "../../../src/ui/views/sessionGroups.js";
import { HaproxyLab, killAllStarted, waitFor } from "../../helpers/haproxy.js";
import { type Holder, startHolder } from "../../helpers/holdLab.js";
import { describeEachRelease } from "../../helpers/matrix.js";

afterAll(() => killAllStarted());

const server = (backend: string, name: string): Selection => ({
  kind: "server",
  backend,
  server: name,
  sameNameBackends: [backend],
});

function asPlan(p: unknown): ActionPlan {
  expect(p).toHaveProperty("run");
  return p as ActionPlan;
}

// Top talkers (sessions grouped by source and by server) and the server health controls, on every
// release of the matrix.
describeEachRelease("top talkers and server health controls", (release) => {
  // be_agent: a server with an agent check (its agent port is closed: HAProxy does not count an
  // unreachable agent against the server, the regular check does that).
  let lab: HaproxyLab;
  let holder: Holder;
  let admin: Target;
  let poller: Poller;

  beforeAll(async () => {
    holder = await startHolder();
    lab = new HaproxyLab({
      release,
      extra: `${holder.config}backend be_agent
    server ag1 127.0.0.1:9 agent-check agent-port 9 agent-inter 60s
`,
    });
    await lab.start();
    admin = parseTarget(lab.adminSock);
    await waitFor(async () => (await row("be_app", "app1")).status === "UP", 8000, "app1 UP");
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: 1000,
      fetch: (d, withLevel) => pollOnce(admin, d, withLevel),
    });
    poller.start();
    await waitFor(() => poller.store.getSnapshot().level === "admin", 10_000, "first poll");
  });

  afterAll(async () => {
    poller?.stop();
    await lab?.stop();
    await holder?.close();
  });

  async function row(px: string, sv: string): Promise<StatRow> {
    const rows = parseStat(await runCommand(admin, "show stat", { expectPrefix: "# " }));
    const r = rows.find((x) => x.pxname === px && x.svname === sv);
    if (!r) throw new Error(`no ${px}/${sv}`);
    return r;
  }
  async function checkBits(be: string, srv: string) {
    const [out = ""] = await request(admin, [`show servers state ${be}`]);
    const r = parseServersState(out).rows.find((x) => x.srv_name === srv);
    return { health: checkStateFromMask(r?.srv_check_state), agent: checkStateFromMask(r?.srv_agent_state) };
  }
  it("groups live sessions from two sources and by backend/server", async () => {
    for (let i = 0; i < 3; i++) await holder.hold("127.0.0.1");
    for (let i = 0; i < 2; i++) await holder.hold("127.0.0.2");
    let sessions = parseSess(await runCommand(admin, "show sess"));
    await waitFor(
      async () => {
        sessions = parseSess(await runCommand(admin, "show sess"));
        return sessions.filter((s) => s.fe === "fe_hold" && s.srv === "hold1").length === 5;
      },
      8000,
      "5 sessions on be_hold/hold1",
    );
    const bySource = groupSessions(sessions, "source", MATCH_ALL);
    const counts = Object.fromEntries(bySource.map((r) => [r.label, r.count]));
    expect(counts).toEqual({ "127.0.0.1": 3, "127.0.0.2": 2 });
    expect(bySource.find((r) => r.label === "127.0.0.2")).toMatchObject({
      key: "src:127.0.0.2",
      frontends: ["fe_hold"],
      backends: ["be_hold"],
    });
    const byServer = groupSessions(sessions, "server", MATCH_ALL);
    expect(byServer).toHaveLength(1);
    expect(byServer[0]).toMatchObject({
      label: "be_hold/hold1",
      count: 5,
      sources: 2,
      frontends: ["fe_hold"],
    });
    // The CLI session running `show sess` is never counted.
    expect(sessions.some((s) => s.isCli)).toBe(true);
  });

  it("K on the be_hold/hold1 group plans and runs shutdown sessions server: its sessions end", async () => {
    const c = createController(admin, { timeout: 2 }, poller);
    const plan = asPlan(
      await c.plan("kill-server-sessions", { kind: "server-group", backend: "be_hold", server: "hold1" }),
    );
    expect(plan.commands).toEqual(["shutdown sessions server be_hold/hold1"]);
    expect((await plan.run(() => {})).ok).toBe(true);
    await waitFor(
      async () => !parseSess(await runCommand(admin, "show sess")).some((s) => s.srv === "hold1"),
      5000,
      "hold1's sessions to end",
    );
    // A group with no server (sessions not yet given one) has nothing to act on.
    expect(await c.plan("kill-server-sessions", { kind: "server-group" })).toEqual({
      error: "this session has no server to act on",
    });
  });

  it("disable health stops app1's checks (show stat and show servers state say so); enable health brings them back", async () => {
    const off = await runBuilt(
      admin,
      buildHealthCommand({ kind: "set-health-check", backend: "be_app", server: "app1", enable: false }),
      { level: "admin", readOnly: false },
    );
    expect(off.ok, off.message).toBe(true);
    expect(off.message).toBe("be_app/app1 health checks now disabled");
    const r = await row("be_app", "app1");
    expect(r.check_status ?? "").toBe("");
    expect(r.status).toBe("no check");
    expect((await checkBits("be_app", "app1")).health).toBe("disabled");
    const on = await runBuilt(
      admin,
      buildHealthCommand({ kind: "set-health-check", backend: "be_app", server: "app1", enable: true }),
      { level: "admin", readOnly: false },
    );
    expect(on.ok, on.message).toBe(true);
    expect((await checkBits("be_app", "app1")).health).toBe("enabled");
    await waitFor(
      async () => String((await row("be_app", "app1")).check_status ?? "") !== "",
      5000,
      "check back",
    );
  });

  it("the controller's H plan reads the state and toggles; A refuses a server without an agent", async () => {
    const c = createController(admin, { timeout: 2 }, poller);
    const off = asPlan(await c.plan("health-toggle", server("be_app", "app1")));
    expect(off.commands).toEqual(["disable health be_app/app1"]);
    expect(off.title).toBe("Disable health checks of be_app/app1");
    expect((await off.run(() => {})).ok).toBe(true);
    const on = asPlan(await c.plan("health-toggle", server("be_app", "app1")));
    expect(on.commands).toEqual(["enable health be_app/app1"]);
    expect((await on.run(() => {})).ok).toBe(true);
    expect((await checkBits("be_app", "app1")).health).toBe("enabled");
    // tcp1 has no "check": nothing to toggle, nothing sent.
    expect(await c.plan("health-toggle", server("be_tcp", "tcp1"))).toEqual({
      error: 'be_tcp/tcp1 has no health check configured (no "check" on its server line): nothing to toggle',
    });
    expect(await c.plan("agent-toggle", server("be_app", "app1"))).toMatchObject({
      error: expect.stringMatching(/no agent check configured/),
    });
  });

  it("disable agent / enable agent on a server with an agent check", async () => {
    expect((await checkBits("be_agent", "ag1")).agent).toBe("enabled");
    const c = createController(admin, { timeout: 2 }, poller);
    const off = asPlan(await c.plan("agent-toggle", server("be_agent", "ag1")));
    expect(off.commands).toEqual(["disable agent be_agent/ag1"]);
    expect((await off.run(() => {})).message).toBe("be_agent/ag1 agent checks now disabled");
    expect((await checkBits("be_agent", "ag1")).agent).toBe("disabled");
    const on = asPlan(await c.plan("agent-toggle", server("be_agent", "ag1")));
    expect(on.commands).toEqual(["enable agent be_agent/ag1"]);
    expect((await on.run(() => {})).ok).toBe(true);
    expect((await checkBits("be_agent", "ag1")).agent).toBe("enabled");
  });

  it("set maxconn server changes the server's slim in show stat; 0 removes it", async () => {
    const c = createController(admin, { timeout: 2 }, poller);
    const prompt = (await c.plan("maxconn", server("be_app", "app1"))) as ValuePrompt;
    expect(prompt.current).toMatch(/^no limit/);
    expect(await prompt.submit("12x")).toMatchObject({
      error: expect.stringMatching(/invalid maxconn value/),
    });
    const plan = asPlan(await prompt.submit("7"));
    expect(plan.commands).toEqual(["set maxconn server be_app/app1 7"]);
    const out = await plan.run(() => {});
    expect(out.ok, out.message).toBe(true);
    expect(out.message).toBe("be_app/app1 maxconn set to 7 (show stat slim now 7)");
    expect((await row("be_app", "app1")).slim).toBe(7);
    const unset = asPlan(await prompt.submit("0"));
    expect(unset.commands).toEqual(["set maxconn server be_app/app1 0"]);
    expect((await unset.run(() => {})).ok).toBe(true);
    expect((await row("be_app", "app1")).slim ?? "").toBe("");
  });

  it("is refused below admin: locally when the level is known, by HAProxy otherwise", async () => {
    const built = buildHealthCommand({
      kind: "set-health-check",
      backend: "be_app",
      server: "app1",
      enable: false,
    });
    const operator = parseTarget(lab.operatorSock);
    const local = await runBuilt(operator, built, { level: "operator", readOnly: false });
    expect(local).toMatchObject({ ok: false, refused: "level", commands: [] });
    const remote = await runBuilt(operator, built, { level: null, readOnly: false });
    expect(remote.ok).toBe(false);
    expect(remote.message).toMatch(/Permission denied/);
    expect((await checkBits("be_app", "app1")).health).toBe("enabled");
  });
});
