import { describe, expect, it } from "vitest";
import { buildSnapshot, type Snapshot } from "../../../src/model/snapshot.js";
import type { StatRow } from "../../../src/parse/stat.js";
import { applyFailure, applyPoll, type PollOutcome } from "../../../src/store/apply.js";
import { statusSeverity } from "../../../src/store/events.js";
import { initialState, type MonitorState } from "../../../src/store/state.js";

/** Typed timeline events: each carries what happened as fields, set where it is created. */

const row = (svname: string, type: number, status: string): StatRow => ({
  pxname: "be_app",
  svname,
  type,
  iid: 2,
  stot: 0,
  status,
});

function snap(at: number, opts: { pid?: number; uptime?: number; app1?: string } = {}): Snapshot {
  const rows = [row("app1", 2, opts.app1 ?? "UP"), row("BACKEND", 1, "UP")];
  return buildSnapshot({ Pid: opts.pid ?? 100, Uptime_sec: opts.uptime ?? 3600 }, rows, at, null);
}

const poll = (snapshot: Snapshot): PollOutcome => ({
  result: { snapshot, level: "admin" },
  kind: "full",
  scope: undefined,
  askedLevel: true,
});

const start = (): MonitorState => applyPoll(initialState("/x", 1000), poll(snap(0))).state;

describe("timeline events carry structured fields", () => {
  it("a state change: the entry's name, the statuses before and after, and how bad it is", () => {
    const { events } = applyPoll(start(), poll(snap(2000, { app1: "DOWN" })));
    expect(events).toEqual([
      {
        at: 2000,
        kind: "state",
        name: "be_app/app1",
        from: "UP",
        to: "DOWN",
        severity: "bad",
        text: "be_app/app1 UP → DOWN",
      },
    ]);
  });

  it("grades a status reached: DOWN and MAINT bad, UP good, anything between a warning", () => {
    expect(["DOWN", "DOWN 1/2", "MAINT", "MAINT (via be/x)"].map(statusSeverity)).toEqual([
      "bad",
      "bad",
      "bad",
      "bad",
    ]);
    expect(["UP", "UP 1/3"].map(statusSeverity)).toEqual(["good", "good"]);
    expect(["NOLB", "DRAIN", "no check"].map(statusSeverity)).toEqual(["warn", "warn", "warn"]);
  });

  it("a new pid: the pids and the cause, a restart when the uptime restarted", () => {
    const restarted = applyPoll(start(), poll(snap(2000, { pid: 200, uptime: 1 }))).events;
    expect(restarted).toEqual([
      expect.objectContaining({ kind: "pid", pid: { from: 100, to: 200 }, cause: "restart" }),
    ]);
    const reloaded = applyPoll(start(), poll(snap(2000, { pid: 200, uptime: 3602 }))).events;
    expect(reloaded).toEqual([
      expect.objectContaining({ kind: "pid", pid: { from: 100, to: 200 }, cause: "reload" }),
    ]);
  });

  it("the link: lost with its error, back with the error it clears", () => {
    const lost = applyFailure(start(), new Error("connect ECONNREFUSED"), 3000, 1000);
    expect(lost.events).toEqual([
      expect.objectContaining({ kind: "link", up: false, error: expect.stringMatching(/ECONNREFUSED/) }),
    ]);
    const back = applyPoll(lost.state, poll(snap(4000))).events;
    expect(back).toEqual([
      expect.objectContaining({ kind: "link", up: true, error: expect.stringMatching(/ECONNREFUSED/) }),
    ]);
  });
});
