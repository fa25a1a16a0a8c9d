import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../../src/model/snapshot.js";
import { pidChangeKind } from "../../../src/store/events.js";
import type { TimelineEvent } from "../../../src/store/state.js";

const snap = (pid: number, uptime: number, takenAt: number) =>
  ({
    takenAt,
    info: { Pid: pid, Uptime_sec: uptime },
    frontends: [],
    backends: [],
    listeners: [],
    level: null,
  }) as unknown as Snapshot;

describe("a new pid: reload or restart", () => {
  const prev = snap(100, 3600, 1_000_000);
  const fresh = snap(200, 1, 1_002_000); // started after the previous poll
  const reloadEvent: TimelineEvent = {
    at: 1_001_500,
    kind: "reload",
    step: "finished",
    text: "reloaded (expose-fd): pid 100 → 200",
    ok: true,
  };

  it("is a restart when haptop did not reload and the uptime restarted", () => {
    expect(pidChangeKind(prev, fresh, [])).toBe("restart");
  });

  it("is a reload when haptop reloaded it, even if the poll sees the new pid first", () => {
    expect(pidChangeKind(prev, fresh, [reloadEvent])).toBe("reload");
    expect(pidChangeKind(prev, fresh, [{ ...reloadEvent, at: fresh.takenAt + 2000 }])).toBe("reload");
    // An old reload of haptop's does not explain a new pid minutes later.
    expect(pidChangeKind(prev, fresh, [{ ...reloadEvent, at: fresh.takenAt - 120_000 }])).toBe("restart");
  });

  it("is a reload when the uptime did not restart (a master's worker keeps the process's age)", () => {
    expect(pidChangeKind(prev, snap(200, 3602, 1_002_000), [])).toBe("reload");
  });
});
