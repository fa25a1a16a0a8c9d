import { describe, expect, it } from "vitest";
import { buildCommand, buildInBackends, type CommandSpec } from "../../../src/actions/commands.js";
import { InvalidNameError } from "../../../src/actions/names.js";

describe("buildCommand: every Runtime API command from typed arguments", () => {
  const cases: [CommandSpec, string[], string[]][] = [
    [{ kind: "clear-counters", all: false }, ["clear counters"], ["show stat -1 3 -1"]],
    [{ kind: "clear-counters", all: true }, ["clear counters all"], ["show stat -1 3 -1"]],
    [
      { kind: "set-server-state", backend: "be_app", backendId: 3, server: "app1", state: "drain" },
      ["set server be_app/app1 state drain"],
      ["show stat +3 4 -1"],
    ],
    [
      { kind: "set-weight", backend: "be_app", server: "app1", weight: 0 },
      ["set weight be_app/app1 0"],
      ["get weight be_app/app1"],
    ],
    [
      { kind: "set-weight", backend: "be_app", server: "app1", weight: "50%" },
      ["set weight be_app/app1 50%"],
      ["get weight be_app/app1"],
    ],
    [{ kind: "shutdown-session", id: "0x55CD242E49C0:" }, ["shutdown session 0x55cd242e49c0"], []],
    [
      { kind: "shutdown-sessions-server", backend: "be_app", server: "app1" },
      ["shutdown sessions server be_app/app1"],
      [],
    ],
  ];
  it.each(cases)("%j", (spec, commands, verify) => {
    const b = buildCommand(spec);
    expect(b.commands).toEqual(commands);
    expect(b.verify).toEqual(verify);
  });

  it("reads a server state change back by the backend's numeric id, never by its name", () => {
    const verify = (backend: string, backendId: number | null) =>
      buildCommand({ kind: "set-server-state", backend, backendId, server: "app1", state: "maint" }).verify;
    // `show stat <name>` would dump a frontend of the same name, and a digits-only name may be
    // read as another proxy's id: `+<iid>` is read as an id only.
    expect(verify("be_app", 7)).toEqual(["show stat +7 4 -1"]);
    expect(verify("12", 3)).toEqual(["show stat +3 4 -1"]);
    // No id known (or not a valid one): nothing is read back rather than the wrong proxy.
    for (const id of [null, 0, -1, 1.5, Number.NaN]) expect(verify("be_app", id)).toEqual([]);
  });

  it("refuses what would change the command: names, states, relative or out-of-range weights", () => {
    const bad: CommandSpec[] = [
      { kind: "set-server-state", backend: "be;shutdown", backendId: 3, server: "a", state: "drain" },
      { kind: "set-server-state", backend: "be", backendId: 3, server: "a b", state: "drain" },
      { kind: "set-server-state", backend: "be", backendId: 3, server: "a", state: "up" as never },
      { kind: "set-weight", backend: "be", server: "a", weight: 257 },
      { kind: "set-weight", backend: "be", server: "a", weight: "+10%" },
      { kind: "shutdown-session", id: "0x1; clear counters all" },
    ];
    for (const spec of bad) expect(() => buildCommand(spec), JSON.stringify(spec)).toThrow(InvalidNameError);
  });

  it("checks every backend before building any (one bad name refuses all)", () => {
    const make = (be: string) =>
      ({ kind: "set-server-state", backend: be, backendId: null, server: "app1", state: "maint" }) as const;
    expect(buildInBackends(["a", "b"], "app1", make).flatMap((b) => b.commands)).toEqual([
      "set server a/app1 state maint",
      "set server b/app1 state maint",
    ]);
    expect(() => buildInBackends(["a", "b\nc"], "app1", make)).toThrow(InvalidNameError);
    expect(() => buildInBackends([], "app1", make)).toThrow(InvalidNameError);
  });
});
