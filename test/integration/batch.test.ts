import { execFileSync } from "node:child_process";
import { chmodSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandError } from "../../src/client/errors.js";
import { request, runCommand } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import { runHaptop } from "../helpers/cli.js";
import {
  HaproxyLab,
  httpGets,
  killAllStarted,
  pidsMentioning,
  readPids,
  waitFor,
} from "../helpers/haproxy.js";

interface JsonEntry {
  name: string;
  status: string;
  stats: Record<string, string | number | null>;
}
interface JsonDoc {
  target: string;
  takenAt: string;
  level: string;
  info: Record<string, string | number>;
  frontends: JsonEntry[];
  backends: (JsonEntry & { servers: JsonEntry[] })[];
}

const lab = new HaproxyLab();
const REQUESTS = 7;

beforeAll(async () => {
  await lab.start();
  // The closed-port server goes DOWN after its first failed check (fall 1, inter 500ms).
  await waitFor(
    async () => {
      const [out] = await request(parseTarget(lab.adminSock), ["show stat"]);
      return /be_app,app_down,.*,DOWN,/.test(out ?? "");
    },
    8000,
    "app_down to go DOWN",
  );
  expect(await httpGets(lab.ports.http, REQUESTS)).toBe(REQUESTS);
});

afterAll(async () => {
  const dir = lab.dir;
  await lab.stop();
  killAllStarted();
  // The harness leaves no HAProxy of its own behind.
  expect(pidsMentioning(dir)).toEqual([]);
});

