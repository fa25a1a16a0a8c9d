/**
 * The stick tables view on a real HAProxy of every release: a frontend tracks each source in
 * `st_src` (http_req_rate(10s), gpc0…) and an `x-user` header in the string table `st_user`
 * (test/helpers/tableLab.ts). Real requests from 127.0.0.1 and 127.0.0.2 (the client socket bound
 * to each loopback address); the poller runs the panel's queries as the TUI does, and the rows show
 * both sources with their request rates. A data filter is applied by HAProxy; clearing an entry
 * through the controller's plan removes it from the next poll; `set table` sets gpc0; hostile string
 * keys are escaped on the real CLI (or refused with the reason); levels and read-only mode refuse.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createController } from "../../src/actions/controller.js";
import type { ActionController, ActionPlan, Selection, ValuePrompt } from "../../src/actions/plan.js";
import { request, runCommand } from "../../src/client/socket.js";
import type { Target } from "../../src/client/target.js";
import { parseTableDump } from "../../src/parse/table.js";
import { fetchExtra, pollOnce } from "../../src/store/poll.js";
import { Poller } from "../../src/store/poller.js";
import { tablesPanel } from "../../src/ui/panels/tables.js";
import type { TablesRow } from "../../src/ui/panels/tablesColumns.js";
import { MAX_TABLE_ENTRIES } from "../../src/ui/panels/tablesQueries.js";
import { MATCH_ALL } from "../../src/ui/views/filter.js";
import { killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease } from "../helpers/matrix.js";
import { TableLab, trackGet, trackGets } from "../helpers/tableLab.js";

vi.setConfig({ hookTimeout: 60_000, testTimeout: 60_000 });

afterAll(() => killAllStarted());

function asPlan(p: unknown): ActionPlan {
  expect(p, JSON.stringify(p)).toHaveProperty("run");
  return p as ActionPlan;
}
function asPrompt(p: unknown): ValuePrompt {
  expect(p, JSON.stringify(p)).toHaveProperty("submit");
  return p as ValuePrompt;
}
const entryOf = (r: TablesRow) => (r.kind === "entry" ? r.entry : null);

/** A poller on `sock` running the tables panel's queries for the drill `drill()`, as the App does. */
function tablesPoller(sock: string, drill: () => string | null) {
  const target: Target = { kind: "unix", path: sock };
  const poller = new Poller({
    target: sock,
    intervalMs: 300,
    fetch: (d, withLevel) => pollOnce(target, d, withLevel),
    fetchExtra: (q) => fetchExtra(target, q),
  });
  const demand = () =>
    poller.setDemand({
      sessions: false,
      errors: false,
      extras: tablesPanel.queries({ state: poller.store.getSnapshot(), drill: drill() }),
    });
  const unsubscribe = poller.store.subscribe(demand);
  demand();
  poller.start();
  const build = () =>
    tablesPanel.build({ state: poller.store.getSnapshot(), drill: drill() }, MATCH_ALL, null);
  return {
    poller,
    build,
    stop: () => {
      unsubscribe();
      poller.stop();
    },
  };
}

/** The table lab plus `st_big`, filled through the CLI with more entries than the view reads. */
class BigTableLab extends TableLab {
  override config(): string {
    return `${super.config()}backend st_big
    stick-table type integer size 20000 expire 120s store gpc0
`;
  }
}
const BIG = MAX_TABLE_ENTRIES + 5;

