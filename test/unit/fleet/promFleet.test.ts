import { describe, expect, it, vi } from "vitest";
import { PromFleet } from "../../../src/store/fleet.js";

const ok = (result: unknown[]) => ({ status: "success", data: { resultType: "vector", result } });

describe("PromFleet", () => {
  it("asks the scrape interval again until Prometheus lists a target (a fresh Prometheus lists none)", async () => {
    let targetsAsked = 0;
    const fleet = new PromFleet({
      url: "http://prom",
      matchers: "",
      getJson: async (path) => {
        if (path.startsWith("/api/v1/targets")) {
          targetsAsked++;
          return { data: { activeTargets: targetsAsked < 2 ? [] : [{ scrapeInterval: "1s" }] } };
        }
        return ok(path.includes("up%7B") ? [{ metric: { instance: "lb1:8405" }, value: [0, "1"] }] : []);
      },
    });
    fleet.start();
    try {
      await vi.waitFor(() => expect(fleet.store.getSnapshot().intervalMs).toBe(1000), { timeout: 5000 });
      expect(targetsAsked).toBe(2);
      expect(fleet.store.getSnapshot().rows.map((r) => r.name)).toEqual(["lb1:8405"]);
    } finally {
      fleet.stop();
    }
  });

  it("keeps refreshing after Prometheus fails, showing why", async () => {
    let calls = 0;
    const fleet = new PromFleet({
      url: "http://prom",
      matchers: "",
      intervalMs: 50,
      getJson: async () => {
        calls++;
        throw new Error("connection refused");
      },
    });
    fleet.start();
    try {
      await vi.waitFor(() => expect(calls).toBeGreaterThan(22)); // two refreshes of 11 queries and more
      expect(fleet.store.getSnapshot()).toMatchObject({ link: "disconnected", error: "connection refused" });
    } finally {
      fleet.stop();
    }
  });
});
