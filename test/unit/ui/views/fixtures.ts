import { readFileSync } from "node:fs";
import { NO_RATES, type Rates } from "../../../../src/model/rates.js";
import { buildSnapshot, type Snapshot } from "../../../../src/model/snapshot.js";
import { parseInfo } from "../../../../src/parse/info.js";
import { parseStat, type StatRow } from "../../../../src/parse/stat.js";
import { initialState, type MonitorState } from "../../../../src/store/state.js";

export const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/${name}`, import.meta.url), "utf8");

/** The real HAProxy 2.6 `show info` + `show stat` replies as a snapshot. */
export function fixtureSnapshot(): Snapshot {
  return buildSnapshot(
    parseInfo(fixture("haproxy-2.6/show-info.txt")),
    parseStat(fixture("haproxy-2.6/show-stat.txt")),
    1_000,
    null,
  );
}

export function stateWith(patch: Partial<MonitorState>): MonitorState {
  return { ...initialState("/run/haproxy.sock", 2000), ...patch };
}

export function rates(patch: Partial<Rates>): Rates {
  return { ...NO_RATES, ...patch };
}

/** A `show stat` row with the given fields (everything else absent). */
export function statRow(fields: StatRow): StatRow {
  return { ...fields };
}
