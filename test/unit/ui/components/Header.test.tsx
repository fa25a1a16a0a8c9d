import { readFileSync } from "node:fs";
import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { buildSnapshot } from "../../../../src/model/snapshot.js";
import { parseInfo } from "../../../../src/parse/info.js";
import { initialState, type MonitorState } from "../../../../src/store/state.js";
import { age, HEADER_HEIGHT, Header } from "../../../../src/ui/components/Header.js";
import { hasColour, lines, plain, width } from "./frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const NOW = 1_800_000_000_000;
const TARGET = "/run/haproxy/admin.sock";
const INFO = parseInfo(
  readFileSync(new URL("../../../fixtures/haproxy-2.6/show-info.txt", import.meta.url), "utf8"),
);

function connected(over: Partial<MonitorState> = {}): MonitorState {
  return {
    ...initialState(TARGET, 1000),
    snapshot: buildSnapshot(INFO, [], NOW - 400, "admin"),
    level: "admin",
    link: "ok",
    lastOkAt: NOW - 400,
    history: [0, 2, 4, 6, 8, 10, 12, 14].map((v, i) => ({
      at: NOW - (8 - i) * 1000,
      connPerSec: v,
      sessPerSec: v / 2,
      reqPerSec: v === 14 ? 1234.5 : v,
      http5xxPerSec: v === 14 ? 0.5 : 0,
      errPerSec: 0,
    })),
    ...over,
  };
}

function header(state: MonitorState, opts: { width?: number; color?: boolean; readOnly?: boolean } = {}) {
  return render(
    <Header
      state={state}
      width={opts.width ?? 100}
      color={opts.color ?? true}
      now={NOW}
      readOnly={opts.readOnly ?? false}
    />,
  ).lastFrame();
}

