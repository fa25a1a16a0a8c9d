import { describe, expect, it } from "vitest";
import { backendKey, serverKey } from "../../../src/model/keys.js";
import { buildSnapshot } from "../../../src/model/snapshot.js";
import { STAT_TYPE, type StatRow } from "../../../src/parse/stat.js";
import { initialUiState, type UiState, viewModel } from "../../../src/ui/viewModel.js";
import { withTable } from "../../../src/ui/viewTable.js";
import { stateWith } from "./views/fixtures.js";

const row = (pxname: string, svname: string, type: number): StatRow => ({
  pxname,
  svname,
  type,
  status: "UP",
});
const rows = [
  row("www", "FRONTEND", 0),
  row("api", "s1", STAT_TYPE.server),
  row("api", "BACKEND", STAT_TYPE.backend),
  row("web", "s1", STAT_TYPE.server),
  row("web", "s2", STAT_TYPE.server),
  row("web", "BACKEND", STAT_TYPE.backend),
];

function vmAt(view: UiState["view"], cursor: string | null, extra: Parameters<typeof stateWith>[0] = {}) {
  const state = stateWith({ snapshot: buildSnapshot({ Pid: 1 }, rows, 0, null), ...extra });
  const ui = initialUiState();
  ui.view = view;
  ui.cursor[view] = cursor;
  return viewModel(state, ui, 120, 30);
}

describe("the view model is typed by view", () => {
  it("tells each view's rows by `view`, and the selection by row kind", () => {
    const fe = vmAt("frontends", null);
    expect(fe.view).toBe("frontends");
    expect(fe.selection).toEqual({ kind: "frontend" });

    const be = vmAt("backends", backendKey("web"));
    if (be.view !== "backends") throw new Error(be.view);
    expect(be.rows.map((r) => r.kind)).toContain("server");
    expect(be.selection).toEqual({ kind: "backend", backend: "web" });
  });

  it("a server selection names its backend, its server and every backend with that server name", () => {
    const sel = vmAt("backends", serverKey("web", "s1")).selection;
    expect(sel).toEqual({ kind: "server", backend: "web", server: "s1", sameNameBackends: ["api", "web"] });
    const only = vmAt("backends", serverKey("web", "s2")).selection;
    expect(only).toMatchObject({ kind: "server", sameNameBackends: ["web"] });
  });

  it("an empty view selects nothing", () => {
    expect(vmAt("timeline", null).selection).toEqual({ kind: null });
    expect(vmAt("errors", null).selection).toEqual({ kind: null });
  });

  it("withTable keeps rows and columns of the same view together", () => {
    const vm = vmAt("backends", null);
    const cells = withTable(vm, (t) => t.rows.map((r) => t.columns[0]!.cell(r).text));
    expect(cells.length).toBe(vm.keys.length);
    expect(cells.some((c) => c.includes("web"))).toBe(true);
  });
});

describe("the backends view's note on a large config", () => {
  it("says how often every server is read: the poller's full-poll cadence times the interval", () => {
    const note = (extra: Parameters<typeof stateWith>[0]) => {
      const vm = vmAt("backends", null, extra);
      return vm.view === "backends" ? vm.tabExtra : "";
    };
    expect(note({ partialPoll: false })).not.toMatch(/large config/);
    expect(note({ partialPoll: true, fullEvery: 10, intervalMs: 1000 })).toMatch(/all every 10 s$/);
    expect(note({ partialPoll: true, fullEvery: 20, intervalMs: 2000 })).toMatch(/all every 40 s$/);
  });
});
