import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planTargets } from "../../../src/app/fleet.js";

const dir = mkdtempSync(join(tmpdir(), "haptop-plan-"));
const targetsFile = join(dir, "config.toml");
writeFileSync(
  targetsFile,
  '[[target]]\nname = "lb1"\naddress = "/run/lb1.sock"\ngroup = "eu"\n\n[[target]]\nname = "lb2"\naddress = "10.0.0.2:9999"\ngroup = "eu"\n',
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { color: false, interval: 1, timeout: 2, targetsFile };

describe("planTargets (what the command line asks for)", () => {
  it("one target: a config name stands for its address; none is the default socket", () => {
    expect(planTargets(["lb1"], base)).toEqual({ kind: "single", arg: "/run/lb1.sock" });
    expect(planTargets(["/tmp/x.sock"], base)).toEqual({ kind: "single", arg: "/tmp/x.sock" });
    expect(planTargets([], base)).toEqual({ kind: "single", arg: undefined });
  });

  it("several targets, or a group: the fleet, named", () => {
    const two = planTargets(["lb1", "/tmp/x.sock"], base);
    expect(two.kind === "fleet" && two.targets.map((t) => [t.name, t.target])).toEqual([
      ["lb1", { kind: "unix", path: "/run/lb1.sock" }],
      ["/tmp/x.sock", { kind: "unix", path: "/tmp/x.sock" }],
    ]);
    const eu = planTargets([], { ...base, group: "eu" });
    expect(eu.kind === "fleet" && eu.targets.map((t) => t.name)).toEqual(["lb1", "lb2"]);
  });

  it("refuses --match without --prometheus, and a missing config file given by name", () => {
    expect(() => planTargets([], { ...base, match: '{job="x"}' })).toThrow(/--match needs --prometheus/);
    expect(() => planTargets([], { ...base, targetsFile: join(dir, "nope.toml") })).toThrow(/cannot be read/);
  });

  it("a broken default config file is ignored, with a warning, when every target is an address", () => {
    const xdg = join(dir, "xdg");
    mkdirSync(join(xdg, "haptop"), { recursive: true });
    writeFileSync(join(xdg, "haptop", "config.toml"), "[[target]\nname = ");
    const env = { XDG_CONFIG_HOME: xdg };
    const noFile = { color: false, interval: 1, timeout: 2 };
    const one = planTargets(["/tmp/x.sock"], noFile, env);
    expect(one).toMatchObject({ kind: "single", arg: "/tmp/x.sock" });
    expect(one.kind !== "prometheus" && one.warning).toMatch(/config\.toml: not valid TOML.*ignored/);
    const two = planTargets(["/tmp/x.sock", "127.0.0.1:9999"], noFile, env);
    expect(two.kind).toBe("fleet");
    expect(planTargets([], noFile, env)).toMatchObject({ kind: "single", arg: undefined });
    // A bare word may be a name from the broken file, and --group needs the file: still refused.
    expect(() => planTargets(["lb1"], noFile, env)).toThrow(/not valid TOML/);
    expect(() => planTargets([], { ...noFile, group: "eu" }, env)).toThrow(/not valid TOML/);
    // A file named with --targets-file is always needed.
    writeFileSync(join(dir, "broken.toml"), "[[target]\n");
    expect(() => planTargets(["/tmp/x.sock"], { ...base, targetsFile: join(dir, "broken.toml") })).toThrow(
      /not valid TOML/,
    );
  });
});
