import { describe, expect, it } from "vitest";
import { ACTION_REQUIREMENTS, mayRun } from "../../../src/actions/policy.js";

const ctx = { level: "admin" as const, readOnly: false, reloadUnavailable: null };

describe("one policy: may this run here?", () => {
  it("refuses read-only first, then a known low level, then a reload that is not set up", () => {
    expect(mayRun(ACTION_REQUIREMENTS["set-weight"], { ...ctx, readOnly: true, level: "user" })).toEqual({
      reason: "read-only",
      message: "read-only mode",
    });
    expect(mayRun(ACTION_REQUIREMENTS["set-weight"], { ...ctx, level: "operator" })?.message).toBe(
      "needs admin level (socket is operator)",
    );
    expect(mayRun(ACTION_REQUIREMENTS["clear-counters"], { ...ctx, level: "operator" })).toBeNull();
    expect(
      mayRun(ACTION_REQUIREMENTS.reload, { ...ctx, reloadUnavailable: "no config found" })?.message,
    ).toBe("no config found");
    // A reload runs local processes: the stats socket's level does not matter.
    expect(mayRun(ACTION_REQUIREMENTS.reload, { ...ctx, level: "user" })).toBeNull();
    // Unknown level: HAProxy judges.
    expect(mayRun(ACTION_REQUIREMENTS["set-weight"], { ...ctx, level: null })).toBeNull();
    expect(mayRun({}, { ...ctx, readOnly: true, level: "user" })).toBeNull();
  });
});
