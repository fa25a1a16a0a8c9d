import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { HaproxyLab, killAllStarted } from "../helpers/haproxy.js";

// npm pack → npm install -g into a temporary prefix → run the installed binary, with a PATH that has
// no TypeScript toolchain (only node itself), as on a production load balancer.
// One release (the packaged one) is enough: this tests the packaging, not HAProxy's behaviour, which
// the batch, TUI and action suites cover on every release of the matrix.
const work = mkdtempSync(join(tmpdir(), "haptop-pack-"));
const prefix = join(work, "prefix");
const lab = new HaproxyLab();
const env = {
  ...process.env,
  PATH: `${join(prefix, "bin")}:${dirname(process.execPath)}:/usr/bin:/bin`,
  npm_config_prefix: prefix,
};

beforeAll(async () => {
  await lab.start();
  execFileSync("npm", ["pack", "--pack-destination", work, "--silent"], { cwd: ROOT, stdio: "pipe" });
  const tgz = readdirSync(work).find((f) => /^haptop-.*\.tgz$/.test(f));
  if (!tgz) throw new Error("npm pack produced no tarball");
  execFileSync(
    "npm",
    ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", join(work, tgz)],
    {
      cwd: work,
      stdio: "pipe",
    },
  );
}, 180_000);

afterAll(async () => {
  await lab.stop();
  killAllStarted();
  rmSync(work, { recursive: true, force: true });
});

describe("the installed package", () => {
  it("ships built JavaScript, not TypeScript sources", () => {
    const pkg = join(prefix, "lib", "node_modules", "haptop");
    const files = readdirSync(join(pkg, "dist"));
    expect(files).toContain("cli.js");
    expect(files.some((f) => f.endsWith(".ts"))).toBe(false);
    expect(readdirSync(pkg)).not.toContain("src");
    expect(readdirSync(join(pkg, "node_modules"))).not.toContain("typescript");
  });

  it("runs haptop --help and haptop --once <socket> from the global bin", () => {
    const help = execFileSync("haptop", ["--help"], { env, encoding: "utf8" });
    expect(help).toMatch(/Usage: haptop/);
    const once = execFileSync("haptop", ["--once", lab.adminSock], { env, encoding: "utf8" });
    expect(once.startsWith(`HAProxy ${lab.release.version}`)).toBe(true);
    expect(once).toMatch(/^fe_main\s+OPEN\s+0\/500/m);
    const json = JSON.parse(
      execFileSync("haptop", ["--once", "--json", lab.userSock], { env, encoding: "utf8" }),
    );
    expect(json.level).toBe("user");
  });
});
