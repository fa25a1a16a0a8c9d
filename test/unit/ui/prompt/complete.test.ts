import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseObjectNames } from "../../../../src/actions/cliSession.js";
import { buildSnapshot } from "../../../../src/model/snapshot.js";
import { parseHelpCommands } from "../../../../src/parse/help.js";
import { parseInfo } from "../../../../src/parse/info.js";
import { parseStat } from "../../../../src/parse/stat.js";
import {
  type CompletionNames,
  complete,
  escapeWord,
  NO_NAMES,
  namesFromSnapshot,
} from "../../../../src/ui/prompt/complete.js";

const fixture = (v: string, name: string) =>
  readFileSync(new URL(`../../../fixtures/haproxy-${v}/${name}`, import.meta.url), "utf8");

describe.each(["2.6.12", "2.8.0", "3.0.0", "3.2.0"])("completion on the help of %s", (v) => {
  const commands = parseHelpCommands(fixture(v, "help.txt"));
  const names: CompletionNames = {
    ...NO_NAMES,
    servers: ["be_app/app1", "be_app/app_down", "be_tcp/tcp1"],
    backends: ["be_app", "be_tcp"],
    frontends: ["fe_main", "fe_tcp"],
    tables: ["st_src"],
    maps: ["#0", "/etc/haproxy/block.map"],
  };
  const tab = (text: string) => complete(text, commands, names);

  it("completes a unique first word, with a space after it", () => {
    expect(tab("ge")).toEqual({ text: "get ", candidates: [] });
    expect(tab("shutd")).toEqual({ text: "shutdown ", candidates: [] });
  });

  it("lists the next words of a command when several match", () => {
    const r = tab("get ");
    expect(r.text).toBe("get ");
    expect(r.candidates).toEqual(expect.arrayContaining(["acl", "map", "var", "weight"]));
    expect(tab("get w")).toEqual({ text: "get weight ", candidates: [] });
    expect(tab("show servers ").candidates).toEqual(["conn", "state"]);
  });

  it("completes be/srv after get weight, set server, disable server…", () => {
    expect(tab("get weight ").candidates).toEqual(["be_app/app1", "be_app/app_down", "be_tcp/tcp1"]);
    expect(tab("get weight be_t")).toEqual({ text: "get weight be_tcp/tcp1 ", candidates: [] });
    // The common prefix first, then the choices.
    expect(tab("set server be_app/a")).toEqual({
      text: "set server be_app/app",
      candidates: ["be_app/app1", "be_app/app_down"],
    });
    expect(tab("disable server be_app/app_").text).toBe("disable server be_app/app_down ");
    expect(tab("set maxconn server be_tcp").text).toBe("set maxconn server be_tcp/tcp1 ");
  });

  it("completes frontends, backends, tables and maps where the command takes one", () => {
    expect(tab("shutdown frontend fe_m").text).toBe("shutdown frontend fe_main ");
    expect(tab("show servers state be_a").text).toBe("show servers state be_app ");
    expect(tab("show table s").text).toBe("show table st_src ");
    expect(tab("show map /").text).toBe("show map /etc/haproxy/block.map ");
  });

  it("completes only the last command of a chained line, and after a master CLI prefix", () => {
    expect(tab("show info; get weight be_t").text).toBe("show info; get weight be_tcp/tcp1 ");
    expect(tab("@1 get weight be_t").text).toBe("@1 get weight be_tcp/tcp1 ");
  });

  it("leaves the line alone when nothing matches, and past the first argument", () => {
    expect(tab("frobnicate")).toEqual({ text: "frobnicate", candidates: [] });
    expect(tab("get weight be_app/app1 x")).toEqual({ text: "get weight be_app/app1 x", candidates: [] });
  });
});

describe("names", () => {
  it("come from the snapshot: backend/server, backends, frontends", () => {
    const snap = buildSnapshot(
      parseInfo(fixture("2.6.12", "show-info.txt")),
      parseStat(fixture("2.6.12", "show-stat.txt")),
      0,
      "admin",
    );
    const n = namesFromSnapshot(snap);
    expect(n.servers).toContain("be_app/app1");
    expect(n.backends).toContain("be_app");
    expect(n.frontends).toContain("fe_main");
    expect(namesFromSnapshot(null)).toEqual(NO_NAMES);
  });

  it("a hostile name is escaped into one word, a name with control characters left out", () => {
    expect(escapeWord("a;set weight x 1")).toBe("a\\;set\\ weight\\ x\\ 1");
    const names = { ...NO_NAMES, backends: ["b;x"] };
    expect(complete("show servers state b", [["show", "servers", "state"]], names).text).toBe(
      "show servers state b\\;x ",
    );
    const snap = {
      backends: [{ name: "be\u001b[2J", servers: [{ name: "s" }] }],
      frontends: [{ name: "ok" }],
    } as unknown as Parameters<typeof namesFromSnapshot>[0];
    expect(namesFromSnapshot(snap)).toMatchObject({ servers: [], backends: [], frontends: ["ok"] });
  });

  it("tables, maps and ACLs from show table / show map / show acl", () => {
    const n = parseObjectNames(
      "# table: st_src, type: ip, size:1024, used:2\n# table: be_app, type: string, size:10, used:0\n",
      "# id (file) description\n0 (/etc/haproxy/block.map) pattern loaded from file '/etc/haproxy/block.map' used by map at file 'x' line 3. curr_ver=0 next_ver=0 entry_cnt=1\n",
      "# id (file) description\n3 () acl 'src' file 'x' line 9. curr_ver=0 next_ver=0 entry_cnt=1\n",
    );
    expect(n).toEqual({ tables: ["st_src", "be_app"], maps: ["#0", "/etc/haproxy/block.map"], acls: ["#3"] });
  });

  it("without the help (not fetched yet), the commands that take names still complete", () => {
    const names = { ...NO_NAMES, servers: ["be/s1"] };
    expect(complete("get weight b", [], names).text).toBe("get weight be/s1 ");
    expect(complete("get w", [], names).text).toBe("get weight ");
  });
});
