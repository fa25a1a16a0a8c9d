/**
 * The fleet end to end (issue 14): the real TUI in tmux watching three real HAProxies at once —
 * two local sockets and one reached over SSH (`ssh://user@127.0.0.1:<port>/…/admin.sock`) through a
 * real sshd on loopback — named by a real
 * config file. Killing one HAProxy turns only its row DISCONNECTED while the others keep updating;
 * Enter on the SSH row opens the full UI, whose numbers are that HAProxy's own (`show info`).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { SshdLab } from "../../lab/sshd.js";
import { runCommand } from "../../src/client/socket.js";
import { parseInfo } from "../../src/parse/info.js";
import { HaproxyLab, killAllStarted } from "../helpers/haproxy.js";
import { describeOnce } from "../helpers/matrix.js";
import { killMastersUnder, whenSshd } from "../integration/ssh/sshLab.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 90_000 });

const FOOTER = /q quit {2}\? help/m;
const row = (name: string, rest: string) => new RegExp(`^${name}\\s+${rest}`, "m");
/** A row's POLLED column: the last field of its line. */
const polled = (screen: string, name: string) =>
  new RegExp(`^${name}\\b.*\\s(\\S+)\\s*$`, "m").exec(screen)?.[1] ?? null;

const terms: TmuxTerm[] = [];
afterAll(() => {
  for (const t of terms) t.close();
  killAllStarted();
});

whenSshd(describeOnce, "the fleet in a real terminal", (release) => {
  const labs = [new HaproxyLab({ release }), new HaproxyLab({ release }), new HaproxyLab({ release })];
  const sshd = new SshdLab();
  const dir = mkdtempSync(join(tmpdir(), "haptop-fleet-"));
  const sshConfig = join(dir, "ssh_config");
  let t: TmuxTerm;

  beforeAll(async () => {
    await Promise.all([...labs.map((l) => l.start()), sshd.start()]);
    const config = join(dir, "config.toml");
    writeFileSync(
      config,
      `[[target]]
name = "lb1"
address = "${labs[0]!.adminSock}"
group = "eu"

[[target]]
name = "lb2"
address = "${labs[1]!.adminSock}"
group = "eu"

[[target]]
name = "lbssh"
address = "ssh://${sshd.user}@127.0.0.1:${sshd.port}${labs[2]!.adminSock}"
group = "eu"
`,
    );
    // The URL form names user, address and port itself: the ssh_config only gives the key to use
    // and the known_hosts file that trusts the lab's host key (host keys are still checked).
    writeFileSync(
      sshConfig,
      `Host 127.0.0.1\n  IdentityFile ${sshd.userKey}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${sshd.knownHosts}\n`,
    );
    t = await TmuxTerm.start(haptopArgs("--targets-file", config, "--group", "eu"), {
      cols: 160,
      rows: 40,
      env: { HAPTOP_SSH_CONFIG: sshConfig, XDG_RUNTIME_DIR: dir },
    });
    terms.push(t);
  });

  afterAll(async () => {
    t?.close();
    await Promise.all([...labs.map((l) => l.stop()), sshd.stop()]);
    killMastersUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the three load balancers, the SSH one included, each UP with its pid", async () => {
    const pids = labs.map((l) => l.pids()[0]);
    await t.waitFor(
      [/3 load balancers/, row("lb1", "UP"), row("lb2", "UP"), row("lbssh", "UP"), FOOTER],
      30_000,
      "three rows UP",
    );
    const screen = await t.screen();
    for (const [i, name] of ["lb1", "lb2", "lbssh"].entries())
      expect(screen).toMatch(new RegExp(`^${name}\\b.*\\s${pids[i]}\\s`, "m"));
  });

  it("a HAProxy killed turns only its row DISCONNECTED; the others keep updating", async () => {
    await labs[1]!.stop();
    const screen = await t.waitFor(
      [row("lb2", "DISCONNECTED"), row("lb1", "UP"), row("lbssh", "UP"), /1 unreachable/],
      20_000,
      "lb2 DISCONNECTED, the others UP",
    );
    expect(screen).toMatch(/lb2: .*(no such socket|refused)/);
    // Still polled every second: the others' POLLED age stays fresh while lb2's grows.
    await t.waitFor(
      (s) =>
        polled(s, "lb1") === "0s" &&
        polled(s, "lbssh") === "0s" &&
        /^(\d+)s$/.test(polled(s, "lb2") ?? "") &&
        Number(polled(s, "lb2")!.slice(0, -1)) >= 3,
      20_000,
      "lb1 and lbssh fresh, lb2 stale",
    );
  });

  it("Enter on the SSH row opens the full UI with that HAProxy's own numbers; 0 comes back", async () => {
    const info = parseInfo(await runCommand({ kind: "unix", path: labs[2]!.adminSock }, "show info"));
    // Filter down to the SSH row, then open it.
    await t.sendKeys("/");
    await t.type("lbssh");
    await t.sendKeys("Enter");
    await t.waitFor((s) => row("lbssh", "UP").test(s) && !/^lb1\s/m.test(s), 10_000, "only lbssh");
    await t.sendKeys("Enter");
    await t.waitFor(
      [new RegExp(`pid ${info.Pid}\\b`), /lbssh \(ssh:\/\/\S*127\.0\.0\.1/, /0 fleet/, FOOTER],
      20_000,
      "the SSH target's own header",
    );
    await t.sendKeys("2");
    await t.waitFor([/^▾ be_app/m, /app_down\s+DOWN/m], 15_000, "its backends");
    await t.sendKeys("0");
    await t.waitFor([/haptop fleet/, row("lbssh", "UP")], 10_000, "back to the fleet");
  });
});
