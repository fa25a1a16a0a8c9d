import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fetchSnapshot, optionalLevel, pollOnce, statCommands } from "../../../src/store/poll.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");
const dir = mkdtempSync(join(tmpdir(), "haptop-poll-"));
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** A fake old HAProxy (before 2.0): it does not know `show cli level`. A real 2.6 cannot play this. */
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
          .map((c) => (c === "show cli level" ? unknown : c === "show info" ? info : stat))
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
    expect(t.seen[0]).toBe("show cli level;show info;show stat");
    const snap = await fetchSnapshot(t);
    expect(snap.level).toBeNull();
  });

  it("still fails on a refusal of show info itself", () => {
    expect(optionalLevel("admin\n")).toBe("admin");
    expect(() => optionalLevel("Permission denied\n")).toThrow(/Permission denied/);
  });
});

describe("statCommands", () => {
  it("asks for everything, or frontends+backends plus some backends' servers", () => {
    expect(statCommands(undefined)).toEqual(["show stat"]);
    expect(statCommands({ serversOf: ["be_a", "be;b"] })).toEqual([
      "show stat -1 3 -1",
      "show stat be_a 4 -1",
      "show stat be\\;b 4 -1",
    ]);
  });
});
