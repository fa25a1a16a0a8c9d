import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
});
