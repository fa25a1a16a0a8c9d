import { describe, expect, it } from "vitest";
import { buildSnapshot, type ServerEntry } from "../../../../src/model/snapshot.js";
import { parseInfo } from "../../../../src/parse/info.js";
import { parseServersState } from "../../../../src/parse/servers-state.js";
import { parseStat } from "../../../../src/parse/stat.js";
import {
  adminWords,
  checkStatusWords,
  checkWords,
  opWords,
  reloadResets,
  serverStatePane,
} from "../../../../src/ui/views/serverStatePane.js";
import { fixture } from "./fixtures.js";

/** The servers of HAProxy 3.2's captured show stat + show servers state, as one poll builds them. */
function servers(mutateState = (t: string) => t): Map<string, ServerEntry> {
  const v = "haproxy-3.2.0";
  const snap = buildSnapshot(
    parseInfo(fixture(`${v}/show-info.txt`)),
    parseStat(fixture(`${v}/show-stat.txt`)),
    1,
    null,
    { serversState: parseServersState(mutateState(fixture(`${v}/show-servers-state.txt`))).rows },
  );
  return new Map(snap.backends.flatMap((b) => b.servers.map((s) => [`${b.name}/${s.name}`, s] as const)));
}

describe("server state in words", () => {
  it("decodes admin bits, op codes, check status and on/off", () => {
    expect(adminWords(0)).toBe("READY (in service)");
    expect(adminWords(1)).toMatch(/^MAINT set from the CLI/);
    expect(adminWords(0x04)).toMatch(/configuration/);
    expect(adminWords(0x20)).toMatch(/DNS/);
    expect(adminWords(0x08)).toMatch(/^DRAIN set from the CLI/);
    expect(opWords(0)).toMatch(/^DOWN/);
    expect(opWords(3)).toMatch(/NOLB/);
    expect(checkStatusWords(15)).toBe("L7OK: response passed (layer 7)");
    expect(checkStatusWords(8)).toMatch(/^L4CON/);
    expect(checkWords(6)).toBe("enabled");
    expect(checkWords(2)).toMatch(/^DISABLED/);
    expect(checkWords(0)).toBe("not configured");
    expect(checkWords(14)).toMatch(/paused/);
  });
});

describe("serverStatePane", () => {
  it("shows a checked UP server of HAProxy 3.2: states, check, weights, nothing a reload resets", () => {
    const pane = serverStatePane(servers().get("be_app/app1")!);
    expect(pane.title).toBe("Server be_app/app1");
    const text = pane.lines.join("\n");
    expect(text).toMatch(/admin state: +READY \(in service\)/);
    expect(text).toMatch(/operational state: UP \(running\)/);
    expect(text).toMatch(/health check: +enabled/);
    expect(text).toMatch(/last status L7OK: response passed \(layer 7\); result passed/);
    expect(text).toMatch(/agent check: +not configured/);
    expect(text).toMatch(/weight: +1 now, 1 initial/);
    expect(text).toMatch(/A reload resets nothing visible here/);
    expect(text).toMatch(/server-state-file/);
  });

  it("says what a reload would reset: forced maint, weight, disabled checks", () => {
    // be_admin/s_maint forced into maint; be_app/app1 weight 1 → 7 of initial 1, health disabled.
    const all = servers((t) =>
      t.replace(/^(4 be_app 1 app1 \S+ 2 0) 1 1 (\d+ \d+ \d+ \d+) 6 /m, "$1 7 1 $2 2 "),
    );
    const app1 = serverStatePane(all.get("be_app/app1")!).lines.join("\n");
    expect(app1).toMatch(/weight: +7 now, 1 initial \(configuration\) +changed at run time/);
    expect(app1).toMatch(/health check: +DISABLED/);
    expect(app1).toMatch(
      /A reload resets: the weight 7 \(back to 1\); disabled health checks \(on again\)\./,
    );
    const maint = serverStatePane(all.get("be_admin/s_maint")!).lines.join("\n");
    expect(maint).toMatch(/admin state: +MAINT set from the CLI/);
    expect(maint).toMatch(/A reload resets: the forced MAINT/);
  });

  it("without show servers state, says so and uses show stat", () => {
    const entry = { ...servers().get("be_app/app1")!, serverState: undefined };
    const text = serverStatePane(entry).lines.join("\n");
    expect(text).toMatch(/show servers state was not read/);
    expect(text).toMatch(/health check: running \(last L7OK\)/);
    expect(reloadResets(undefined, 30).join(" ")).toMatch(
      /maxconn set at run time is always lost \(now 30\)/,
    );
  });
});