describe("Header", () => {
  it("is four lines: identity, load, rates and status", () => {
    const out = lines(header(connected()));
    expect(HEADER_HEIGHT).toBe(4);
    expect(out).toHaveLength(4);
    expect(out[0]).toBe(`haptop  HAProxy 2.6.12-1+deb12u4  pid 2669  node vm  up 6s  ${TARGET} [admin]`);
    expect(out[1]).toMatch(/^conns ▏░+ 2\/9982 {2}idle 100% {2}runq 0 {2}tasks 22$/);
    expect(out[2]).toContain("conn/s ");
    expect(out[2]).toContain("▁▂▃▄▅▆▇█ 14");
    expect(out[2]).toMatch(/req\/s .*█ 1235/);
    expect(out[2]).toMatch(/^5xx\/s .* 0\.5 {2}err\/s 0 {2}conn\/s .* {2}req\/s .*█ 1235$/);
    expect(out[3]).toBe("updated 0.4s ago");
  });

  it("fills the connection gauge and colours it by load", () => {
    const info = { ...INFO, CurrConns: 9000, Maxconn: 10_000 };
    const frame = header(connected({ snapshot: buildSnapshot(info, [], NOW, "admin") }))!;
    expect(lines(frame)[1]).toContain("█");
    expect(lines(frame)[1]).toContain("9000/10.0k");
    expect(frame.split("\n")[1]).toContain("\u001b[33m█");
  });

  it("never cuts the socket level: a long target is cut in its middle instead", () => {
    const target = "/var/lib/haproxy/run/a-very-long-directory-name/for-the-admin/admin.sock";
    for (const w of [60, 80, 100]) {
      const line = lines(header(connected({ target }), { width: w }))[0]!;
      expect(line.endsWith("admin.sock [admin]"), line).toBe(true);
      expect(width(line)).toBeLessThanOrEqual(w);
      // Version, node and uptime go before the target is cut; then its middle goes.
      if (w < 90) expect(line).toMatch(/^haptop {2}(pid 2669 {2})?\/var\/lib\/.*….*\/admin\.sock \[admin\]$/);
    }
    // With room, nothing is cut and node and uptime are there.
    expect(lines(header(connected({ target }), { width: 160 }))[0]).toContain(`up 6s  ${target} [admin]`);
  });

  it("shows the fields of 2.8+ when present (MaxconnReached red when above 0) and nothing when absent", () => {
    const newer = { ...INFO, MaxconnReached: 3, TotalWarnings: 2, CurrStreams: 7, BootTime_ms: 96 };
    const frame = header(connected({ snapshot: buildSnapshot(newer, [], NOW, "admin") }), { width: 160 })!;
    const out = lines(frame);
    expect(out[0]).toContain("boot 96ms");
    expect(out[1]).toContain("maxconn reached 3×");
    expect(out[1]).toContain("streams 7");
    expect(out[1]).toContain("warnings 2");
    expect(frame.split("\n")[1]).toMatch(/\u001b\[31mmaxconn reached 3×/);
    // HAProxy 2.6 has none of them: not shown, not as "-".
    const old = lines(header(connected(), { width: 160 }));
    for (const word of ["boot", "maxconn reached", "streams", "warnings"])
      expect(old.join("\n")).not.toContain(word);
  });

  it("keeps 5xx/s and its share of requests at 80 columns; sess/s goes first", () => {
    const history = connected().history.map((h) => ({
      ...h,
      http5xxPerSec: 4,
      http5xxPct: 12.5,
      errPerSec: 1,
    }));
    const frame = header(connected({ history }), { width: 80 })!;
    const line = lines(frame)[2]!;
    expect(line).toMatch(/^5xx\/s .* 4 13% {2}err\/s 1 /);
    expect(line).toContain("req/s");
    expect(line).not.toContain("sess/s");
    expect(width(line)).toBeLessThanOrEqual(80);
    expect(frame.split("\n")[2]).toMatch(/\u001b\[31m.* 4/);
  });

  it("says it is connecting before the first snapshot", () => {
    const out = lines(header(initialState(TARGET, 1000)));
    expect(out).toHaveLength(4);
    expect(out[0]).toBe(`haptop  connecting to ${TARGET}…`);
    expect(out[3]).toBe("no data yet");
  });

  it("shows DISCONNECTED in red with the error and the retry countdown", () => {
    const state = connected({
      link: "disconnected",
      error: "connection refused",
      retryAt: NOW + 2_100,
      lastOkAt: NOW - 12_000,
    });
    const frame = header(state)!;
    expect(lines(frame)[3]).toBe("updated 12s ago   DISCONNECTED   retry in 3s · connection refused");
    expect(frame.split("\n")[3]).toMatch(/\u001b\[31m.*DISCONNECTED/);
    expect(lines(header({ ...state, retryAt: NOW - 1 }))[3]).toContain("retrying…");
  });

  it("shows PAUSED, STALE and READ-ONLY badges", () => {
    const out = lines(
      header(connected({ paused: true, link: "stale", error: "timeout" }), { readOnly: true }),
    );
    expect(out[3]).toContain(" PAUSED ");
    expect(out[3]).toContain(" STALE ");
    expect(out[3]).toContain("timeout");
    expect(out[3]).toContain(" READ-ONLY ");
    expect(out[3]).not.toContain("DISCONNECTED");
  });

  it("shows READ-ONLY for a user-level socket, and not otherwise", () => {
    expect(lines(header(connected({ level: "user" })))[3]).toContain("READ-ONLY");
    expect(lines(header(connected()))[3]).not.toContain("READ-ONLY");
  });

  it("notes a reload for 60 seconds", () => {
    const recent = connected({ pidChange: { from: 2669, to: 2701, at: NOW - 5_000 } });
    expect(lines(header(recent))[3]).toContain("reloaded: pid 2669 → 2701");
    const old = connected({ pidChange: { from: 2669, to: 2701, at: NOW - 61_000 } });
    expect(lines(header(old))[3]).not.toContain("reloaded");
  });

  it("sanitises everything that came from HAProxy", () => {
    const info = { ...INFO, node: "evil\u001b]0;pwned\u0007", Version: "2.6\u001b[2J" };
    const state = connected({
      target: "sock\u001b[H",
      snapshot: buildSnapshot(info, [], NOW, "admin"),
      link: "disconnected",
      error: "bad\u001b[31m reply",
    });
    const frame = plain(header(state));
    expect(frame).not.toContain("\u001b");
    expect(frame).not.toContain("\u0007");
    expect(frame).toContain("node evil\\x1b]0;pwned\\x07");
    expect(frame).toContain("HAProxy 2.6\\x1b[2J");
    expect(frame).toContain("sock\\x1b[H");
    expect(frame).toContain("bad\\x1b[31m reply");
  });

  it("truncates every line to the width", () => {
    const state = connected({
      paused: true,
      link: "disconnected",
      error: "x".repeat(200),
      retryAt: NOW + 5000,
    });
    const out = lines(header(state, { width: 50 }));
    expect(out).toHaveLength(4);
    for (const l of out) expect(width(l)).toBeLessThanOrEqual(50);
    expect(out[3]!.endsWith("…")).toBe(true);
  });

  it("keeps the badges and the retry countdown ahead of a long error", () => {
    const state = connected({ link: "disconnected", error: "y".repeat(200), retryAt: NOW + 5000 });
    const line = lines(header(state, { width: 60, readOnly: true }))[3]!;
    expect(line).toMatch(/^updated 0\.4s ago {3}DISCONNECTED {4}READ-ONLY {3}retry in 5s.*…$/);
    expect(width(line)).toBe(60);
  });

  it("emits no colour without colour", () => {
    const state = connected({ paused: true, link: "disconnected", error: "refused", retryAt: NOW + 1000 });
    const frame = header(state, { color: false, readOnly: true });
    expect(hasColour(frame)).toBe(false);
    expect(plain(frame)).toContain("DISCONNECTED");
  });
});

describe("age", () => {
  it("has a decimal below ten seconds, then a duration", () => {
    expect(age(400)).toBe("0.4s");
    expect(age(9_949)).toBe("9.9s");
    expect(age(75_000)).toBe("1m15s");
    expect(age(-5)).toBe("0.0s");
  });
});
