/**
 * The SSH transport (issue 14, point 2) against a real sshd (Debian's openssh-server, started by the
 * test on a loopback port with generated host and user keys) in front of a real HAProxy, on every
 * release: the batch snapshot over SSH equals the direct one, an unknown host key fails with ssh's
 * own message, a killed sshd turns the link DISCONNECTED with the SSH error and a restarted one is
 * reconnected to, one SSH handshake serves many polls, and nothing is left behind.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { SshdLab } from "../../../lab/sshd.js";
import { createController } from "../../../src/actions/controller.js";
import { formatError } from "../../../src/client/errors.js";
import { request, runCommand } from "../../../src/client/socket.js";
import {
  closeSshConnections,
  configureSsh,
  SSH_RELOAD_UNAVAILABLE,
  sshConnection,
  sshRuntimeDir,
} from "../../../src/client/ssh.js";
import { describeTarget, parseTarget, type SshTarget, type Target } from "../../../src/client/target.js";
import { pollOnce } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";
import { runHaptop } from "../../helpers/cli.js";
import { HaproxyLab, killAllStarted, waitFor } from "../../helpers/haproxy.js";
import { describeEachRelease, isDefaultRelease } from "../../helpers/matrix.js";
import {
  includeLab,
  killMastersUnder,
  processesMentioning,
  removeSharedSshConfig,
  sharedSshConfig,
  whenSshd,
} from "./sshLab.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 90_000 });

interface JsonEntry {
  name: string;
  status: string;
}
interface JsonDoc {
  target: string;
  frontends: JsonEntry[];
  backends: (JsonEntry & { servers: JsonEntry[] })[];
}

/** Names and statuses: what must be the same whichever way the socket is reached. */
function shape(doc: JsonDoc) {
  return {
    frontends: doc.frontends.map((f) => f.name),
    backends: doc.backends.map((b) => ({
      name: b.name,
      servers: b.servers.map((s) => `${s.name}:${s.status.replace(/^\* /, "")}`),
    })),
  };
}

afterAll(() => {
  closeSshConnections();
  removeSharedSshConfig();
  killAllStarted();
});

