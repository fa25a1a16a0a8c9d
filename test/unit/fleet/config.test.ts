import { describe, expect, it } from "vitest";
import { ConfigFileError, parseHaptopConfig, selectTargets } from "../../../src/parse/haptopConfig.js";

const FILE = `
[[target]]
name = "lb1"
address = "/run/haproxy/lb1.sock"
group = ["eu", "edge"]
prometheus_instance = "10.0.0.1:8404"

[[target]]
name = "lb2"
address = "ssh://root@lb2.example/run/haproxy/admin.sock"
group = "eu"

[[target]]
name = "us1"
address = "10.1.0.1:9999"
`;

describe("the config file", () => {
  it("reads named targets with groups and Prometheus instances", () => {
    const c = parseHaptopConfig(FILE, "config.toml");
    expect(c.targets.map((t) => t.name)).toEqual(["lb1", "lb2", "us1"]);
    expect(c.targets[0]).toEqual({
      name: "lb1",
      address: "/run/haproxy/lb1.sock",
      groups: ["eu", "edge"],
      prometheusInstance: "10.0.0.1:8404",
    });
    expect(c.targets[1]!.groups).toEqual(["eu"]);
    expect(c.targets[2]!.groups).toEqual([]);
  });

  it("says where a fault is", () => {
    const bad = (text: string) => () => parseHaptopConfig(text, "c.toml");
    expect(bad("[[target]\nname=1")).toThrow(/c\.toml: not valid TOML \(line/);
    expect(bad('[[target]]\nname = "a b"\naddress = "/x"')).toThrow(/target #1: "name"/);
    expect(bad('[[target]]\nname = "a"')).toThrow(/target #1 \(a\): "address" is missing/);
    expect(bad('[[target]]\nname = "a"\naddress = "/x"\n[[target]]\nname = "a"\naddress = "/y"')).toThrow(
      /used twice/,
    );
    expect(bad('[[target]]\nname = "a"\naddress = "/x"\nport = 3')).toThrow(/unknown key "port"/);
    expect(bad("[server]\nx = 1")).toThrow(ConfigFileError);
  });

  it("selects targets by name, by address, and by group, without duplicates", () => {
    const c = parseHaptopConfig(FILE, "c");
    expect(selectTargets(c, ["lb1", "/tmp/other.sock"], undefined)).toEqual([
      { name: "lb1", address: "/run/haproxy/lb1.sock" },
      { name: "/tmp/other.sock", address: "/tmp/other.sock" },
    ]);
    expect(selectTargets(c, ["lb1"], "eu").map((t) => t.name)).toEqual(["lb1", "lb2"]);
    expect(() => selectTargets(c, [], "asia")).toThrow(/no target in group "asia"/);
    // The same address twice on the command line keeps both rows apart by name.
    expect(selectTargets(c, ["/a.sock", "/a.sock"], undefined).map((t) => t.name)).toEqual([
      "/a.sock",
      "/a.sock~2",
    ]);
  });
});
