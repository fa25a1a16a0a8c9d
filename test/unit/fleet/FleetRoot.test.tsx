import { render } from "ink-testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SocketError } from "../../../src/client/errors.js";
import { SocketFleet } from "../../../src/store/fleet.js";
import type { PollResult } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";
import { FleetRoot, type Opened } from "../../../src/ui/fleet/FleetRoot.js";
import { cursorLine, KEYS, pollResult, press, recordingController } from "../ui/appHarness.js";
import { plain } from "../ui/components/frame.js";

// Styles on before Ink reads colour support, so the cursor row's inverse shows (as appHarness does).
vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

/** Three socket targets on fixtures: lb2 cannot be reached, lb3 has app1 DOWN where lb1 has it UP. */
function fleet() {
  const ok = pollResult("admin");
  const flipped = pollResult("admin", (rows) => {
    for (const r of rows) if (r.svname === "app1") r.status = "DOWN";
  });
  /** Targets made to stop answering by a test (refused from their next poll). */
  const failing = new Set<string>();
  const member = (name: string, fetch: () => Promise<PollResult>) => ({
    name,
    poller: new Poller({
      target: `/run/${name}.sock`,
      intervalMs: 60_000,
      fetch: async () => {
        if (failing.has(name))
          throw new SocketError("connection-refused", { kind: "unix", path: `/run/${name}.sock` }, "refused");
        return fetch();
      },
      adaptive: { skeletonFirst: false },
    }),
  });
  const members = [
    member("lb1", async () => ok),
    member("lb2", async () => {
      throw new SocketError(
        "connection-refused",
        { kind: "unix", path: "/run/lb2.sock" },
        "/run/lb2.sock: connection refused",
      );
    }),
    member("lb3", async () => flipped),
  ];
  return { members, failing, source: new SocketFleet(members) };
}

let stop: (() => void)[] = [];
afterEach(() => {
  for (const s of stop) s();
  stop = [];
});

async function mountFleet() {
  const { members, failing, source } = fleet();
  const rec = recordingController();
  const opened: string[] = [];
  const open = async (row: { name: string }): Promise<Opened> => {
    opened.push(row.name);
    const m = members.find((x) => x.name === row.name);
    return m
      ? { kind: "ui", name: m.name, poller: m.poller, controller: rec.controller }
      : { kind: "error", message: "no" };
  };
  const app = render(
    <FleetRoot
      source={source}
      members={members}
      open={open}
      color={false}
      readOnly={false}
      size={{ columns: 120, rows: 30 }}
    />,
  );
  source.start();
  stop.push(() => {
    source.stop();
    app.unmount();
  });
  // Every row known: lb2's refusal included (the order is final).
  await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/lb2\s+DISCONNECTED[\s\S]*lb3\s+UP/), {
    timeout: 3000,
  });
  return { app, opened, members, failing };
}

describe("fleet overview", () => {
  it("shows one row per target, the unreachable one first with its error", async () => {
    const { app } = await mountFleet();
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/lb2\s+DISCONNECTED/));
    const frame = plain(app.lastFrame());
    expect(frame).toMatch(/3 load balancers/);
    expect(frame).toMatch(/1 unreachable/);
    // Trouble first: lb2 (unreachable), then lb3 (a server DOWN more than lb1).
    const order = ["lb1", "lb2", "lb3"].map((n) => frame.search(new RegExp(`${n}\\s+(UP|DISCONNECTED)`)));
    expect(order[1]).toBeLessThan(order[2]!);
    expect(order[2]).toBeLessThan(order[0]!);
    expect(cursorLine(app.lastFrame())).toMatch(/lb2/);
    expect(frame).toMatch(/lb2: .*connection refused/);
  });

  it("shows the same backends side by side and marks a server that differs", async () => {
    const { app } = await mountFleet();
    await press(app.stdin, "2");
    // lb2 never answered: titled ✗ (not answering), no status.
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/BACKEND\/SERVER\s+≠\s+lb1\s+✗ lb2\s+lb3/));
    const line = plain(app.lastFrame())
      .split("\n")
      .find((l) => /^\s+app1\b/.test(l));
    expect(line).toMatch(/app1\s+≠\s+UP\s+—\s+DOWN/);
  });

  it("marks a target that stopped answering: its last known statuses with ?, not compared", async () => {
    const { app, members, failing } = await mountFleet();
    await press(app.stdin, "2");
    const row = (name: string) =>
      plain(app.lastFrame())
        .split("\n")
        .find((l) => new RegExp(`^\\s+${name}\\b`).test(l));
    await vi.waitFor(() => expect(row("app1")).toMatch(/app1\s+≠\s+UP\s+—\s+DOWN/));
    // lb3 (the one with app1 DOWN) stops answering: its column keeps what it last said, marked.
    failing.add("lb3");
    members[2]!.poller.refreshNow();
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/lb1\s+✗ lb2\s+✗ lb3/));
    // Only lb1 answers now: nothing to compare, so no ≠; lb3's DOWN shows as "DOWN?".
    expect(row("app1")).toMatch(/app1\s+UP\s+—\s+DOWN\?/);
    expect(row("app1")).not.toMatch(/≠/);
    expect(plain(app.lastFrame())).toMatch(/✗ not answering: last known status, marked \?/);
  });

  it("opens a target in the full UI with Enter, and 0 comes back", async () => {
    const { app, opened } = await mountFleet();
    await press(app.stdin, KEYS.down); // from lb2 (first) to lb3
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/fe_main/));
    expect(opened).toEqual(["lb3"]);
    expect(plain(app.lastFrame())).toMatch(/0 fleet/); // the footer offers the way back
    await press(app.stdin, "0");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/haptop fleet/));
  });

  it("filters targets by name", async () => {
    const { app } = await mountFleet();
    await press(app.stdin, "/", "l", "b", "1", KEYS.enter);
    const frame = plain(app.lastFrame());
    expect(frame).toMatch(/lb1\s+UP/);
    expect(frame).not.toMatch(/lb3\s+UP/);
  });

  it("scrolls its help on a short terminal to the last key", async () => {
    const { members, source } = fleet();
    const app = render(
      <FleetRoot
        source={source}
        members={members}
        open={async () => ({ kind: "error", message: "no" })}
        color={false}
        readOnly={false}
        size={{ columns: 80, rows: 24 }}
      />,
    );
    source.start();
    stop.push(() => {
      source.stop();
      app.unmount();
    });
    await press(app.stdin, "?");
    expect(plain(app.lastFrame())).not.toMatch(/Reverse the order/);
    await press(app.stdin, "\u001b[F"); // End
    expect(plain(app.lastFrame())).toMatch(/Reverse the order/);
    await press(app.stdin, "q");
    expect(plain(app.lastFrame())).not.toMatch(/Reverse the order/);
  });
});
