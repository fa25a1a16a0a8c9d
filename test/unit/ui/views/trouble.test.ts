import { describe, expect, it } from "vitest";
import { NO_RATES, type Rates } from "../../../../src/model/rates.js";
import { buildSnapshot } from "../../../../src/model/snapshot.js";
import { STAT_TYPE, type StatRow } from "../../../../src/parse/stat.js";
import { initialUiState, type UiState, viewModel } from "../../../../src/ui/viewModel.js";
import { statusRank, troubleKey } from "../../../../src/ui/views/trouble.js";
import { stateWith } from "./fixtures.js";

const fe = (name: string, f: StatRow): StatRow => ({
  pxname: name,
  svname: "FRONTEND",
  type: STAT_TYPE.frontend,
  status: "OPEN",
  ...f,
});
const be = (name: string, f: StatRow): StatRow => ({
  pxname: name,
  svname: "BACKEND",
  type: STAT_TYPE.backend,
  status: "UP",
  ...f,
});
const sv = (b: string, name: string, f: StatRow): StatRow => ({
  pxname: b,
  svname: name,
  type: STAT_TYPE.server,
  status: "UP",
  ...f,
});
const r = (patch: Partial<Rates>): Rates => ({ ...NO_RATES, ...patch });

function vm(
  view: UiState["view"],
  rows: StatRow[],
  rates: Record<string, Partial<Rates>>,
  sort?: UiState["sort"]["frontends"],
) {
  const state = stateWith({
    snapshot: buildSnapshot({ Pid: 1 }, rows, 0, null),
    rates: new Map(Object.entries(rates).map(([k, v]) => [k, r(v)])),
  });
  const ui = initialUiState();
  ui.view = view;
  if (sort) ui.sort[view] = sort;
  return viewModel(state, ui, 120, 30);
}

describe("the default sort puts trouble on top", () => {
  it("frontends: stopped or full first, then the highest 5xx rate, then the fullest gauge", () => {
    const m = vm(
      "frontends",
      [
        fe("calm", { scur: 1, slim: 100 }),
        fe("busy", { scur: 90, slim: 100 }),
        fe("erroring", { scur: 1, slim: 100 }),
        fe("worse", { scur: 1, slim: 100 }),
        fe("stopped", { status: "STOP", scur: 0, slim: 100 }),
      ],
      { "fe/erroring": { http5xxPerSec: 1 }, "fe/worse": { http5xxPerSec: 7 } },
    );
    if (m.view !== "frontends") throw new Error(`view ${m.view}`);
    expect(m.rows.map((x) => x.entry.name)).toEqual(["stopped", "worse", "erroring", "busy", "calm"]);
    expect(m.sortLabel).toBe("trouble first");
    expect(m.sortChoices[0]).toEqual({ id: "trouble", title: "trouble first (default)", descending: true });
  });

  it("backends: DOWN first, then 5xx/s; servers the same way within their backend", () => {
    const m = vm(
      "backends",
      [
        sv("be_ok", "a", {}),
        be("be_ok", {}),
        sv("be_5xx", "good", {}),
        sv("be_5xx", "bad", {}),
        sv("be_5xx", "down", { status: "DOWN" }),
        sv("be_5xx", "maint", { status: "MAINT" }),
        be("be_5xx", {}),
        be("be_down", { status: "DOWN" }),
      ],
      { "be/be_5xx": { http5xxPerSec: 3 }, "sv/be_5xx/bad": { http5xxPerSec: 3 } },
    );
    expect(m.keys).toEqual([
      "be/be_down",
      "be/be_5xx",
      "sv/be_5xx/down",
      "sv/be_5xx/bad",
      "sv/be_5xx/good",
      "sv/be_5xx/maint",
      "be/be_ok",
      "sv/be_ok/a",
    ]);
  });

  it("backends: one with a DOWN server ranks above a healthy one with more traffic or 5xx", () => {
    const m = vm(
      "backends",
      [
        sv("be_busy", "a", {}),
        be("be_busy", { scur: 90, slim: 100 }),
        sv("be_half", "up", {}),
        sv("be_half", "down", { status: "DOWN" }),
        be("be_half", { scur: 0, slim: 100 }),
      ],
      { "be/be_busy": { http5xxPerSec: 1 } },
    );
    expect(m.keys.filter((k: string) => k.startsWith("be/"))).toEqual(["be/be_half", "be/be_busy"]);
  });

  it("keeps configuration order when nothing is wrong, and a chosen sort wins", () => {
    const rows = [fe("b", { scur: 0, slim: 10 }), fe("a", { scur: 0, slim: 10 })];
    expect(vm("frontends", rows, {}).keys).toEqual(["fe/b", "fe/a"]);
    expect(vm("frontends", rows, {}, { columnId: "name", descending: false }).keys).toEqual(["fe/a", "fe/b"]);
  });

  it("sorts a gauge by how full it is, fullest first", () => {
    const rows = [
      fe("many_of_many", { scur: 400, slim: 10_000 }),
      fe("few_of_few", { scur: 9, slim: 10 }),
      fe("none", { scur: 0, slim: 10 }),
    ];
    const m = vm("frontends", rows, {}, { columnId: "sessions", descending: true });
    expect(m.keys).toEqual(["fe/few_of_few", "fe/many_of_many", "fe/none"]);
    const picked = m.sortChoices.find((c) => c.id === "sessions");
    expect(picked?.descending).toBe(true);
  });

  it("ranks statuses: not serving 2, in between 1, fine or deliberate 0", () => {
    expect(["DOWN", "STOP", "FULL", "DOWN (agent)", "MAINT (resolution)"].map(statusRank)).toEqual([
      2, 2, 2, 2, 2,
    ]);
    expect(["UP 1/3", "DOWN 1/2", "NOLB"].map(statusRank)).toEqual([1, 1, 1]);
    expect(["UP", "OPEN", "no check", "MAINT", "DRAIN", ""].map(statusRank)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(troubleKey({ status: "UP", http5xxPerSec: null, errPerSec: 2, queue: 1, fill: 0.5 })).toEqual([
      0, 0, 2, 1, 0.5,
    ]);
  });
});
