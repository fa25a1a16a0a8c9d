import { Text } from "ink";
import { render } from "ink-testing-library";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { QUIET_FACTOR, useClock } from "../../../src/ui/appParts.js";

// Timers and Date are fake; React's scheduler keeps the real setImmediate it captured at load, on
// which it runs effects: `settle` lets those run.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

/** A component that, like the App, renders on each poll (its own state) and reads the clock. */
function mountProbe(clockMs: number) {
  const probe: { renders: number; poll: (n: number) => void } = { renders: 0, poll: () => undefined };
  function Probe() {
    const [poll, setPoll] = useState(0);
    probe.poll = setPoll;
    const now = useClock(clockMs);
    probe.renders++;
    return <Text>{`poll ${poll} drawn at ${now}`}</Text>;
  }
  const app = render(<Probe />);
  return { app, probe };
}

describe("useClock: no frame of its own while polls keep drawing", () => {
  it("draws only the polls' frames when a poll comes every interval, each with the time it was drawn", async () => {
    const { app, probe } = mountProbe(1000);
    await settle();
    // Polls out of phase with the mount, as they are with a clock started at launch (React would
    // batch a poll and a clock tick that land at the same instant into one render).
    await vi.advanceTimersByTimeAsync(250);
    await settle();
    const start = probe.renders;
    for (let i = 1; i <= 10; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      await settle();
      probe.poll(i);
      await settle();
      expect(app.lastFrame()).toBe(`poll ${i} drawn at ${Date.now()}`);
    }
    // Ten polls, ten renders: the old 1 s interval clock drew ten more frames in between.
    expect(probe.renders - start).toBe(10);
    app.unmount();
  });

  it("draws after 1.5 intervals without a frame (a late poll), then every interval", async () => {
    const { app, probe } = mountProbe(1000);
    await settle();
    const start = probe.renders;
    await vi.advanceTimersByTimeAsync(1000 * QUIET_FACTOR - 1);
    await settle();
    expect(probe.renders).toBe(start);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(probe.renders).toBe(start + 1);
    expect(app.lastFrame()).toBe(`poll 0 drawn at ${Date.now()}`);
    for (let i = 2; i <= 4; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      await settle();
      expect(probe.renders).toBe(start + i);
    }
    // A poll draws, and the clock waits 1.5 intervals again.
    probe.poll(1);
    await settle();
    const afterPoll = probe.renders;
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(probe.renders).toBe(afterPoll);
    app.unmount();
  });
});
