/**
 * The whole App on view 9 (fake poll, master `show proc` from a captured reply): Enter on the old
 * worker retargets the poller to it and the header says "VIA MASTER @!<pid>"; `b` goes back; Enter
 * elsewhere and `b` when not watching change nothing.
 */
import { readFileSync } from "node:fs";
import { render } from "ink-testing-library";
import { afterEach, expect, it, vi } from "vitest";
import { parseShowProc } from "../../../src/parse/proc.js";
import { Poller } from "../../../src/store/poller.js";
import { App } from "../../../src/ui/App.js";
import { cursorTo, KEYS, pollResult, press, recordingController } from "./appHarness.js";
import { plain } from "./components/frame.js";

// Styles on (as in appHarness.tsx), before Ink loads: the cursor row is found by its inverse.
vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const draining = readFileSync(
  new URL("../../fixtures/haproxy-3.2.0/master-show-proc-draining.txt", import.meta.url),
  "latin1",
);
const proc = parseShowProc(draining);
const oldPid = proc.oldWorkers[0]!.pid;

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

async function mountProcess() {
  const calls: (number | null)[] = [];
  const poller = new Poller({
    target: "/run/x.sock",
    intervalMs: 60_000,
    fetch: async () => pollResult("admin"),
    fetchExtra: async (q) =>
      q.to === "master" ? { ok: true, value: q.parse([draining]) } : { ok: false, error: "not in this test" },
    retarget: (pid) => {
      calls.push(pid);
      return {
        target: pid === null ? "/run/x.sock" : `/tmp/m.sock @!${pid}`,
        via: pid === null ? null : { pid, master: "/tmp/m.sock", home: "/run/x.sock" },
      };
    },
  });
  const app = render(
    <App
      poller={poller}
      controller={recordingController().controller}
      color={false}
      readOnly={false}
      size={{ columns: 140, rows: 40 }}
      clockMs={60_000}
    />,
  );
  poller.start();
  cleanup = () => {
    poller.stop();
    app.unmount();
  };
  await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/fe_main/));
  await press(app.stdin, "9");
  await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(new RegExp(`old worker ${oldPid}`)));
  return { app, poller, calls };
}

it("Enter on the old worker watches it through the master; b comes back", async () => {
  const { app, calls } = await mountProcess();
  await cursorTo(app, new RegExp(`old worker ${oldPid}`));
  expect(plain(app.lastFrame())).toMatch(/Enter watch worker/);
  await press(app.stdin, KEYS.enter);
  expect(calls).toEqual([oldPid]);
  await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(new RegExp(`VIA MASTER @!${oldPid}`)));
  const frame = plain(app.lastFrame());
  expect(frame).toMatch(new RegExp(`/tmp/m\\.sock @!${oldPid}`));
  expect(frame).toMatch(new RegExp(`old worker ${oldPid} ◀ watched`));
  await press(app.stdin, "b");
  expect(calls).toEqual([oldPid, null]);
  await vi.waitFor(() => expect(plain(app.lastFrame())).not.toMatch(/VIA MASTER/));
});

it("Enter on the master or a show info row, and b when not watching, do not retarget", async () => {
  const { app, calls } = await mountProcess();
  await cursorTo(app, /master \d+/);
  await press(app.stdin, KEYS.enter);
  await cursorTo(app, /Pid\s/);
  await press(app.stdin, KEYS.enter);
  await press(app.stdin, "b");
  expect(calls).toEqual([]);
  expect(plain(app.lastFrame())).toMatch(/not watching a worker/);
});
