/**
 * Maps and ACLs through the action controller, on a real HAProxy of every release: the lab
 * (test/helpers/mapLab.ts) denies a source found in a map (`src,map_ip(block.map) -m found`) or in
 * an ACL file (`src -f blocked.acl`). Adding a source through haptop's plan makes its next request
 * get 403 while other sources still get 200; deleting it brings 200 back; every change is verified
 * by reading the entries back. Also: escaping on the real CLI, refusals that send nothing, a stale
 * reference, and the level HAProxy really asks for (user).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createController } from "../../../src/actions/controller.js";
import { runMapChange } from "../../../src/actions/controllerMaps.js";
import { buildMapChange } from "../../../src/actions/mapCommands.js";
import type {
  ActionController,
  ActionPlan,
  MapRef,
  Selection,
  ValuePrompt,
} from "../../../src/actions/plan.js";
import { request, runCommand } from "../../../src/client/socket.js";
import type { Target } from "../../../src/client/target.js";
import { type MapEntries, parseMapLookup } from "../../../src/parse/map.js";
import { pollOnce } from "../../../src/store/poll.js";
import { Poller } from "../../../src/store/poller.js";
import { entriesQuery, MAP_LIST_QUERY, type MapLists } from "../../../src/ui/panels/maps.js";
import { killAllStarted, waitFor } from "../../helpers/haproxy.js";
import { MapLab, mapsGet } from "../../helpers/mapLab.js";
import { describeEachRelease } from "../../helpers/matrix.js";

afterAll(() => killAllStarted());

function asPlan(p: unknown): ActionPlan {
  expect(p, JSON.stringify(p)).toHaveProperty("run");
  return p as ActionPlan;
}
function asPrompt(p: unknown): ValuePrompt {
  expect(p, JSON.stringify(p)).toHaveProperty("submit");
  return p as ValuePrompt;
}

describeEachRelease("maps and ACLs: add, set, delete through haptop", (release) => {
  const lab = new MapLab({ release });
  let poller: Poller;
  let admin: Target;
  let controller: ActionController;
  let block: MapRef;
  let acl: MapRef;
  let hdr: MapRef;

  const entries = async (ref: MapRef): Promise<MapEntries> => {
    const q = entriesQuery(ref, null);
    return q.parse(await request(admin, q.commands)) as MapEntries;
  };
  /** Plans "add" on the map, types `text` into its prompt, and returns the confirmed plan. */
  const planAdd = async (map: MapRef, text: string) => {
    const prompt = asPrompt(await controller.plan("map-add", { kind: "map", map }));
    return prompt.submit(text);
  };
  const entrySel = async (map: MapRef, key: string): Promise<Selection> => {
    const e = (await entries(map)).entries.find((x) => x.key === key);
    if (!e) throw new Error(`no ${key} in ${map.type} #${map.id}`);
    return { kind: "map-entry", map, entryId: e.ref, key: e.key, value: e.value };
  };

  beforeAll(async () => {
    await lab.start();
    admin = { kind: "unix", path: lab.adminSock };
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: 1000,
      fetch: (d, withLevel) => pollOnce(admin, d, withLevel),
    });
    poller.start();
    await waitFor(() => poller.store.getSnapshot().level === "admin", 10_000, "first poll");
    // app1's first health check: until then be_app answers 503.
    await waitFor(async () => (await mapsGet(lab)) === 200, 10_000, "fe_maps answering 200");
    controller = createController(admin, { timeout: 2 }, poller);
    const lists = MAP_LIST_QUERY.parse(await request(admin, MAP_LIST_QUERY.commands)) as MapLists;
    const ref = (l: MapLists["maps"], name: string): MapRef => {
      const m = l.find((x) => x.file.endsWith(`/${name}`));
      if (!m) throw new Error(`no ${name}`);
      return { type: m.type, id: m.id, file: m.file };
    };
    block = ref(lists.maps, "block.map");
    hdr = ref(lists.maps, "hdr.map");
    acl = ref(lists.acls, "blocked.acl");
  });

  afterAll(async () => {
    poller?.stop();
    await lab.stop();
  });

  it("a source added to the deny map gets 403, others 200; set changes its value; delete brings 200 back", async () => {
    expect(await mapsGet(lab, "127.0.0.2")).toBe(200);
    expect(await mapsGet(lab, "127.0.0.4")).toBe(200);

    const plan = asPlan(await planAdd(block, "127.0.0.2 blocked-by-haptop"));
    expect(plan.commands).toEqual([`add map #${block.id} 127.0.0.2 blocked-by-haptop`]);
    expect(await mapsGet(lab, "127.0.0.2")).toBe(200); // nothing sent before the confirmation
    const added = await plan.run(() => {});
    expect(added).toEqual({
      ok: true,
      message: expect.stringMatching(
        new RegExp(
          `^add map #${block.id} 127\\.0\\.0\\.2 blocked-by-haptop: verified: 127\\.0\\.0\\.2 blocked-by-haptop is in map #${block.id} \\(entry 0x[0-9a-f]+\\)$`,
        ),
      ),
    });
    expect(await mapsGet(lab, "127.0.0.2")).toBe(403);
    expect(await mapsGet(lab, "127.0.0.4")).toBe(200);
    const ev = poller.store.getSnapshot().events.find((e) => e.kind === "action");
    expect(ev).toMatchObject({
      ok: true,
      command: expect.stringContaining(`add map #${block.id} 127.0.0.2`),
    });

    const sel = await entrySel(block, "127.0.0.2");
    const setPrompt = asPrompt(await controller.plan("map-set", sel));
    expect(setPrompt.current).toBe("blocked-by-haptop");
    const setPlan = asPlan(await setPrompt.submit("now with spaces; and a \\"));
    expect(setPlan.commands).toEqual([
      `set map #${block.id} #${sel.kind === "map-entry" ? sel.entryId : ""} now\\ with\\ spaces\\;\\ and\\ a\\ \\\\`,
    ]);
    const set = await setPlan.run(() => {});
    expect(set.ok, set.message).toBe(true);
    expect(set.message).toMatch(/verified: 127\.0\.0\.2 → now with spaces; and a \\ in map/);
    const got = await runCommand(admin, `get map #${block.id} 127.0.0.2`);
    expect(got).toContain('value="now with spaces; and a \\"');
    expect(parseMapLookup(got)).toEqual({
      found: true,
      key: "127.0.0.2",
      value: "now with spaces; and a \\",
    });

    const delPlan = asPlan(await controller.plan("map-del", sel));
    expect(delPlan.commands).toEqual([
      `del map #${block.id} #${sel.kind === "map-entry" ? sel.entryId : ""}`,
    ]);
    const del = await delPlan.run(() => {});
    expect(del.ok, del.message).toBe(true);
    expect(del.message).toMatch(/verified: entry 0x[0-9a-f]+ \(127\.0\.0\.2\) is gone from map/);
    expect(await mapsGet(lab, "127.0.0.2")).toBe(200);
    // The entries from the file are untouched.
    expect((await entries(block)).entries.map((e) => e.key)).toEqual(["10.77.0.1", "10.77.0.0/16"]);
  });

  it("a source added to the deny ACL gets 403; deleting it brings 200 back", async () => {
    expect(await mapsGet(lab, "127.0.0.3")).toBe(200);
    const plan = asPlan(await planAdd(acl, "127.0.0.3"));
    expect(plan.commands).toEqual([`add acl #${acl.id} 127.0.0.3`]);
    const r = await plan.run(() => {});
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toMatch(/verified: 127\.0\.0\.3 is in acl/);
    expect(await mapsGet(lab, "127.0.0.3")).toBe(403);
    expect(await mapsGet(lab, "127.0.0.5")).toBe(200);
    const del = await asPlan(await controller.plan("map-del", await entrySel(acl, "127.0.0.3"))).run(
      () => {},
    );
    expect(del.ok, del.message).toBe(true);
    expect(await mapsGet(lab, "127.0.0.3")).toBe(200);
  });

  it("a key with `;` and `\\` reaches HAProxy as typed: the header with that value is denied", async () => {
    const key = "semi;colon\\back";
    expect(await mapsGet(lab, "127.0.0.1", { "x-client": key })).toBe(200);
    const plan = asPlan(await planAdd(hdr, `${key} a value; with spaces`));
    expect(plan.commands).toEqual([`add map #${hdr.id} semi\\;colon\\\\back a\\ value\\;\\ with\\ spaces`]);
    const r = await plan.run(() => {});
    expect(r.ok, r.message).toBe(true);
    expect(await mapsGet(lab, "127.0.0.1", { "x-client": key })).toBe(403);
    expect(await mapsGet(lab, "127.0.0.1", { "x-client": "semi" })).toBe(200);
  });

  it("what cannot be sent is refused with the reason, and nothing is sent", async () => {
    const before = (await entries(hdr)).total;
    expect(await planAdd(hdr, "k v\u0007")).toEqual({
      error: expect.stringMatching(/control character \(\\x07\)/),
    });
    expect(await planAdd(hdr, "k x<<")).toEqual({ error: expect.stringMatching(/payload/) });
    expect(await planAdd(hdr, "lonely")).toEqual({ error: "type the key, a space, then the value" });
    expect((await entries(hdr)).total).toBe(before);
    // Delete and set need an entry; set needs a map.
    expect(await controller.plan("map-del", { kind: "map", map: hdr })).toEqual({
      error: expect.stringMatching(/select an entry/),
    });
    const aclEntry = await entrySel(acl, "10.66.0.1");
    expect(await controller.plan("map-set", aclEntry)).toEqual({
      error: expect.stringMatching(/ACL pattern has no value/),
    });
  });

  it("a stale reference (the entry already deleted elsewhere): HAProxy's answer, not ok", async () => {
    await runCommand(admin, `add map #${hdr.id} stale v`);
    const sel = await entrySel(hdr, "stale");
    const plan = asPlan(await controller.plan("map-del", sel));
    await runCommand(admin, `del map #${hdr.id} stale`);
    const r = await plan.run(() => {});
    expect(r).toEqual({
      ok: false,
      message: expect.stringMatching(/^del map #\d+ #0x[0-9a-f]+: Key not found\.$/),
    });
  });

  it("a read-back too large to read: the change is accepted and said so, never an error", async () => {
    const change = { kind: "add", map: hdr, key: "big-map", value: "v" } as const;
    const opts = { level: "admin" as const, readOnly: false, timeoutMs: 2000, maxBytes: 40 };
    const r = await runMapChange(admin, change, buildMapChange(change), opts);
    expect(r).toMatchObject({
      ok: false,
      message: expect.stringMatching(/: accepted, but not verified: .*larger than 40 bytes/),
    });
    expect((await entries(hdr)).entries.some((e) => e.key === "big-map")).toBe(true);
  });

  it("HAProxy accepts map changes on a user-level socket (the level policy.ts asks for)", async () => {
    const user: Target = { kind: "unix", path: lab.userSock };
    const change = { kind: "add", map: hdr, key: "from-user", value: "v" } as const;
    const r = await runMapChange(user, change, buildMapChange(change), {
      level: "user",
      readOnly: false,
      timeoutMs: 2000,
    });
    expect(r.ok, r.message).toBe(true);
    // …and haptop's read-only mode refuses it before sending anything.
    const ro = createController(admin, { timeout: 2, readOnly: true }, poller);
    expect(await ro.plan("map-add", { kind: "map", map: hdr })).toEqual({ error: "read-only mode" });
    const refused = await runMapChange(user, change, buildMapChange(change), {
      level: "user",
      readOnly: true,
      timeoutMs: 2000,
    });
    expect(refused).toMatchObject({ ok: false, refused: "read-only", commands: [] });
  });
});
