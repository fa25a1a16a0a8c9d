/**
 * View 7 inside the whole App (ink-testing-library), its extra queries answered with HAProxy 3.2's
 * captured replies: `7` lists the maps, Enter opens one, and `a` / `x` / `=` plan the map actions
 * with the selection by id and reference (a recording controller: nothing is sent); read-only mode
 * refuses them before planning.
 */
import { readFileSync } from "node:fs";
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExtraQuery } from "../../../../src/store/extras.js";
import { Poller } from "../../../../src/store/poller.js";
import { App } from "../../../../src/ui/App.js";
import { pollResult, press, recordingController } from "../appHarness.js";
import { plain } from "../components/frame.js";

const fixture = (file: string) =>
  readFileSync(new URL(`../../../fixtures/haproxy-3.2.0/${file}`, import.meta.url), "latin1").replace(
    /\n$/,
    "",
  );

const MAP_LIST = fixture("show-map.txt");
const BLOCK_ID = Number(
  MAP_LIST.split("\n")
    .find((l) => l.includes("/block.map)"))!
    .split(" ", 1)[0],
);
const REPLIES: Record<string, string> = {
  "show map": MAP_LIST,
  "show acl": fixture("show-acl.txt"),
  [`show map #${BLOCK_ID}`]: fixture("show-map-entries.txt"),
};

async function fetchExtra(q: ExtraQuery) {
  try {
    return { ok: true as const, value: await q.parse(q.commands.map((c) => REPLIES[c] ?? "")) };
  } catch (e) {
    return { ok: false as const, error: String(e) };
  }
}

let stop: (() => void) | null = null;
afterEach(() => stop?.());

async function mountMaps(readOnly = false) {
  const poller = new Poller({
    target: "/run/x.sock",
    intervalMs: 60_000,
    fetch: async () => pollResult("admin"),
    fetchExtra,
  });
  const rec = recordingController();
  const app = render(
    <App
      poller={poller}
      controller={rec.controller}
      color={false}
      readOnly={readOnly}
      size={{ columns: 120, rows: 40 }}
      clockMs={60_000}
    />,
  );
  poller.start();
  stop = () => {
    poller.stop();
    app.unmount();
  };
  await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/fe_main/));
  await press(app.stdin, "7");
  await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/^map\s+#\d+\s+\S*block\.map\s+2\b/m));
  return { ...app, ...rec };
}

describe("view 7 in the App", () => {
  it("Enter opens the first map; a, x and = plan on it by id and reference", async () => {
    const app = await mountMaps();
    expect(plain(app.lastFrame())).toMatch(/a add entry/);
    await press(app.stdin, "\r");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/^0x[0-9a-f]+\s+10\.77\.0\.1\s+abuse/m));
    expect(plain(app.lastFrame())).toMatch(/a add entry {2}x delete entry {2}= set value/);
    await press(app.stdin, "x");
    await vi.waitFor(() => expect(app.planned).toHaveLength(1));
    expect(app.planned[0]).toEqual({
      id: "map-del",
      sel: {
        kind: "map-entry",
        map: { type: "map", id: BLOCK_ID, file: expect.stringMatching(/\/block\.map$/) },
        entryId: expect.stringMatching(/^0x[0-9a-f]+$/),
        key: "10.77.0.1",
        value: "abuse",
      },
    });
    await press(app.stdin, "n", "=");
    await vi.waitFor(() => expect(app.planned.map((p) => p.id)).toEqual(["map-del", "map-set"]));
    await press(app.stdin, "n", "a");
    await vi.waitFor(() => expect(app.planned.map((p) => p.id)).toEqual(["map-del", "map-set", "map-add"]));
  });

  it("on the list, x and = do nothing (they need an entry); a plans on the map", async () => {
    const app = await mountMaps();
    await press(app.stdin, "x", "=");
    expect(app.planned).toEqual([]);
    await press(app.stdin, "a");
    await vi.waitFor(() => expect(app.planned).toHaveLength(1));
    expect(app.planned[0]!.sel).toMatchObject({ kind: "map", map: { type: "map", id: BLOCK_ID } });
  });

  it("--read-only: a says why, nothing is planned", async () => {
    const app = await mountMaps(true);
    await press(app.stdin, "a");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/add entry: read-only mode/));
    expect(app.planned).toEqual([]);
  });
});
