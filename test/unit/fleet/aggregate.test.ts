import { describe, expect, it } from "vitest";
import { buildSnapshot } from "../../../src/model/snapshot.js";
import { STAT_TYPE, type StatRow } from "../../../src/parse/stat.js";
import { initialState, type MonitorState } from "../../../src/store/state.js";
import { aggregateColumns, aggregateRows } from "../../../src/ui/fleet/aggregate.js";
import { MATCH_ALL } from "../../../src/ui/views/filter.js";

const row = (pxname: string, svname: string, type: number, status = "UP"): StatRow => ({
  pxname,
  svname,
  type,
  status,
});

/** One target's state: be_app with app1 (status given), or only the backend (the skeleton poll). */
function target(name: string, over: Partial<MonitorState>, app1?: string) {
  const rows = [row("be_app", "BACKEND", STAT_TYPE.backend)];
  if (app1) rows.unshift(row("be_app", "app1", STAT_TYPE.server, app1));
  const state = { ...initialState(name, 1000), link: "ok" as const, ...over };
  state.snapshot = buildSnapshot({ Pid: 1 }, rows, 0, "admin");
  return { name, state };
}

const app1 = (rows: ReturnType<typeof aggregateRows>) => rows.find((r) => r.name === "be_app/app1")!;

describe("backends side by side", () => {
  it("marks a server whose status differs between load balancers that answer", () => {
    const rows = aggregateRows([target("lb1", {}, "UP"), target("lb2", {}, "DOWN")], MATCH_ALL);
    expect(app1(rows)).toMatchObject({ statuses: ["UP", "DOWN"], differs: true });
  });

  it("a target whose servers are not polled yet is not a difference, and reads … not —", () => {
    const loading = target("lb2", { serversPending: true });
    const rows = aggregateRows([target("lb1", {}, "UP"), loading], MATCH_ALL);
    expect(app1(rows)).toMatchObject({ statuses: ["UP", null], differs: false });
    const [, , , lb2] = aggregateColumns([
      { name: "lb1", stale: false },
      { name: "lb2", stale: false, loading: true },
    ]);
    expect(lb2!.cell(app1(rows))).toEqual({ text: "…", tone: "dim" });
    // Once the servers are known, a server missing on one load balancer is a difference.
    const known = aggregateRows([target("lb1", {}, "UP"), target("lb2", {})], MATCH_ALL);
    expect(app1(known)).toMatchObject({ statuses: ["UP", null], differs: true });
  });

  it("a target not answering keeps its last statuses, marked ?, and is not compared", () => {
    const rows = aggregateRows(
      [target("lb1", {}, "UP"), target("lb2", { link: "disconnected" }, "DOWN")],
      MATCH_ALL,
    );
    expect(app1(rows)).toMatchObject({ statuses: ["UP", "DOWN"], differs: false });
    const columns = aggregateColumns([
      { name: "lb1", stale: false },
      { name: "lb2", stale: true },
    ]);
    expect(columns[3]!.title).toBe("✗ lb2");
    expect(columns[3]!.cell(app1(rows))).toEqual({ text: "DOWN?", tone: "dim" });
  });
});
