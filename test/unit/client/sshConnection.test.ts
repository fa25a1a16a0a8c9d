/**
 * The SSH master's failure paths, with stand-ins for the `ssh` binary (shell scripts): its own
 * words reach the message, escaped; the usual refusals get a hint; a failed attempt is not repeated
 * within RETRY_MS; a missing ssh is named; a master slow to answer its first `-O check` is asked
 * again. The real thing is in test/integration/ssh/.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatError } from "../../../src/client/errors.js";
import { DEFAULT_SSH_SETTINGS, type SshSettings } from "../../../src/client/sshArgs.js";
import { RETRY_MS, SshConnection, SshTransportError } from "../../../src/client/sshConnection.js";
import type { SshTarget } from "../../../src/client/sshTarget.js";

const dir = mkdtempSync(join(tmpdir(), "haptop-fakessh-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const target: SshTarget = { kind: "ssh", host: "lb1", user: "ops", path: "/run/haproxy/admin.sock" };

/** A fake ssh: records its argv (one per line) and says `stderr` with exit status `code`. */
function fakeSsh(name: string, stderr: string, code: number): { bin: string; calls: () => string[][] } {
  const bin = join(dir, name);
  const log = join(dir, `${name}.argv`);
  writeFileSync(log, "");
  writeFileSync(
    bin,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\037' "$a" >> '${log}'; done; echo >> '${log}'\nprintf '%s\\n' '${stderr}' >&2\nexit ${code}\n`,
  );
  chmodSync(bin, 0o755);
  const calls = () =>
    readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split("\x1f").filter(Boolean));
  return { bin, calls };
}

function connection(settings: Partial<SshSettings>, now: () => number = Date.now): SshConnection {
  const d = mkdtempSync(join(dir, "rt-"));
  return new SshConnection(target, d, 1, () => ({ ...DEFAULT_SSH_SETTINGS, ...settings }), now);
}

describe("the SSH master's failures", () => {
  it("ssh's own words, escaped, after the target; a hint for an unknown host key", async () => {
    const ssh = fakeSsh("hostkey", "Host key verification failed.\x1b[2J", 255);
    const err = await connection({ bin: ssh.bin })
      .localSocket(target)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshTransportError);
    expect(formatError(err)).toBe(
      "ssh://ops@lb1/run/haproxy/admin.sock: ssh: Host key verification failed.\\x1b[2J\n" +
        "  hint: haptop never accepts a host key itself: check the key and add it to known_hosts (connect once with ssh by hand)",
    );
    // What ran: one master, the destination after `--`, host-key checking left as configured.
    const [argv] = ssh.calls();
    expect(argv!.slice(0, 3)).toEqual(["-M", "-S", expect.stringMatching(/c1\.\d+\.ctl$/)]);
    expect(argv!.slice(-4)).toEqual(["-l", "ops", "--", "lb1"]);
    expect(argv!.join(" ")).not.toMatch(/StrictHostKeyChecking/);
  });

  it("a key that would need a prompt: BatchMode's refusal, with the way out", async () => {
    const ssh = fakeSsh("denied", "ops@lb1: Permission denied (publickey).", 255);
    const err = await connection({ bin: ssh.bin })
      .localSocket(target)
      .catch((e: unknown) => e);
    expect(formatError(err)).toMatch(
      /: ssh: ops@lb1: Permission denied \(publickey\)\.\n {2}hint: .*BatchMode/,
    );
  });

  it("a failed attempt is reported again without running ssh, until RETRY_MS has passed", async () => {
    const ssh = fakeSsh("refused", "ssh: connect to host lb1 port 22: Connection refused", 255);
    let now = 1_000_000;
    const c = connection({ bin: ssh.bin }, () => now);
    const first = await c.localSocket(target).catch((e: unknown) => e);
    expect(formatError(first)).toBe(
      "ssh://ops@lb1/run/haproxy/admin.sock: ssh: connect to host lb1 port 22: Connection refused",
    );
    now += RETRY_MS - 1;
    expect(await c.localSocket(target).catch((e: unknown) => e)).toBe(first);
    expect(ssh.calls()).toHaveLength(1);
    now += 2;
    await c.localSocket(target).catch(() => {});
    expect(ssh.calls()).toHaveLength(2);
  });

  it("no ssh at all: says which program is missing", async () => {
    const err = await connection({ bin: join(dir, "no-such-ssh") })
      .localSocket(target)
      .catch((e: unknown) => e);
    expect(formatError(err)).toMatch(
      /ssh \(the OpenSSH client, ".*no-such-ssh"\) is not installed or not in PATH/,
    );
  });

  it("asks `ssh -O check` again when the new master does not answer the first one", async () => {
    // The fake master: `-M` starts a process whose command line names the control socket (what
    // masterAlive checks); the first `-O check` gets no answer, the next one the pid.
    const bin = join(dir, "slowcheck");
    const state = join(dir, "slowcheck.state");
    writeFileSync(
      bin,
      `#!/bin/sh
ctl=""; prev=""; op=""
for a in "$@"; do [ "$prev" = "-S" ] && ctl="$a"; [ "$prev" = "-O" ] && op="$a"; prev="$a"; done
case "$op" in
  "") timeout 30 sh -c 'sleep 30' "$ctl" >/dev/null 2>&1 & echo $! > '${state}.pid'; exit 0 ;;
  check) if [ -e '${state}.asked' ]; then echo "Master running (pid=$(cat '${state}.pid'))" >&2; exit 0; fi
         touch '${state}.asked'; exit 255 ;;
  *) exit 0 ;;
esac
`,
    );
    chmodSync(bin, 0o755);
    const c = connection({ bin });
    try {
      expect(await c.localSocket(target)).toMatch(/\.sock$/);
      expect(c.masterAlive()).toBe(true);
    } finally {
      c.stopSync();
    }
  });
});
