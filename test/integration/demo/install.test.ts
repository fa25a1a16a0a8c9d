import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

// What the demo does when haproxy is missing. HAProxy is hidden in a private mount namespace
// (tmpfs over /usr/sbin and /usr/local/sbin), which needs root and unshare; elsewhere these skip.
const canHide = process.getuid?.() === 0 && spawnSync("unshare", ["--mount", "--", "true"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "haptop-install-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the demo with haproxy hidden; `asUser` drops to nobody after hiding it. */
function demoWithoutHaproxy(opts: { asUser: boolean; path: string }) {
  // A fixed script; the command comes in as positional arguments, never through the shell's parser.
  const script = 'mount -t tmpfs none /usr/sbin && mount -t tmpfs none /usr/local/sbin && exec "$@"';
  const drop = opts.asUser ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
  return spawnSync(
    "unshare",
    [
      "--mount",
      "--",
      "sh",
      "-c",
      script,
      "sh",
      ...drop,
      process.execPath,
      "--import",
      "tsx",
      "demo/main.ts",
      "--no-tui",
      "--seconds",
      "1",
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: opts.path }, timeout: 30_000 },
  );
}

describe.skipIf(!canHide)("demo without haproxy", () => {
  it("says exactly how to install it when not root, and exits 1", () => {
    const r = demoWithoutHaproxy({ asUser: true, path: "/usr/bin:/bin" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("haproxy was not found");
    expect(r.stderr).toContain("sudo apt-get install haproxy");
  });

  it("runs apt-get update and apt-get install -y haproxy itself when root", () => {
    // A stand-in apt-get records its arguments: the test must not install packages for real.
    const bin = join(dir, "bin");
    const log = join(dir, "apt.log");
    spawnSync("mkdir", ["-p", bin]);
    writeFileSync(join(bin, "apt-get"), `#!/bin/sh\necho "$*" >> ${log}\n`);
    chmodSync(join(bin, "apt-get"), 0o755);
    const r = demoWithoutHaproxy({ asUser: false, path: `${bin}:/usr/bin:/bin` });
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual(["update", "install -y haproxy"]);
    expect(r.stderr).toContain("installing it with apt-get");
    // The stand-in installed nothing, so the demo still says how to get it, and fails.
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("sudo apt-get install haproxy");
  });
});
