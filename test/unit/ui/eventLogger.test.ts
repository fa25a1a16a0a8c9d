import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventLogger } from "../../../src/ui/run.js";

const dir = mkdtempSync(join(tmpdir(), "haptop-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DOWN = { name: "be/s1", from: "UP", to: "DOWN", severity: "bad" } as const;
const PID = { pid: { from: 1, to: 2 }, cause: "reload" } as const;

describe("--log", () => {
  it("appends each timeline event as one JSON line", () => {
    const file = join(dir, "events.jsonl");
    const log = eventLogger(file, () => {});
    log({
      at: Date.UTC(2026, 10, 24, 3, 0, 0),
      kind: "action",
      text: "max values cleared",
      command: "clear counters",
      reply: "",
      ok: true,
      durationMs: 3,
    });
    log({ at: Date.UTC(2026, 10, 24, 3, 0, 1), kind: "state", ...DOWN, text: "be/s1 UP → DOWN" });
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        at: "2026-11-24T03:00:00.000Z",
        kind: "action",
        text: "max values cleared",
        command: "clear counters",
        reply: "",
        ok: true,
        durationMs: 3,
      },
      // The keys --log always wrote, plus the event's structured fields.
      { at: "2026-11-24T03:00:01.000Z", kind: "state", ...DOWN, text: "be/s1 UP → DOWN" },
    ]);
  });

  it("reports an unwritable log once and keeps going", () => {
    const errors: string[] = [];
    const log = eventLogger(join(dir, "no", "such", "dir.jsonl"), (m) => errors.push(m));
    log({ at: 0, kind: "pid", ...PID, text: "a" });
    log({ at: 1, kind: "pid", ...PID, text: "b" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/--log .*dir\.jsonl/);
  });

  it("does nothing without a file", () => {
    expect(() => eventLogger(undefined, () => {})({ at: 0, kind: "pid", ...PID, text: "x" })).not.toThrow();
  });
});