async function onceJson(target: string): Promise<JsonDoc> {
  const r = await runHaptop(["--once", "--json", target]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonDoc;
}

describe("haptop --once --json against a real HAProxy", () => {
  it("reports exactly the requests sent, the DOWN server and the socket level", async () => {
    const doc = await onceJson(lab.adminSock);
    expect(doc.level).toBe("admin");
    expect(doc.target).toBe(lab.adminSock);
    expect(doc.frontends.map((f) => f.name)).toEqual(["fe_main", "fe_tcp"]);
    const fe = doc.frontends.find((f) => f.name === "fe_main")!;
    expect(fe.status).toBe("OPEN");
    expect(fe.stats.req_tot).toBe(REQUESTS);
    expect(fe.stats.hrsp_2xx).toBe(REQUESTS);
    expect(fe.stats.slim).toBe(500);
    const be = doc.backends.find((b) => b.name === "be_app")!;
    expect(be.stats.stot).toBe(REQUESTS);
    const down = be.servers.find((s) => s.name === "app_down")!;
    expect(down.status).toBe("DOWN");
    expect(down.stats.check_status).toBe("L4CON");
    expect(be.servers.find((s) => s.name === "app1")!.stats.stot).toBe(REQUESTS);
    expect(doc.info.Pid).toBe(readPids(lab.pidfile)[0]);
    expect(typeof doc.info.CurrConns).toBe("number");
  });

  it("matches `show stat` through socat field for field", async () => {
    // Health checks and our own reads move some counters between two reads, so haptop's read is
    // bracketed by two socat reads: each field must equal one of them, or lie between them.
    const socat = () => {
      const raw = execFileSync("socat", ["stdio", lab.adminSock], {
        input: "show stat\n",
        encoding: "latin1",
      });
      const [header, ...lines] = raw.trim().split("\n");
      const rows = new Map(lines.map((l) => l.split(",")).map((c) => [`${c[0]}/${c[1]}`, c] as const));
      return { names: header!.slice(2).split(","), rows };
    };
    const before = socat();
    const doc = await onceJson(lab.adminSock);
    const after = socat();
    const byKey = new Map<string, Record<string, string | number | null>>();
    for (const f of doc.frontends) byKey.set(`${f.name}/FRONTEND`, f.stats);
    for (const b of doc.backends) {
      byKey.set(`${b.name}/BACKEND`, b.stats);
      for (const s of b.servers) byKey.set(`${b.name}/${s.name}`, s.stats);
    }
    expect([...byKey.keys()].sort()).toEqual([...before.rows.keys()].sort());
    let exact = 0;
    for (const [key, cellsBefore] of before.rows) {
      const stats = byKey.get(key)!;
      const cellsAfter = after.rows.get(key)!;
      before.names.forEach((name, i) => {
        if (name === "" || name === "-") return;
        expect(name in stats, `${key} ${name}`).toBe(true);
        const ours = stats[name] === null ? "" : String(stats[name]);
        const [a, b] = [cellsBefore[i] ?? "", cellsAfter[i] ?? ""];
        if (ours === a && ours === b) exact++;
        if (ours === a || ours === b) return;
        const [lo, hi] = [Math.min(Number(a), Number(b)), Math.max(Number(a), Number(b))];
        expect(
          Number(ours) >= lo && Number(ours) <= hi,
          `${key} ${name}: ${ours} not within ${a}..${b}`,
        ).toBe(true);
      });
    }
    // Most fields do not move at all between the reads: they must match to the letter.
    expect(exact).toBeGreaterThan(600);
  });

  it("reads the TCP socket and the user level", async () => {
    expect((await onceJson(lab.tcpStats)).level).toBe("admin");
    expect((await onceJson(`ipv4@${lab.tcpStats}`)).frontends).toHaveLength(2);
    expect((await onceJson(`unix@${lab.userSock}`)).level).toBe("user");
  });

  it("surfaces refused commands on the user socket as typed errors", async () => {
    const t = parseTarget(lab.userSock);
    for (const cmd of ["show sess", "show errors", "clear counters", "set server be_app/app1 state maint"]) {
      const e = await runCommand(t, cmd).catch((x: unknown) => x);
      expect(e, cmd).toBeInstanceOf(CommandError);
      expect((e as CommandError).code, cmd).toBe("command-refused");
    }
    const unknown = await runCommand(t, "show nosuchthing").catch((x: unknown) => x);
    expect((unknown as CommandError).code).toBe("unknown-command");
  });
});

describe("haptop --once as text", () => {
  it("is what plain `haptop` prints when stdout is not a terminal", async () => {
    const r = await runHaptop([lab.adminSock]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HAProxy 2\./);
    expect(r.stdout).toMatch(/^fe_main\s+OPEN\s+0\/500\s/m);
  });

  it("prints aligned tables with scur/slim, servers indented, no colour when piped", async () => {
    const r = await runHaptop(["--once", lab.adminSock]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b/);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^HAProxy 2\.\d+\S* {2}pid \d+ {2}node \S+ {2}uptime .* {2}conns \d+\/\d+ {2}level admin/,
    );
    expect(r.stdout).toMatch(/^fe_main\s+OPEN\s+0\/500\s/m);
    expect(r.stdout).toMatch(/^be_app\s+UP\s/m);
    expect(r.stdout).toMatch(/^ {2}app_down\s+DOWN\s+L4CON\s/m);
    const head = lines.find((l) => l.startsWith("FRONTEND"))!;
    const row = lines.find((l) => l.startsWith("fe_main"))!;
    // Right-aligned columns end where their titles end.
    expect(row.indexOf("0/500") + "0/500".length).toBe(head.indexOf("SESS") + "SESS".length);
  });
});

describe("exit codes and messages", () => {
  it("exits 3 naming a missing socket", async () => {
    const r = await runHaptop(["--once", `${lab.dir}/nope.sock`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/nope\.sock: no such socket/);
    expect(r.stderr).not.toMatch(/at .*\.js/);
  });

  it("exits 3 on a refused TCP port", async () => {
    const r = await runHaptop(["--once", `127.0.0.1:${lab.ports.closed}`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`127.0.0.1:${lab.ports.closed}: connection refused`);
  });

  it("exits 2 on bad usage", async () => {
    expect((await runHaptop(["--interval", "0.1", lab.adminSock])).code).toBe(2);
    expect((await runHaptop(["--no-such-flag"])).code).toBe(2);
    expect((await runHaptop(["--once", "ipv4@nope"])).code).toBe(2);
  });

  it("prints --help and --version", async () => {
    const help = await runHaptop(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: haptop/);
    expect((await runHaptop(["--version"])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("exits 3 with a group/sudo hint when the socket is not readable", async () => {
    if (process.getuid?.() !== 0) return; // needs root to switch to an unprivileged user
    chmodSync(lab.dir, 0o755);
    const r = await runHaptop(["--once", lab.adminSock], { uid: 65534, gid: 65534 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/permission denied/);
    expect(r.stderr).toMatch(/group.*sudo/);
  });
});
