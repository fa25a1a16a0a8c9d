import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unreadRowsEvent } from "../../../src/store/events.js";
import { fetchSnapshot, optionalLevel, pollOnce, statCommands } from "../../../src/store/poll.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");
const dir = mkdtempSync(join(tmpdir(), "haptop-poll-"));
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A fake old HAProxy (1.5): it knows neither `show cli level` (2.0) nor `show servers state` (1.6).
 * A real 2.6 cannot play this.
 */
async function oldHaproxy(): Promise<{ kind: "unix"; path: string; seen: string[] }> {
  const path = join(dir, `old${servers.length}.sock`);
  const seen: string[] = [];
  const unknown =
    "Unknown command. Please enter one of the following commands only :\n  help : this message\n\n";
  const stat = fixture("old-versions/haproxy-1.5-show-stat.txt").replace(/\n*$/, "\n\n");
  const info = fixture("haproxy-2.6/show-info.txt").replace(/\n*$/, "\n\n");
  const srv = createServer((sock) => {
    sock.once("data", (d) => {
      const line = d.toString().trim();
      seen.push(line);
      sock.end(
        line
          .split(";")
          .map((c) =>
            c === "show cli level" || c === "show servers state" ? unknown : c === "show info" ? info : stat,
          )
          .join(""),
      );
    });
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(path, r));
  return { kind: "unix", path, seen };
}

describe("polling an HAProxy without `show cli level`", () => {
  it("works with the level unknown (HAProxy then judges each command itself)", async () => {
    const t = await oldHaproxy();
    const r = await pollOnce(t, { sessions: false, errors: false }, true);
    expect(r.level).toBeNull();
    expect(r.snapshot.frontends.length).toBeGreaterThan(0);
    expect(t.seen[0]).toBe("show cli level;show info;show stat;show servers state");
    // Without show servers state, the states come from show stat's status alone.
    const web3 = r.snapshot.backends.flatMap((b) => b.servers).find((s) => s.name === "web3")!;
    expect(web3).toMatchObject({ status: "MAINT", admin: "MAINT", op: null });
    expect(web3.serverState).toBeUndefined();
    const snap = await fetchSnapshot(t);
    expect(snap.level).toBeNull();
  });

  it("still fails on a refusal of show info itself", () => {
    expect(optionalLevel("admin\n")).toBe("admin");
    expect(() => optionalLevel("Permission denied\n")).toThrow(/Permission denied/);
  });
});

describe("statCommands", () => {
  it("asks for everything, or frontends+backends plus some backends' servers, by id only", () => {
    expect(statCommands(undefined)).toEqual(["show stat"]);
    expect(statCommands({ serversOf: [] })).toEqual(["show stat -1 3 -1"]);
    expect(statCommands({ serversOf: [7, 12, 7, 0, -1, 1.5, Number.NaN] })).toEqual([
      "show stat -1 3 -1",
      "show stat +7 4 -1",
      "show stat +12 4 -1",
    ]);
  });
});

/**
 * A fake peer that answers `show stat` with `stat` and the rest as HAProxy 3.2 does: broken rows
 * are what a real HAProxy never sends, so a fake socket plays them.
 */
async function peerWithStat(stat: string): Promise<{ kind: "unix"; path: string }> {
  const path = join(dir, `peer${servers.length}.sock`);
  const replies: Record<string, string> = {
    "show cli level": "admin\n\n",
    "show info": fixture("haproxy-3.2.0/show-info.txt"),
    "show servers state": fixture("haproxy-3.2.0/show-servers-state.txt"),
  };
  const srv = createServer((sock) => {
    sock.on("error", () => {});
    sock.once("data", (d) => {
      const commands = d.toString().trim().split(";");
      sock.end(commands.map((c) => (c.startsWith("show stat") ? stat : (replies[c] ?? "\n"))).join(""));
    });
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(path, r));
  return { kind: "unix", path };
}

describe("a show stat reply with rows that cannot be read", () => {
  const good = fixture("haproxy-3.2.0/show-stat.txt").replace(/\n+$/, "\n");
  const [header, ...rows] = good.trimEnd().split("\n");
  const broken = [header, rows[0], 'be_app,app1,"unbalanced', rows[1], "x,y", ...rows.slice(2)].join("\n");

  it("is a good poll: the other rows are used and the skipped ones counted", async () => {
    const r = await pollOnce(await peerWithStat(`${broken}\n\n`), { sessions: false, errors: false }, true);
    expect(r.snapshot.statRowsSkipped).toBe(2);
    const whole = await pollOnce(await peerWithStat(`${good}\n`), { sessions: false, errors: false }, true);
    expect(whole.snapshot.statRowsSkipped).toBe(0);
    expect(r.snapshot.backends.map((b) => b.key)).toEqual(whole.snapshot.backends.map((b) => b.key));
    expect(r.snapshot.backends.flatMap((b) => b.servers).length).toBe(
      whole.snapshot.backends.flatMap((b) => b.servers).length,
    );
    // show servers state was read with it: exact admin and operational states.
    const maint = r.snapshot.backends.flatMap((b) => b.servers).find((s) => s.name === "s_maint")!;
    expect([maint.admin, maint.op, maint.serverState?.srv_admin_state]).toEqual(["MAINT", "DOWN", 1]);
  });

  it("is reported on the timeline once, not on every poll", async () => {
    const t = await peerWithStat(`${broken}\n\n`);
    const first = (await pollOnce(t, { sessions: false, errors: false }, true)).snapshot;
    const second = (await pollOnce(t, { sessions: false, errors: false }, false)).snapshot;
    expect(unreadRowsEvent(null, first)).toEqual({
      at: first.takenAt,
      kind: "data",
      skippedRows: 2,
      text: "2 rows of show stat could not be read (skipped)",
    });
    expect(unreadRowsEvent(first, second)).toBeNull();
    expect(unreadRowsEvent(second, { ...second, statRowsSkipped: 1 })?.text).toBe(
      "1 row of show stat could not be read (skipped)",
    );
    expect(unreadRowsEvent(second, { ...second, statRowsSkipped: 0 })).toBeNull();
  });

  it("only a reply without a usable header fails the poll; the row cap fails it with a message", async () => {
    await expect(
      pollOnce(await peerWithStat("garbage\n\n"), { sessions: false, errors: false }, true),
    ).rejects.toThrow(/show stat/);
    await expect(fetchSnapshot(await peerWithStat(`${good}\n`), { maxRows: 3 })).rejects.toThrow(
      `show stat returned ${rows.length} rows; haptop reads at most 3: narrow the target or raise --max-rows`,
    );
  });

  it("asks for show servers state on full polls only, and not when told not to", async () => {
    const seen: string[] = [];
    const path = join(dir, "seen.sock");
    const srv = createServer((sock) => {
      sock.once("data", (d) => {
        seen.push(d.toString().trim());
        sock.end("Name: HAProxy\n\n# pxname,svname,\n\n# pxname,svname,\n\n1\n# be_id\n\n");
      });
    });
    servers.push(srv);
    await new Promise<void>((r) => srv.listen(path, r));
    const t = { kind: "unix" as const, path };
    await pollOnce(t, { sessions: false, errors: false }, false);
    await pollOnce(t, { sessions: false, errors: false, serversState: false }, false);
    await pollOnce(t, { sessions: false, errors: false, scope: { serversOf: [] } }, false);
    expect(seen).toEqual([
      "show info;show stat;show servers state",
      "show info;show stat",
      "show info;show stat -1 3 -1",
    ]);
  });
});
