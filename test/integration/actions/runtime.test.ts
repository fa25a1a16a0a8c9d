import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ActionOptions,
  type ActionResult,
  applyServerOpEverywhere,
  clearCounters,
  setServerState,
  setWeight,
  shutdownSession,
  shutdownSessionsServer,
} from "../../../src/actions/runtime.js";
import { runCommand } from "../../../src/client/socket.js";
import type { Target } from "../../../src/client/target.js";
import { parseSess } from "../../../src/parse/sess.js";
import { parseStat, type StatRow } from "../../../src/parse/stat.js";
import { HaproxyLab, httpGets, killAllStarted, waitFor } from "../../helpers/haproxy.js";
import { describeEachRelease, isDefaultRelease } from "../../helpers/matrix.js";

afterAll(() => killAllStarted());

// Every action on every release of the matrix. What is refused before anything is sent (read-only,
// level, hostile names) does not depend on the release: shown once, on the packaged one.
describeEachRelease("runtime actions", (release) => {
  // A second backend holding a server of the same name (for "every backend"), with weight 50, no
  // checks; and a frontend of its name (`show stat be_app2 4 -1` would dump that frontend).
  const lab = new HaproxyLab({
    release,
    extra: `backend be_app2
    server app1 127.0.0.1:9 weight 50
frontend be_app2
    bind abns@haptop-runtime-${process.pid}-${release.version}-${Date.now()}
    default_backend be_app2
`,
  });
  let admin: Target;
  let operator: Target;
  let user: Target;
  /** A socket path where nothing listens: an action that tried to send would throw SocketError. */
  let nowhere: Target;
  const ADMIN: ActionOptions = { level: "admin", readOnly: false };
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await lab.start();
    admin = { kind: "unix", path: lab.adminSock };
    operator = { kind: "unix", path: lab.operatorSock };
    user = { kind: "unix", path: lab.userSock };
    nowhere = { kind: "unix", path: `${lab.dir}/nothing-listens-here.sock` };
    await waitFor(async () => (await row("be_app", "app1")).status === "UP", 8000, "app1 UP");
    // The closed-port server goes DOWN after its first failed check (fall 1): then every request reaches app1.
    await waitFor(async () => (await row("be_app", "app_down")).status === "DOWN", 8000, "app_down DOWN");
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await lab.stop();
  });

  async function stat(): Promise<StatRow[]> {
    return parseStat(await runCommand(admin, "show stat", { expectPrefix: "# " }));
  }
  async function row(px: string, sv: string): Promise<StatRow> {
    const r = (await stat()).find((x) => x.pxname === px && x.svname === sv);
    if (!r) throw new Error(`no ${px}/${sv}`);
    return r;
  }
  /** What the refusal tests compare: counters, statuses, weights of every row. */
  async function observable(): Promise<string[]> {
    return (await stat()).map(
      (r) => `${r.pxname}/${r.svname} stot=${r.stot} smax=${r.smax} status=${r.status} weight=${r.weight}`,
    );
  }

  function expectSentAndAccepted(r: ActionResult) {
    expect(r.ok, r.message).toBe(true);
    expect(r.reply).toBe("");
    expect(r.refused).toBeUndefined();
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  }

  describe("clearCounters", () => {
    it("max values: smax back to ≤ scur, totals kept; all: totals reset", async () => {
      expect(await httpGets(lab.ports.http, 5)).toBe(5);
      const fe0 = await row("fe_main", "FRONTEND");
      expect(fe0.stot).toBeGreaterThanOrEqual(5);
      expect(fe0.smax).toBeGreaterThanOrEqual(1);

      const r = await clearCounters(operator, { level: "operator", readOnly: false });
      expectSentAndAccepted(r);
      expect(r.action).toBe("clear-counters");
      expect(r.commands).toEqual(["show stat -1 3 -1", "clear counters", "show stat -1 3 -1"]);
      expect(r.message).toMatch(/max values cleared: smax ≤ scur on all \d+ proxies; totals kept/);
      const fe1 = await row("fe_main", "FRONTEND");
      expect(fe1.smax).toBeLessThanOrEqual(fe1.scur as number);
      expect(fe1.stot).toBe(fe0.stot);
      expect(fe1.req_tot).toBe(fe0.req_tot);

      // clear counters all needs admin: refused locally when the level is known…
      const local = await clearCounters(operator, { level: "operator", readOnly: false, all: true });
      expect(local).toMatchObject({ ok: false, refused: "level", commands: [] });
      expect(local.message).toMatch(/^needs admin level/);
      // …and by HAProxy when it is not: ok:false with HAProxy's own text, no throw.
      const remote = await clearCounters(operator, { level: null, readOnly: false, all: true });
      expect(remote.ok).toBe(false);
      expect(remote.reply.trim()).toBe("Permission denied");
      expect(remote.message).toMatch(/clear counters all: Permission denied/);
      expect((await row("fe_main", "FRONTEND")).stot).toBe(fe0.stot);

      const all = await clearCounters(admin, { ...ADMIN, all: true });
      expectSentAndAccepted(all);
      expect(all.commands[1]).toBe("clear counters all");
      expect(all.message).toMatch(/all counters cleared \(stot \d+ → 0/);
      const fe2 = await row("fe_main", "FRONTEND");
      expect(fe2.stot).toBe(0);
      expect(fe2.req_tot).toBe(0);
    });
  });

  describe("refusals: user level and read-only send nothing", () => {
    // Refused before anything is sent: the release does not matter, shown once.
    if (isDefaultRelease(release)) {
      it("every mutating action is refused locally, state and counters unchanged", async () => {
        expect(await httpGets(lab.ports.http, 3)).toBe(3);
        await setServerState(admin, "be_app2", "app1", "ready", ADMIN);
        const before = await observable();
        const cases: [Target, ActionOptions, string][] = [
          [user, { level: "user", readOnly: false }, "needs"],
          [admin, { level: "admin", readOnly: true }, "read-only mode"],
          [nowhere, { level: "user", readOnly: false }, "needs"],
          [nowhere, { level: "admin", readOnly: true }, "read-only mode"],
        ];
        for (const [t, o, msg] of cases) {
          const results = [
            await clearCounters(t, o),
            await clearCounters(t, { ...o, all: true }),
            await setServerState(t, "be_app", "app1", "maint", o),
            await setWeight(t, "be_app2", "app1", 0, o),
            await setWeight(t, "be_app2", "app1", "-10%", o),
            await shutdownSession(t, "0x1234", o),
            await shutdownSessionsServer(t, "be_tcp", "tcp1", o),
            await applyServerOpEverywhere(
              t,
              ["be_app", "be_app2"],
              "app1",
              { kind: "state", state: "drain" },
              o,
            ),
          ];
          for (const r of results) {
            expect(r.ok).toBe(false);
            expect(r.commands).toEqual([]);
            expect(r.refused).toBe(o.readOnly ? "read-only" : "level");
            expect(r.message.startsWith(msg)).toBe(true);
          }
        }
        expect(await observable()).toEqual(before);
      });
    }

    it("on the user socket with an unknown level, HAProxy's Permission denied is returned, nothing changes", async () => {
      const before = await observable();
      const o: ActionOptions = { level: null, readOnly: false };
      for (const r of [
        await clearCounters(user, o),
        await setServerState(user, "be_app", "app1", "maint", o),
        await setWeight(user, "be_app2", "app1", 3, o),
        await shutdownSessionsServer(user, "be_tcp", "tcp1", o),
      ]) {
        expect(r.ok).toBe(false);
        expect(r.reply.trim()).toBe("Permission denied");
        expect(r.message).toMatch(/Permission denied/);
      }
      expect(await observable()).toEqual(before);
    });
  });

  describe("server state and weight", () => {
    it("maint / drain / ready show in show stat", async () => {
      const m = await setServerState(admin, "be_app", "app1", "maint", ADMIN);
      expectSentAndAccepted(m);
      expect(m.commands[0]).toBe("set server be_app/app1 state maint");
      expect(m.message).toMatch(/status now MAINT/);
      expect((await row("be_app", "app1")).status).toBe("MAINT");
      const d = await setServerState(admin, "be_app", "app1", "drain", ADMIN);
      expectSentAndAccepted(d);
      // Out of maintenance, the server goes through its rise checks: "DRAIN 1/3" first.
      expect((await row("be_app", "app1")).status).toMatch(/^DRAIN/);
      const r = await setServerState(admin, "be_app", "app1", "ready", ADMIN);
      expectSentAndAccepted(r);
      await waitFor(async () => (await row("be_app", "app1")).status === "UP", 5000, "app1 UP again");
    });

    it("reads a change back by the backend's id, also where a frontend has the backend's name", async () => {
      const m = await setServerState(admin, "be_app2", "app1", "maint", ADMIN);
      expect(m.message).toBe("be_app2/app1 set to maint (status now MAINT)");
      expect(m.commands).toEqual([
        "set server be_app2/app1 state maint",
        expect.stringMatching(/^show stat \+\d+ 4 -1$/),
      ]);
      expectSentAndAccepted(await setServerState(admin, "be_app2", "app1", "ready", ADMIN));
    });

    it("HAProxy's errors are ok:false with its text", async () => {
      const r = await setServerState(admin, "be_app", "nosuch", "maint", ADMIN);
      expect(r.ok).toBe(false);
      expect(r.reply.trim()).toBe("No such server.");
      expect(r.message).toBe("set server be_app/nosuch state maint: No such server.");
      const w = await setWeight(admin, "nosuch_be", "app1", "+10%", ADMIN);
      expect(w.ok).toBe(false);
      expect(w.commands).toEqual(["get weight nosuch_be/app1"]);
      expect(w.message).toMatch(/No such/);
    });

    it("set weight: absolute, +N% / -N% of the current weight, N% of the initial one", async () => {
      const a = await setWeight(admin, "be_app2", "app1", 20, ADMIN);
      expectSentAndAccepted(a);
      expect(a.commands).toEqual(["set weight be_app2/app1 20", "get weight be_app2/app1"]);
      expect(a.message).toBe("be_app2/app1 weight now 20 (initial 50)");
      const up = await setWeight(admin, "be_app2", "app1", "+10%", ADMIN);
      expectSentAndAccepted(up);
      expect(up.commands).toEqual([
        "get weight be_app2/app1",
        "set weight be_app2/app1 22",
        "get weight be_app2/app1",
      ]);
      expect(up.message).toBe("be_app2/app1 weight 20 → 22 (initial 50)");
      const down = await setWeight(admin, "be_app2", "app1", "-10%", ADMIN);
      expect(down.message).toBe("be_app2/app1 weight 22 → 20 (initial 50)");
      const pct = await setWeight(admin, "be_app2", "app1", "50%", ADMIN);
      expectSentAndAccepted(pct);
      expect(pct.commands[0]).toBe("set weight be_app2/app1 50%");
      expect((await row("be_app2", "app1")).weight).toBe(25);
      const bad = await setWeight(admin, "be_app2", "app1", 257, ADMIN);
      expect(bad).toMatchObject({ ok: false, refused: "invalid-input", commands: [] });
      await setWeight(admin, "be_app2", "app1", 50, ADMIN);
    });

    it("the same server in every backend", async () => {
      const r = await applyServerOpEverywhere(
        admin,
        ["be_app", "be_app2"],
        "app1",
        { kind: "state", state: "maint" },
        ADMIN,
      );
      expect(r.ok, r.message).toBe(true);
      expect(r.parts).toHaveLength(2);
      expect(r.commands.filter((c) => c.startsWith("set server"))).toEqual([
        "set server be_app/app1 state maint",
        "set server be_app2/app1 state maint",
      ]);
      expect(r.message).toBe("app1: state maint applied in 2 backends");
      expect((await row("be_app", "app1")).status).toBe("MAINT");
      expect((await row("be_app2", "app1")).status).toBe("MAINT");
      const partly = await applyServerOpEverywhere(
        admin,
        ["be_app", "be_tcp", "be_app2"],
        "app1",
        { kind: "state", state: "ready" },
        ADMIN,
      );
      expect(partly.ok).toBe(false);
      expect(partly.message).toMatch(
        /failed in 1 of 3 backends: set server be_tcp\/app1 state ready: No such server\./,
      );
      expect((await row("be_app2", "app1")).status).not.toBe("MAINT");
      const w = await applyServerOpEverywhere(
        admin,
        ["be_app2"],
        "app1",
        { kind: "weight", weight: "+10%" },
        ADMIN,
      );
      expect(w.ok, w.message).toBe(true);
      expect((await row("be_app2", "app1")).weight).toBe(55);
      await setWeight(admin, "be_app2", "app1", 50, ADMIN);
      await waitFor(async () => (await row("be_app", "app1")).status === "UP", 5000, "app1 UP again");
    });
  });

  describe("sessions", () => {
    async function openTcp(): Promise<{ sock: Socket; closed: Promise<void> }> {
      const sock = connect({ host: "127.0.0.1", port: lab.ports.tcp });
      sockets.push(sock);
      sock.on("error", () => {});
      const closed = new Promise<void>((r) => sock.on("close", () => r()));
      await new Promise<void>((r) => sock.on("connect", () => r()));
      return { sock, closed };
    }
    async function tcpSessions(): Promise<string[]> {
      return parseSess(await runCommand(admin, "show sess"))
        .filter((s) => s.fe === "fe_tcp")
        .map((s) => s.id);
    }
    const within = (p: Promise<void>, ms: number) =>
      Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

    it("shutdownSession closes a live TCP connection", async () => {
      const known = new Set(await tcpSessions());
      const { closed } = await openTcp();
      const id: string = await waitFor(
        async () => (await tcpSessions()).find((s) => !known.has(s)) ?? "",
        3000,
        "session",
      );
      const r = await shutdownSession(admin, id, ADMIN);
      expectSentAndAccepted(r);
      expect(r.commands).toEqual([`shutdown session ${id}`]);
      expect(await within(closed, 3000)).toBe(true);
      expect(await tcpSessions()).not.toContain(id);
      // Not the same id again: HAProxy reuses a freed stream's memory (maybe for this very CLI stream),
      // so a stale id can name another stream. An id that never was a stream:
      const again = await shutdownSession(admin, "0x10", ADMIN);
      expect(again.ok).toBe(false);
      expect(again.reply).toMatch(/No such session/);
    });

    it("shutdownSessionsServer closes every connection on the server", async () => {
      const a = await openTcp();
      const b = await openTcp();
      await waitFor(async () => (await tcpSessions()).length >= 2, 3000, "2 sessions");
      const r = await shutdownSessionsServer(admin, "be_tcp", "tcp1", ADMIN);
      expectSentAndAccepted(r);
      expect(r.commands).toEqual(["shutdown sessions server be_tcp/tcp1"]);
      expect(
        await within(
          Promise.all([a.closed, b.closed]).then(() => {}),
          3000,
        ),
      ).toBe(true);
    });
  });

  // Refused before anything is sent: the release does not matter, shown once.
  if (isDefaultRelease(release)) {
    describe("hostile names are refused without sending", () => {
      const hostile = [
        "be_app;clear counters all",
        "be_app\nclear counters all",
        "be_app\\;x",
        "be app",
        "be_app/app1",
        "",
        "be_app\r",
        "$(reboot)",
        "be_app\u0000",
        "bé",
        "x".repeat(300),
      ];
      it("names, session ids and weights", async () => {
        const before = await observable();
        for (const t of [admin, nowhere]) {
          for (const h of hostile) {
            const results = [
              await setServerState(t, h, "app1", "maint", ADMIN),
              await setServerState(t, "be_app", h, "maint", ADMIN),
              await setWeight(t, h, "app1", 1, ADMIN),
              await setWeight(t, "be_app2", "app1", h, ADMIN),
              await shutdownSession(t, h, ADMIN),
              await shutdownSessionsServer(t, "be_tcp", h, ADMIN),
              await applyServerOpEverywhere(
                t,
                ["be_app", h],
                "app1",
                { kind: "state", state: "maint" },
                ADMIN,
              ),
            ];
            for (const r of results)
              expect(r).toMatchObject({ ok: false, refused: "invalid-input", commands: [] });
          }
          const state = await setServerState(t, "be_app", "app1", "maint;clear counters" as "maint", ADMIN);
          expect(state).toMatchObject({ ok: false, refused: "invalid-input", commands: [] });
          for (const id of ["0x12;clear counters all", "12ab", "0x", "0xzz", "0x1 0x2"]) {
            expect(await shutdownSession(t, id, ADMIN)).toMatchObject({
              ok: false,
              refused: "invalid-input",
            });
          }
        }
        expect(await observable()).toEqual(before);
      });
    });
  }
});
