/**
 * `haptop cli [target] -- <command…>` on a real HAProxy of every release: HAProxy's reply on
 * stdout, the exit code from the reply, and the prompt's rules (read-only allowlist, socket level)
 * refusing before anything is sent. Also the level table itself (src/actions/cliPolicy.ts): each
 * rule's probe is refused by HAProxy one level below and accepted at the rule's level, so a local
 * refusal never differs from what HAProxy would answer.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { LEVEL_RULES } from "../../src/actions/cliPolicy.js";
import { createCliSession } from "../../src/actions/cliSession.js";
import { memoryHistory } from "../../src/actions/history.js";
import { runCommand, sendRaw } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import { CLI_LEVELS } from "../../src/parse/level.js";
import type { TimelineEvent } from "../../src/store/state.js";
import { runHaptop } from "../helpers/cli.js";
import { HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease, isDefaultRelease } from "../helpers/matrix.js";
import { atLeast } from "../helpers/releases.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 90_000 });

afterAll(() => killAllStarted());

describeEachRelease("haptop cli", (release) => {
  // A stick table for the probes that HAProxy checks after looking the table up.
  const lab = new HaproxyLab({
    release,
    extra: "backend haptop_probe\n    stick-table type ip size 10 store gpc0\n",
  });
  const weight = async () => runCommand(parseTarget(lab.adminSock), "get weight be_app/app1");

  beforeAll(async () => {
    await lab.start();
    await waitFor(async () => /^1 /.test(await weight()), 5000, "be_app/app1 answers");
  });
  afterAll(() => lab.stop());

  it("prints HAProxy's reply and exits 0", async () => {
    const r = await runHaptop(["cli", lab.adminSock, "--", "get", "weight", "be_app/app1"]);
    expect(r).toEqual({ code: 0, stdout: "1 (initial 1)\n", stderr: "" });
  });

  it("sends a command that changes HAProxy (its empty reply: exit 0, nothing on stdout)", async () => {
    const r = await runHaptop(["cli", lab.adminSock, "--", "set weight be_app/app1 3"]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await weight()).toMatch(/^3 \(initial 1\)/);
    const back = await runHaptop(["cli", lab.adminSock, "--", "set", "weight", "be_app/app1", "1"]);
    expect(back.code).toBe(0);
    expect(await weight()).toMatch(/^1 \(initial 1\)/);
  });

  it("--read-only refuses a chained write without sending any of the line (exit 2)", async () => {
    const r = await runHaptop([
      "cli",
      "--read-only",
      lab.adminSock,
      "--",
      "show info; set weight be_app/app1 7",
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/read-only mode: "set weight be_app\/app1" not sent/);
    expect(await weight()).toMatch(/^1 \(initial 1\)/);
    const ok = await runHaptop(["cli", "--read-only", lab.userSock, "--", "show", "info"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Name: HAProxy\n/);
  });

  it("a command above the socket's level is refused before sending (exit 3, like HAProxy's)", async () => {
    const r = await runHaptop(["cli", lab.userSock, "--", "set", "weight", "be_app/app1", "7"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/not sent: needs admin level \(socket is user\)/);
    expect(await weight()).toMatch(/^1 \(initial 1\)/);
  });

  it("HAProxy's own refusals exit 3: Permission denied, Unknown command", async () => {
    // `clear table <t> key` is refused by HAProxy at user level, not by haptop's table.
    const denied = await runHaptop(["cli", lab.userSock, "--", "clear table haptop_probe key 127.0.0.9"]);
    expect(denied.code).toBe(3);
    expect(denied.stdout).toBe("Permission denied\n");
    expect(denied.stderr).toMatch(/Permission denied/);
    const unknown = await runHaptop(["cli", lab.adminSock, "--", "frobnicate"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toMatch(/^Unknown command/);
    expect(unknown.stderr).toMatch(/does not know the command/);
  });

  if (isDefaultRelease(release)) {
    it("usage and socket faults: no --, a missing socket", async () => {
      const noDash = await runHaptop(["cli", lab.adminSock, "show", "info"]);
      expect(noDash.code).toBe(2);
      expect(noDash.stderr).toMatch(/put the command after --/);
      const missing = await runHaptop(["cli", `${lab.adminSock}.nope`, "--", "show", "info"]);
      expect(missing.code).toBe(3);
      expect(missing.stderr).toMatch(/no such socket/);
      const line = await runHaptop(["cli", lab.adminSock, "--", "show info\nset weight be_app/app1 7"]);
      expect(line.code).toBe(2);
      expect(line.stderr).toMatch(/one line only/);
    });

    it("the monitor's own forms still work beside the subcommand", async () => {
      const once = await runHaptop([lab.adminSock, "--once"]);
      expect(once.code).toBe(0);
      expect(once.stdout).toMatch(/fe_main/);
    });
  }

  it("the TUI's session: sends, records on the timeline, reads help and names for Tab", async () => {
    const events: TimelineEvent[] = [];
    const session = (sock: string, readOnly: boolean) =>
      createCliSession(parseTarget(sock), {
        timeoutMs: 5000,
        readOnly,
        history: memoryHistory(),
        level: () => null, // unknown: HAProxy judges
        addEvent: (e) => events.push(e),
      });
    const admin = session(lab.adminSock, false);
    expect(await admin.send("get weight be_app/app1")).toMatchObject({
      kind: "answered",
      status: "ok",
      reply: "1 (initial 1)",
    });
    expect(events).toEqual([
      expect.objectContaining({
        kind: "action",
        command: "get weight be_app/app1",
        reply: "1 (initial 1)",
        ok: true,
        text: ": get weight be_app/app1 → 1 (initial 1)",
      }),
    ]);
    // Refused locally: neither sent nor recorded. Refused by HAProxy: recorded, not ok.
    expect(await session(lab.adminSock, true).send("set weight be_app/app1 9")).toMatchObject({
      kind: "refused",
    });
    expect(events).toHaveLength(1);
    const denied = await session(lab.userSock, false).send("clear table haptop_probe key 127.0.0.9");
    expect(denied).toMatchObject({ kind: "answered", status: "denied", reply: "Permission denied" });
    expect(events.at(-1)).toMatchObject({ ok: false, command: "clear table haptop_probe key 127.0.0.9" });
    // What Tab completes from: the help's commands and the stick tables.
    admin.prepare();
    await vi.waitFor(() => expect(admin.commands().length).toBeGreaterThan(90), { timeout: 5000 });
    await vi.waitFor(() => expect(admin.objects().tables).toContain("haptop_probe"), { timeout: 5000 });
    expect(admin.commands()).toContainEqual(["get", "weight"]);
  });

  it("the level table matches HAProxy: each probe denied one level below, accepted at its level", async () => {
    const sockets = { user: lab.userSock, operator: lab.operatorSock, admin: lab.adminSock };
    const wrong: string[] = [];
    for (const rule of LEVEL_RULES) {
      const below = CLI_LEVELS[CLI_LEVELS.indexOf(rule.level) - 1]!;
      const send = async (level: keyof typeof sockets) =>
        (await sendRaw(parseTarget(sockets[level]), rule.probe)).split("\n", 1)[0]!;
      const denied = await send(below);
      const accepted = await send(rule.level);
      if (denied !== "Permission denied") wrong.push(`${rule.probe} at ${below}: ${denied}`);
      if (accepted === "Permission denied") wrong.push(`${rule.probe} at ${rule.level}: denied`);
    }
    expect(wrong).toEqual([]);
  });

  // Last: if the guard failed, 3.0.0 would be left without a process for the tests after it.
  it("show threads: refused on 3.0.0, whose process it kills; answered elsewhere", async () => {
    const r = await runHaptop(["cli", lab.userSock, "--", "show", "threads"]);
    if (release.version === "3.0.0") {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/"show threads" not sent: HAProxy 3.0.0 exits on it/);
      expect(r.stdout).toBe("");
      expect(await weight()).toMatch(/^1 /); // still there
      // The TUI's session asks the version itself, right before sending.
      const s = createCliSession(parseTarget(lab.adminSock), {
        timeoutMs: 5000,
        readOnly: false,
        history: memoryHistory(),
        level: () => "admin",
      });
      expect(await s.send("show info; show threads")).toMatchObject({
        kind: "refused",
        check: { message: expect.stringMatching(/HAProxy 3\.0\.0 exits on it/) },
      });
      expect(await weight()).toMatch(/^1 /);
    } else {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Thread 1 : id=/);
    }
  });

  it("wait <delay> (3.0+) gets its delay on top of the timeout; show events -w is refused", async () => {
    // 2.5 s of wait with the default 2 s timeout: only the extended deadline lets the reply finish.
    const r = await runHaptop(["cli", lab.adminSock, "--", "wait 2500; get weight be_app/app1"]);
    if (atLeast(release, 3, 0)) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Done\.[\s\S]*1 \(initial 1\)/);
    } else {
      expect(r.code).toBe(3); // HAProxy before 3.0 has no `wait`
      expect(r.stdout).toMatch(/Unknown command/);
    }
    const events = await runHaptop(["cli", lab.adminSock, "--", "show events stderr -w"]);
    expect(events.code).toBe(2);
    expect(events.stderr).toMatch(/streams until the client leaves/);
  });
});
