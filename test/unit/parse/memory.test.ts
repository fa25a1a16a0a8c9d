/**
 * What a parsed reply keeps in memory (issue 12.4). V8's internals (hidden classes, sliced strings)
 * are only visible to a process started with --allow-natives-syntax / --expose-gc, so each check
 * runs in a child node (with tsx to load the sources) that prints its findings as JSON.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

function inChild(flags: string[], code: string): unknown {
  const out = execFileSync(
    process.execPath,
    [...flags, "--import", "tsx", "--input-type=module", "-e", code],
    { cwd: ROOT, encoding: "utf8" },
  );
  return JSON.parse(out.trim().split("\n").pop() ?? "null");
}

describe("parsed rows hold no more than their values", () => {
  it("a `show stat` row does not keep the whole reply alive through a long text field", () => {
    // 2,000 rows whose `addr` (15 characters: V8 would make it a slice of the reply) is kept, and
    // a 10 kB numeric column that makes the reply ~20 MB. Without a copy of `addr`, keeping the
    // rows keeps the 20 MB reply.
    const held = inChild(
      ["--expose-gc"],
      `
      const { parseStat } = await import("./src/parse/stat.ts");
      const big = "1".repeat(10_000);
      const parse = () => {
        const lines = ["# pxname,svname,addr,status,type,big,"];
        for (let i = 0; i < 2000; i++) lines.push(\`be_1,srv\${i},127.0.0.1:\${10000 + i},UP,2,\${big},\`);
        return parseStat(lines.join("\\n") + "\\n\\n");
      };
      gc(); const before = process.memoryUsage().heapUsed;
      const rows = parse();
      // V8 keeps the subject of the last RegExp match (RegExp.lastMatch): the header line, a slice
      // of the reply. In the app the next match (any) replaces it; here one is made on purpose.
      /x/.test("x");
      gc(); gc();
      const after = process.memoryUsage().heapUsed;
      console.log(JSON.stringify({ mib: (after - before) / 2 ** 20, addr: rows[7].addr }));
      `,
    ) as { mib: number; addr: string };
    expect(held.addr).toBe("127.0.0.1:10007");
    expect(held.mib).toBeLessThan(5);
  }, 30_000);

  it("`show servers state` rows share one hidden class (fast properties), not one dictionary each", () => {
    const fast = inChild(
      ["--allow-natives-syntax"],
      `
      const { parseServersState } = await import("./src/parse/servers-state.ts");
      const cols = "be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port";
      let text = "1\\n# " + cols + "\\n";
      for (let i = 1; i <= 3; i++) text += "3 be_1 " + i + " srv" + i + " 127.0.0.1 2 0 1 1 100 1 0 0 0 0 0 0 - 8080 - 0 0 - - 0\\n";
      const { rows } = parseServersState(text + "\\n");
      console.log(JSON.stringify({ n: rows.length, fast: rows.map((r) => %HasFastProperties(r)), name: rows[1].srv_name, op: rows[1].srv_op_state }));
      `,
    ) as { n: number; fast: boolean[]; name: string; op: number };
    expect(fast).toEqual({ n: 3, fast: [true, true, true], name: "srv2", op: 2 });
  }, 30_000);
});