whenSshd(describeEachRelease, "SSH transport", (release) => {
  const lab = new HaproxyLab({ release });
  const sshd = new SshdLab();
  /** The runtime dir base the haptop processes of this suite use ($XDG_RUNTIME_DIR). */
  const runtime = mkdtempSync(join(tmpdir(), "haptop-xdg-"));
  const env = () => ({ HAPTOP_SSH_CONFIG: sshd.sshConfig, XDG_RUNTIME_DIR: runtime });
  let target: SshTarget;

  beforeAll(async () => {
    await Promise.all([lab.start(), sshd.start()]);
    includeLab(sshd);
    configureSsh({ configFile: sharedSshConfig() });
    target = parseTarget(`${sshd.alias}:${lab.adminSock}`) as SshTarget;
    // The closed-port server DOWN, the origin UP: a stable picture to compare.
    await waitFor(
      async () => {
        const [out = ""] = await request({ kind: "unix", path: lab.adminSock }, ["show stat"]);
        return /be_app,app_down,.*,DOWN,/.test(out) && /be_app,app1,.*,UP,/.test(out);
      },
      10_000,
      "app_down DOWN and app1 UP",
    );
  });

  afterAll(async () => {
    await Promise.all([lab.stop(), sshd.stop()]);
    killMastersUnder(runtime);
    rmSync(runtime, { recursive: true, force: true });
  });

  it("haptop --once --json over SSH shows the same proxies and servers as the direct socket", async () => {
    const [viaSsh, direct] = [
      await runHaptop(["--once", "--json", `haptop-test:${lab.adminSock}`], { env: env() }),
      await runHaptop(["--once", "--json", lab.adminSock]),
    ];
    expect(viaSsh.stderr).toBe("");
    expect(viaSsh.code).toBe(0);
    const doc = JSON.parse(viaSsh.stdout) as JsonDoc;
    expect(doc.target).toBe(`ssh://haptop-test${lab.adminSock}`);
    expect(shape(doc)).toEqual(shape(JSON.parse(direct.stdout) as JsonDoc));
    expect(shape(doc).backends.map((b) => b.name)).toEqual(expect.arrayContaining(["be_app", "be_tcp"]));
    // On exit: the runtime dir removed, no ssh master left.
    expect(readdirSync(runtime)).toEqual([]);
    expect(processesMentioning(runtime)).toEqual([]);
  });

  it("--ssh-config and the ssh:// form do the same", async () => {
    const r = await runHaptop(
      ["--ssh-config", sshd.sshConfig, "--once", "--json", `ssh://${sshd.user}@haptop-test${lab.adminSock}`],
      { env: { XDG_RUNTIME_DIR: runtime } },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonDoc).target).toBe(`ssh://${sshd.user}@haptop-test${lab.adminSock}`);
  });

  it("an unknown host key fails with ssh's own message and exit 3; host-key checking is never turned off", async () => {
    const r = await runHaptop(["--once", `haptop-test:${lab.adminSock}`], {
      env: { HAPTOP_SSH_CONFIG: sshd.sshConfigUnknownHost, XDG_RUNTIME_DIR: runtime },
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Host key verification failed.");
    expect(r.stderr).toMatch(/^haptop: ssh:\/\/haptop-test\/\S+: ssh: Host key verification failed\.\n/);
    expect(r.stderr).toMatch(/hint: haptop never accepts a host key itself/);
    // Nothing was added to the known_hosts it used.
    expect(readFileSync(sshd.emptyKnownHosts, "utf8")).toBe("");
    expect(readdirSync(runtime)).toEqual([]);
  });

  it("a socket sshd cannot open is named, with ssh's words", async () => {
    const r = await runHaptop(["--once", `haptop-test:${lab.dir}/no-such.sock`], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/sshd could not connect to \S+\/no-such\.sock \(channel \d+: open failed/);
  });

  it("an sshd that does not forward UNIX sockets: refused with ssh's words and what sshd_config needs", async () => {
    if (!isDefaultRelease(release)) return; // about sshd, not HAProxy: once
    const strict = new SshdLab({ extra: "AllowStreamLocalForwarding no" });
    try {
      await strict.start();
      const r = await runHaptop(["--once", `haptop-test:${lab.adminSock}`], {
        env: { HAPTOP_SSH_CONFIG: strict.sshConfig, XDG_RUNTIME_DIR: runtime },
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        /^haptop: ssh:\/\/haptop-test\/\S+: sshd could not connect to \S+ \(channel \d+: open failed[^)]*\): .*forwarding disabled in sshd_config\n$/,
      );
      expect(strict.log()).toMatch(/refused streamlocal port forward|denied/);
    } finally {
      await strict.stop();
    }
  });

  it("one SSH handshake serves many polls, each a fresh connection to HAProxy", async () => {
    const accepted = () => (sshd.log().match(/Accepted publickey/g) ?? []).length;
    const before = accepted();
    await request(target, ["show info"]);
    const log = sshConnection(target).logSize();
    for (let i = 0; i < 5; i++) {
      const [info = ""] = await request(target, ["show info"]);
      expect(info).toMatch(/^Name: HAProxy/m);
    }
    expect(accepted() - before).toBeLessThanOrEqual(1);
    // ssh's log (read for its reasons when a request fails) does not grow with every poll.
    expect(sshConnection(target).logSize()).toBe(log);
    // The runtime dir is private.
    const dir = sshRuntimeDir()!;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(sshConnection(target).masterAlive()).toBe(true);
  });

  it("a second socket on the same host rides the same master (ssh -O forward), no new handshake", async () => {
    const accepted = () => (sshd.log().match(/Accepted publickey/g) ?? []).length;
    await request(target, ["show info"]);
    const before = accepted();
    const operator = parseTarget(`${sshd.alias}:${lab.operatorSock}`);
    const [level = ""] = await request(operator, ["show cli level"]);
    expect(level.trim()).toBe("operator");
    const [admin = ""] = await request(target, ["show cli level"]);
    expect(admin.trim()).toBe("admin");
    expect(accepted()).toBe(before);
    expect(sshConnection(operator as SshTarget)).toBe(sshConnection(target));
  });

  it("sshd killed: the link turns DISCONNECTED with the SSH error; sshd back: it reconnects", async () => {
    const poller = new Poller({
      target: describeTarget(target),
      intervalMs: 500,
      fetch: (demand, withLevel) => pollOnce(target as Target, demand, withLevel, { timeoutMs: 3000 }),
    });
    const state = () => poller.store.getSnapshot();
    poller.start();
    try {
      await vi.waitFor(() => expect(state().link).toBe("ok"), { timeout: 20_000, interval: 50 });
      await sshd.kill();
      await vi.waitFor(
        () => {
          expect(state().link).toBe("disconnected");
          expect(state().error).toMatch(
            new RegExp(
              `^ssh://${sshd.alias}/\\S+: (SSH connection to ${sshd.alias} lost|ssh: connect to host)`,
            ),
          );
        },
        { timeout: 30_000, interval: 50 },
      );
      // The reconnection attempts say why they fail: ssh's own words.
      await vi.waitFor(() => expect(state().error).toMatch(/Connection refused/), {
        timeout: 30_000,
        interval: 50,
      });
      await sshd.launch();
      await vi.waitFor(() => expect(state().link).toBe("ok"), { timeout: 30_000, interval: 50 });
      const [info = ""] = await request(target, ["show info"]);
      expect(info).toMatch(/^Name: HAProxy/m);
    } finally {
      poller.stop();
    }
  });

  // Per connection: closeSshConnections() (every master, the runtime dir) would pull the ground
  // from under the other releases' suites running at the same time in this process. The whole
  // cleanup is checked in haptop's own processes (first test here; SIGTERM, SIGINT in the e2e).
  it("stopping a master: ssh -O exit, then by pid; the next request starts a new one", async () => {
    await request(target, ["show info"]);
    const conn = sshConnection(target);
    expect(conn.masterAlive()).toBe(true);
    expect(processesMentioning(conn.files.control).length).toBe(1);
    conn.stopSync();
    expect(conn.masterAlive()).toBe(false);
    expect(existsSync(conn.files.control)).toBe(false);
    await waitFor(() => processesMentioning(conn.files.control).length === 0, 5000, "the ssh master to exit");
    const [info = ""] = await request(target, ["show info"]);
    expect(info).toMatch(/^Name: HAProxy/m);
    expect(conn.masterAlive()).toBe(true);
  });

  it("a write command goes through the same forward: HAProxy applies it", async () => {
    const weight = async () => {
      const [out = ""] = await request({ kind: "unix", path: lab.adminSock }, ["get weight be_app/app1"]);
      return out.trim();
    };
    const before = await weight();
    await runCommand(target, "set weight be_app/app1 7");
    expect(await weight()).toMatch(/^7 \(initial 1\)/);
    await runCommand(target, "set weight be_app/app1 1");
    expect(await weight()).toBe(before);
  });

  it("reload is refused on an SSH target, saying why: the TUI's r and haptop reload", async () => {
    const poller = new Poller({
      target: describeTarget(target),
      intervalMs: 1000,
      fetch: () => Promise.reject(new Error("unused")),
    });
    expect(createController(target, { timeout: 2 }, poller).reloadUnavailable).toBe(SSH_RELOAD_UNAVAILABLE);
    expect(createController(target, { timeout: 2, readOnly: true }, poller).reloadUnavailable).toBe(
      "read-only mode",
    );
    const r = await runHaptop(["reload", "--dry-run", `haptop-test:${lab.adminSock}`], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`haptop reload: ${SSH_RELOAD_UNAVAILABLE}\n`);
    // Refused before any ssh ran.
    expect(readdirSync(runtime)).toEqual([]);
  });

  it("faults name the SSH target, never the local socket", async () => {
    const bad = parseTarget(`${sshd.alias}:/nonexistent/admin.sock`);
    const err = await request(bad, ["show info"]).catch((e: unknown) => e);
    const text = formatError(err);
    expect(text).toContain(`ssh://${sshd.alias}/nonexistent/admin.sock`);
    expect(text).not.toContain(sshRuntimeDir()!);
  });
});
