/**
 * The monitor's screen as the App lays it out (header, tab bar, the view's table and detail line)
 * at the sizes operators use: 80×24, 100×30 and 160×45, on a real HAProxy 3.2 reply.
 */
import { readFileSync } from "node:fs";
import { Box } from "ink";
import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { computeGlobalRates, computeRates } from "../../../../src/model/rates.js";
import { buildSnapshot, type Snapshot } from "../../../../src/model/snapshot.js";
import { parseInfo } from "../../../../src/parse/info.js";
import { parseStat, type StatRow } from "../../../../src/parse/stat.js";
import { initialState, type MonitorState } from "../../../../src/store/state.js";
import { Body } from "../../../../src/ui/Body.js";
import { HEADER_HEIGHT, Header } from "../../../../src/ui/components/Header.js";
import { TabBar } from "../../../../src/ui/TabBar.js";
import { initialUiState, viewModel } from "../../../../src/ui/viewModel.js";
import type { ViewId } from "../../../../src/ui/views/index.js";
import { lines, width as widthOf } from "./frame.js";

const read = (name: string) => readFileSync(new URL(`../../../fixtures/${name}`, import.meta.url), "utf8");
const INFO = parseInfo(read("haproxy-3.2.0/show-info.txt"));
const ROWS = parseStat(read("haproxy-3.2.0/show-stat.txt"));

/** The fixture one second later with 5xx and errors on fe_main and be_app. */
function later(rows: StatRow[]): StatRow[] {
  return rows.map((r) => {
    const add = (f: string, n: number) => (typeof r[f] === "number" ? (r[f] as number) + n : (r[f] ?? null));
    if (r.pxname === "fe_main" && r.svname === "FRONTEND")
      return { ...r, req_tot: add("req_tot", 20), hrsp_5xx: add("hrsp_5xx", 5), ereq: add("ereq", 2) };
    if (r.pxname === "be_app" && r.svname === "BACKEND")
      return { ...r, hrsp_5xx: add("hrsp_5xx", 5), req_tot: add("req_tot", 20) };
    return r;
  });
}

function monitor(): MonitorState {
  const target = "/run/haproxy/admin.sock";
  const a: Snapshot = buildSnapshot(INFO, ROWS, 10_000, "admin");
  const b: Snapshot = buildSnapshot(INFO, later(ROWS), 11_000, "admin");
  const g = computeGlobalRates(a, b);
  return {
    ...initialState(target, 1000),
    snapshot: b,
    level: "admin",
    link: "ok",
    lastOkAt: 11_000,
    rates: computeRates(a, b),
    history: [{ at: 11_000, ...g }],
  };
}

function screen(view: ViewId, columns: number, rows: number) {
  const state = monitor();
  const ui = { ...initialUiState(), view };
  // As the App: the root is rows - 1 tall; the status line and the footer take 2 lines.
  const height = rows - 1;
  const bodyHeight = height - HEADER_HEIGHT - 3;
  const vm = viewModel(state, ui, columns, bodyHeight);
  const frame = render(
    <Box flexDirection="column" width={columns} height={height - 2}>
      <Header state={state} width={columns} color={false} now={11_500} readOnly={false} />
      <TabBar
        view={view}
        width={columns}
        color={false}
        filter=""
        sortLabel={vm.sortLabel}
        extra={vm.tabExtra}
      />
      <Body
        vm={vm}
        cursorKey={vm.keys[0] ?? null}
        scrollTop={0}
        width={columns}
        height={bodyHeight}
        color={false}
      />
    </Box>,
  ).lastFrame();
  return lines(frame);
}

const SIZES = [
  [80, 24],
  [100, 30],
  [160, 45],
] as const;

describe.each(SIZES)("the screen at %i×%i", (columns, rows) => {
  for (const view of ["frontends", "backends"] as const) {
    it(`${view}: fits, keeps the socket level and the error rates`, () => {
      const out = screen(view, columns, rows);
      expect(out.length).toBeLessThanOrEqual(rows - 3);
      for (const l of out) expect(widthOf(l)).toBeLessThanOrEqual(columns);
      expect(out[0]).toMatch(/\/run\/haproxy\/admin\.sock \[admin\]/);
      expect(out[2]).toMatch(/^5xx\/s .* 5 25%/);
      expect(out[2]).toContain("err/s 2");
    });
  }

  it("frontends: trouble on top, with 5xx/s, 5xx % and errors/s", () => {
    const out = screen("frontends", columns, rows);
    const head = out[5]!;
    for (const t of ["FRONTEND", "STATUS", "SESSIONS", "5XX/S", "5XX%", "ERR/S", "REQ/S"])
      expect(head).toContain(t);
    expect(out[6]).toMatch(/^fe_main +OPEN .* 5 +25% +2/);
    expect(out[4]).toContain("sort trouble first");
    // The selected frontend's lifetime totals under the table.
    expect(out.at(-1)).toMatch(/^fe_main since start or clear: req \d+/);
  });

  it("backends: STATUS, ADMIN, CHECK, SESSIONS and LASTCHG always; the name column fits the names", () => {
    const out = screen("backends", columns, rows);
    const head = out[5]!;
    for (const t of ["NAME", "STATUS", "ADMIN", "CHECK", "SESSIONS", "LASTCHG"]) expect(head).toContain(t);
    // "  app_down" is the longest name: 10 cells, the title's minimum; the next column starts right after.
    expect(head).toMatch(/^NAME {7}STATUS/);
    // DOWN first (be_chk), then be_app with its 5xx/s.
    expect(out[6]).toMatch(/^▾ be_chk +DOWN /);
    const app = out.findIndex((l) => l.startsWith("▾ be_app"));
    expect(app).toBeGreaterThan(6);
    expect(out.find((l) => l.startsWith("  s_maint"))).toMatch(/^ {2}s_maint +- +MAINT/);
    expect(out.find((l) => l.startsWith("  s_drain"))).toMatch(
      /^ {2}s_drain +no check +DRAIN|^ {2}s_drain +UP +DRAIN/,
    );
    if (columns >= 160) for (const t of ["QUEUE", "SMAX", "ERR/S", "SESS/S"]) expect(head).toContain(t);
    if (columns === 80) expect(head).not.toContain("QUEUE");
  });
});