describeEachRelease("stick tables view", (release) => {
  const lab = new BigTableLab({ release });
  let admin: Target;
  let drill: string | null = null;
  let view: ReturnType<typeof tablesPoller>;
  let controller: ActionController;

  /** The rows of the opened table once `ready` holds for them. */
  const rowsWhen = (what: string, ready: (rows: TablesRow[]) => boolean) =>
    waitFor(
      () => {
        const rows = view.build().rows;
        return ready(rows) ? rows : null;
      },
      15_000,
      what,
    );

  beforeAll(async () => {
    await lab.start();
    admin = { kind: "unix", path: lab.adminSock };
    // Until the first health checks (app1 UP, app_down DOWN) be_app may answer 503: wait for 3 in a row.
    await waitFor(
      async () => (await trackGets(lab.trackPort, "127.0.0.1", 3)) === 3,
      10_000,
      "fe_track answering 200",
    );
    await runCommand(admin, "clear table st_src");
    view = tablesPoller(lab.adminSock, () => drill);
    await waitFor(() => view.poller.store.getSnapshot().level === "admin", 10_000, "first poll");
    controller = createController(admin, { timeout: 2 }, view.poller);
  });

  afterAll(async () => {
    view?.stop();
    await lab.stop();
  });

  it("lists the tables with type, size and use", async () => {
    const rows = await rowsWhen("the table list", (r) => r.length === 4);
    expect(
      rows.map((r) => (r.kind === "table" ? `${r.table.name}:${r.table.type}:${r.table.size}` : "")).sort(),
    ).toEqual(["st_big:integer:20000", "st_empty:integer:10", "st_src:ip:102400", "st_user:string:1024"]);
  });

  it("requests from two sources: both keys with their request rates, highest first", async () => {
    expect(await trackGets(lab.trackPort, "127.0.0.1", 3)).toBe(3);
    expect(await trackGets(lab.trackPort, "127.0.0.2", 5)).toBe(5);
    drill = "st_src";
    const rows = await rowsWhen("both sources", (r) => r.filter(entryOf).length === 2);
    expect(rows.map((r) => entryOf(r)?.key)).toEqual(["127.0.0.2", "127.0.0.1"]);
    expect(rows.map((r) => entryOf(r)?.data.http_req_rate)).toEqual([5, 3]);
    expect(view.build().defaultSort).toEqual({ columnId: "data:conn_rate", descending: true });
  });

  it("a data filter is applied by HAProxy: only the busier source", async () => {
    drill = "st_src data.http_req_rate gt 3";
    const rows = await rowsWhen("the filtered dump", (r) => r.length === 1);
    expect(entryOf(rows[0]!)?.key).toBe("127.0.0.2");
    expect(view.build().note).toContain("HAProxy filter: data.http_req_rate gt 3");
    drill = "st_src";
    await rowsWhen("both again", (r) => r.length === 2);
  });

  it("set gpc0 through the prompt: the exact command, the value read back", async () => {
    const sel: Selection = { kind: "table-entry", table: "st_src", key: "127.0.0.1" };
    const prompt = asPrompt(await controller.plan("table-set-entry", sel));
    expect(prompt.current).toBe("gpt0=0 gpc0=0");
    expect(await prompt.submit("gpc0 x")).toEqual({ error: expect.stringMatching(/integer/) });
    const plan = asPlan(await prompt.submit("5"));
    expect(plan.commands).toEqual(["set table st_src key 127.0.0.1 data.gpc0 5"]);
    expect(await plan.run(() => {})).toEqual({ ok: true, message: "st_src: gpc0 now 5" });
    await rowsWhen("gpc0 at 5", (r) =>
      r.some((x) => entryOf(x)?.key === "127.0.0.1" && entryOf(x)?.data.gpc0 === 5),
    );
  });

  it("clearing one entry removes it from the next poll; the other stays", async () => {
    const plan = asPlan(
      await controller.plan("table-clear-entry", { kind: "table-entry", table: "st_src", key: "127.0.0.2" }),
    );
    expect(plan.commands).toEqual(["clear table st_src key 127.0.0.2"]);
    expect(await plan.run(() => {})).toEqual({ ok: true, message: "entry cleared from st_src" });
    const rows = await rowsWhen("127.0.0.2 gone", (r) => !r.some((x) => entryOf(x)?.key === "127.0.0.2"));
    expect(rows.map((r) => entryOf(r)?.key)).toEqual(["127.0.0.1"]);
  });

  it("hostile string keys: blanks, ';' and '\\' escaped on the real CLI; a tab refused with the reason", async () => {
    for (const user of ["bob smith", "semi;colon\\back", 'quote"d', "tab\there"])
      expect(await trackGet(lab.trackPort, "127.0.0.3", { "x-user": user })).toBe(200);
    drill = "st_user";
    await rowsWhen("4 users", (r) => r.length === 4);
    for (const key of ["bob smith", "semi;colon\\back", 'quote"d']) {
      const plan = asPlan(
        await controller.plan("table-clear-entry", { kind: "table-entry", table: "st_user", key }),
      );
      expect(await plan.run(() => {})).toMatchObject({ ok: true, message: "entry cleared from st_user" });
    }
    const left = await rowsWhen("only the tab key left", (r) => r.length === 1);
    expect(entryOf(left[0]!)?.key).toBe("tab\there");
    expect(
      await controller.plan("table-clear-entry", { kind: "table-entry", table: "st_user", key: "tab\there" }),
    ).toEqual({
      error: expect.stringMatching(/cannot be sent: it holds a control or non-ASCII byte/),
    });
    // Nothing was sent: it is still there.
    const [reply = ""] = await request(admin, ["show table st_user"]);
    expect(parseTableDump(reply).entries.map((e) => e.key)).toEqual(["tab\there"]);
  });

  it("a table bigger than the cap: not dumped without a data filter; with one, capped at 10,000", async () => {
    for (let i = 0; i < BIG; i += 250) {
      const cmds: string[] = [];
      for (let j = i; j < Math.min(BIG, i + 250); j++)
        cmds.push(`set table st_big key ${j} data.gpc0 ${j % 3}`);
      await request(admin, cmds, { timeoutMs: 10_000 });
    }
    drill = null;
    await rowsWhen("st_big full", (r) =>
      r.some((x) => x.kind === "table" && x.table.name === "st_big" && x.table.used === BIG),
    );
    drill = "st_big";
    const asked = await waitFor(
      () => (view.build().noteTone === "warn" ? view.build() : null),
      10_000,
      "the note",
    );
    expect(asked.note).toMatch(
      /^st_big holds 10,005 entries, more than haptop reads per poll \(10,000\): press f/,
    );
    expect(asked.rows).toEqual([]);
    // Nothing asked HAProxy for the whole table.
    expect(Object.keys(view.poller.store.getSnapshot().extras)).not.toContain("tables:entries:st_big");
    drill = "st_big data.gpc0 ge 0";
    const capped = await rowsWhen("the first 10,000", (r) => r.length === MAX_TABLE_ENTRIES);
    expect(capped).toHaveLength(MAX_TABLE_ENTRIES);
    expect(view.build().note).toContain("showing the first 10,000 of 10,005 entries");
    drill = "st_big data.gpc0 eq 1";
    const ones = await rowsWhen("gpc0 = 1 only", (r) => r.length > 0 && r.length < MAX_TABLE_ENTRIES);
    expect(ones).toHaveLength(Math.floor(BIG / 3) + (BIG % 3 > 1 ? 1 : 0));
    expect(ones.every((r) => entryOf(r)?.data.gpc0 === 1)).toBe(true);
    drill = "st_src";
  });

  it("levels: a user socket lists tables but not entries, and is refused the clear before sending", async () => {
    let userDrill: string | null = "st_src";
    const user = tablesPoller(lab.userSock, () => userDrill);
    try {
      await waitFor(() => user.poller.store.getSnapshot().level === "user", 10_000, "user poll");
      const built = await waitFor(
        () => (user.build().note?.includes("operator") ? user.build() : null),
        10_000,
        "note",
      );
      expect(built.rows).toEqual([]);
      const ctl = createController({ kind: "unix", path: lab.userSock }, { timeout: 2 }, user.poller);
      const plan = asPlan(
        await ctl.plan("table-clear-entry", { kind: "table-entry", table: "st_src", key: "127.0.0.1" }),
      );
      expect(await plan.run(() => {})).toEqual({
        ok: false,
        message: "needs operator level (socket is user)",
      });
      userDrill = null;
    } finally {
      user.stop();
    }
    const ro = createController(admin, { timeout: 2, readOnly: true }, view.poller);
    expect(
      await ro.plan("table-clear-entry", { kind: "table-entry", table: "st_src", key: "127.0.0.1" }),
    ).toEqual({
      error: "read-only mode",
    });
    const [reply = ""] = await request(admin, ["show table st_src"]);
    expect(parseTableDump(reply).entries.map((e) => e.key)).toContain("127.0.0.1");
  });

  it("an operator socket may clear an entry (measured: operator is enough)", async () => {
    const op = createController({ kind: "unix", path: lab.operatorSock }, { timeout: 2 }, view.poller);
    const plan = asPlan(
      await op.plan("table-clear-entry", { kind: "table-entry", table: "st_src", key: "127.0.0.1" }),
    );
    expect(await plan.run(() => {})).toMatchObject({ ok: true });
    const [reply = ""] = await request(admin, ["show table st_src"]);
    expect(parseTableDump(reply).entries.map((e) => e.key)).not.toContain("127.0.0.1");
  });
});
