/**
 * buildBackendRows reuses a backend's sorted server rows while its server list is the very array
 * of the last build and the carried servers' rates are the same (issue 12: at 50k servers,
 * rebuilding and sorting every list after each scoped poll blocked the event loop for 250-600 ms).
 * What a scoped poll fetched, a new rates base (a reload), a new sort or a filter is built again.
 */
import { describe, expect, it } from "vitest";
import type { Rates } from "../../../../src/model/rates.js";
import { buildSnapshot, type Snapshot } from "../../../../src/model/snapshot.js";
import { STAT_TYPE, type StatRow } from "../../../../src/parse/stat.js";
import { LayeredRates } from "../../../../src/store/apply.js";
import {
  type BackendRow,
  backendTroubleColumn,
  buildBackendRows,
} from "../../../../src/ui/views/backends.js";
import { compileFilter } from "../../../../src/ui/views/filter.js";
import { rates, stateWith } from "./fixtures.js";

function snapshot(statusOf: (b: number, s: number) => string): Snapshot {
  const rows: StatRow[] = [];
  for (let b = 0; b < 3; b++) {
    for (let s = 0; s < 4; s++)
      rows.push({
        pxname: `be_${b}`,
        svname: `srv${s}`,
        type: STAT_TYPE.server,
        status: statusOf(b, s),
        sid: s + 1,
        scur: s,
      });
    rows.push({ pxname: `be_${b}`, svname: "BACKEND", type: STAT_TYPE.backend, status: "UP", scur: b });
  }
  return buildSnapshot({ Pid: 1 }, rows, 0, null);
}

const expanded = new Set(["be/be_0", "be/be_1", "be/be_2"]);
const trouble = { column: backendTroubleColumn, descending: true };
const serversOf = (rows: BackendRow[], backend: string) =>
  rows.filter((r) => r.kind === "server" && r.backend === backend);

/** The same row objects, in the same order. */
function expectSame(a: BackendRow[], b: BackendRow[]): void {
  expect(a).toHaveLength(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBe(b[i]);
}

describe("buildBackendRows' per-backend cache", () => {
  const s1 = snapshot(() => "UP");
  const full = new Map<string, Rates>(
    s1.backends.flatMap((b) => b.servers.map((sv) => [sv.key, rates({ http5xxPerSec: sv.sid })] as const)),
  );
  const first = buildBackendRows(stateWith({ snapshot: s1, rates: full }), { expanded, sort: trouble });

  // A scoped poll fetched be_1 again (srv2 went DOWN), be_0 and be_2 were carried over.
  const fetched = snapshot((b, s) => (b === 1 && s === 2 ? "DOWN" : "UP"));
  const s2: Snapshot = { ...s1, backends: s1.backends.map((b, i) => (i === 1 ? fetched.backends[1]! : b)) };
  const layered = LayeredRates.over(full);
  for (const sv of fetched.backends[1]!.servers) layered.set(sv.key, rates({}));
  const second = buildBackendRows(stateWith({ snapshot: s2, rates: layered }), { expanded, sort: trouble });

  it("reuses the rows of carried server lists, the very objects", () => {
    expect(serversOf(second, "be_0")).toHaveLength(4);
    expectSame(serversOf(second, "be_0"), serversOf(first, "be_0"));
    expectSame(serversOf(second, "be_2"), serversOf(first, "be_2"));
  });

  it("builds and sorts the fetched list again", () => {
    const be1 = serversOf(second, "be_1");
    expect(be1[0]!.entry.name).toBe("srv2"); // DOWN first
    expect(be1.every((r) => r.rates.http5xxPerSec === null)).toBe(true);
    expect(be1.every((r, i) => r !== serversOf(first, "be_1")[i])).toBe(true);
  });

  it("builds again when the rates' base changes (a reload: carried servers lose their rates)", () => {
    const reloaded = buildBackendRows(stateWith({ snapshot: s2, rates: new Map() }), {
      expanded,
      sort: trouble,
    });
    const be0 = serversOf(reloaded, "be_0");
    expect(be0[0]).not.toBe(serversOf(second, "be_0")[0]);
    expect(be0.every((r) => r.rates.http5xxPerSec === null)).toBe(true);
  });

  it("builds again for another sort, and never caches a filtered list", () => {
    const state = stateWith({ snapshot: s2, rates: layered });
    const ascending = buildBackendRows(state, {
      expanded,
      sort: { column: backendTroubleColumn, descending: false },
    });
    expect(serversOf(ascending, "be_0").map((r) => r.entry.name)).toEqual(["srv0", "srv1", "srv2", "srv3"]);
    expect(serversOf(second, "be_0").map((r) => r.entry.name)).toEqual(["srv3", "srv2", "srv1", "srv0"]);
    const filtered = buildBackendRows(state, { expanded, sort: trouble, filter: compileFilter("srv1") });
    expect(filtered.filter((r) => r.kind === "server").map((r) => r.key)).toEqual([
      "sv/be_1/srv1",
      "sv/be_0/srv1",
      "sv/be_2/srv1",
    ]);
    // One sort is cached per list: back to the first sort builds once, then reuses.
    const again = buildBackendRows(state, { expanded, sort: trouble });
    expect(serversOf(again, "be_0")).toEqual(serversOf(second, "be_0"));
    const reused = buildBackendRows(state, { expanded, sort: trouble });
    expectSame(serversOf(reused, "be_0"), serversOf(again, "be_0"));
  });
});
