import { execFile, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
  sleep,
  waitFor,
} from "../helpers/haproxy.js";
import { describeEachRelease, isDefaultRelease } from "../helpers/matrix.js";

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

// The releases' suites run at the same time and their haptop processes queue for a turn
// (test/helpers/cli.ts): on a loaded 2-core machine a test may wait for others' runs. Upper bounds.
vi.setConfig({ hookTimeout: 90_000, testTimeout: 90_000 });

const REQUESTS = 7;

afterAll(() => killAllStarted());

async function onceJson(target: string): Promise<JsonDoc> {
  const r = await runHaptop(["--once", "--json", target]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonDoc;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Batch mode on every release of the matrix: the same lab, the same assertions.
describeEachRelease("batch mode", (release) => {
  const lab = new HaproxyLab({ release });

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
    await waitFor(
      async () =>
        /be_app,app1,.*,UP,/.test((await request(parseTarget(lab.adminSock), ["show stat"]))[0] ?? ""),
      8000,
      "app1 UP",
    );
    expect(await httpGets(lab.ports.http, REQUESTS)).toBe(REQUESTS);
  });

  afterAll(async () => {
    const dir = lab.dir;
    await lab.stop();
    // The harness leaves no HAProxy of its own behind.
    expect(pidsMentioning(dir)).toEqual([]);
  });

  it("the lab's config is clean on this release: no warning nor alert from HAProxy", () => {
    // A test lab that warns on some release would hide the warnings haptop must show.
    expect(lab.startupLog()).not.toMatch(/\[(WARNING|ALERT)\]/);
    const check = spawnSync(release.bin, ["-c", "-f", lab.cfg], { encoding: "utf8" });
    expect(check.status, check.stderr).toBe(0);
    expect(`${check.stdout}${check.stderr}`).not.toMatch(/\[(WARNING|ALERT)\]/);
  });

  describe("haptop --once --json against a real HAProxy", () => {
    /** `show stat` read by socat, in the order HAProxy prints it. */
    interface SocatStat {
      names: string[];
      rows: Map<string, string[]>;
    }
    const socat = (): Promise<SocatStat> =>
      new Promise((resolve, reject) => {
        const child = execFile("socat", ["stdio", lab.adminSock], { encoding: "latin1" }, (err, raw) => {
          if (err) return reject(err);
          const [header, ...lines] = raw.trim().split("\n");
          const rows = new Map(lines.map((l) => l.split(",")).map((c) => [`${c[0]}/${c[1]}`, c] as const));
          resolve({ names: header!.slice(2).split(","), rows });
        });
        child.stdin!.end("show stat\n");
      });
    let doc: JsonDoc;
    /** socat's reads from just before haptop started until just after it ended. */
    const samples: SocatStat[] = [];

    beforeAll(async () => {
      // Health checks (every 500 ms) and our own reads move some fields while haptop reads, and
      // some move both ways (gauges, check durations): socat samples `show stat` all along.
      samples.push(await socat());
      let reading = true;
      const sampler = (async () => {
        while (reading) {
          samples.push(await socat());
          // A sampling interval (checks run every 500 ms), not a wait: spawning socat back to back
          // would only eat the CPU haptop needs.
          await sleep(100);
        }
      })();
      doc = await onceJson(lab.adminSock).finally(() => {
        reading = false;
      });
      await sampler;
      samples.push(await socat());
    });

    it("reports exactly the requests sent, the DOWN server and the socket level", () => {
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
      // "* L4CON" while a check runs at the moment of the read (HAProxy's in-progress marker).
      expect(String(down.stats.check_status).replace(/^\* /, "")).toBe("L4CON");
      expect(be.servers.find((s) => s.name === "app1")!.stats.stot).toBe(REQUESTS);
      expect(doc.info.Pid).toBe(readPids(lab.pidfile)[0]);
      expect(typeof doc.info.CurrConns).toBe("number");
      expect(String(doc.info.Version)).toMatch(new RegExp(`^${escapeRe(release.version)}\\b`));
    });

    it("matches `show stat` through socat field for field, module columns after `-` included", () => {
      // Every field must equal what some socat read saw, or (numbers) lie within what they saw.
      // A check running at the very moment of haptop's read shows as "* L7OK" (HAProxy's marker).
      const names = samples[0]!.names;
      const byKey = new Map<string, Record<string, string | number | null>>();
      for (const f of doc.frontends) byKey.set(`${f.name}/FRONTEND`, f.stats);
      for (const b of doc.backends) {
        byKey.set(`${b.name}/BACKEND`, b.stats);
        for (const s of b.servers) byKey.set(`${b.name}/${s.name}`, s.stats);
      }
      expect([...byKey.keys()].sort()).toEqual([...samples[0]!.rows.keys()].sort());
      let exact = 0;
      let compared = 0;
      for (const [key, stats] of byKey) {
        names.forEach((name, i) => {
          if (name === "" || name === "-") return;
          compared++;
          expect(name in stats, `${key} ${name}`).toBe(true);
          const ours = stats[name] === null ? "" : String(stats[name]);
          const seen = samples.map((s) => s.rows.get(key)?.[i] ?? "");
          if (seen.every((v) => v === ours)) exact++;
          if (seen.includes(ours) || seen.includes(ours.replace(/^\* /, ""))) return;
          // A check starting resets its description (HCHK_STATUS_START): while it runs ("* " in
          // check_status / agent_status) last_chk / last_agt read empty, a moment socat may miss.
          const running = { last_chk: "check_status", last_agt: "agent_status" }[name];
          if (ours === "" && running && String(stats[running]).startsWith("* ")) return;
          const numbers = seen.map(Number);
          // Streams and connections open right now (h1_open_streams…) include the health checks,
          // which open and close every 500 ms: between two reads the gauge may rise and fall back
          // unseen, so these alone may be one off the range the samples saw.
          const slack = /_open_(streams|conns|connections)$/.test(name) ? 1 : 0;
          expect(
            ours !== "" &&
              Number(ours) >= Math.min(...numbers) - slack &&
              Number(ours) <= Math.max(...numbers) + slack,
            `${key} ${name}: ${ours} not within what socat saw: ${[...new Set(seen)].join(" ")}`,
          ).toBe(true);
        });
      }
      // Most fields do not move at all during the reads: they must match to the letter.
      expect(exact).toBeGreaterThan(compared * 0.8);
      expect(compared).toBeGreaterThan(600);
    });

    it("reads the TCP admin socket and the user-level socket", async () => {
      const [tcp, userLevel] = await Promise.all([onceJson(lab.tcpStats), onceJson(`unix@${lab.userSock}`)]);
      expect(tcp.level).toBe("admin");
      expect(tcp.frontends.map((f) => f.name)).toEqual(["fe_main", "fe_tcp"]);
      expect(userLevel.level).toBe("user");
      expect(userLevel.backends.find((b) => b.name === "be_app")?.servers).toHaveLength(2);
    });

    it("surfaces refused commands on the user socket as typed errors", async () => {
      const t = parseTarget(lab.userSock);
      for (const cmd of [
        "show sess",
        "show errors",
        "clear counters",
        "set server be_app/app1 state maint",
      ]) {
        const e = await runCommand(t, cmd).catch((x: unknown) => x);
        expect(e, cmd).toBeInstanceOf(CommandError);
        expect((e as CommandError).code, cmd).toBe("command-refused");
      }
      const unknown = await runCommand(t, "show nosuchthing").catch((x: unknown) => x);
      expect((unknown as CommandError).code).toBe("unknown-command");
    });
  });

  describe("haptop --once as text", () => {
    it("prints aligned tables with scur/slim, servers indented, no colour when piped", async () => {
      const r = await runHaptop(["--once", lab.adminSock]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/\x1b/);
      const lines = r.stdout.split("\n");
      expect(lines[0]).toMatch(
        new RegExp(
          `^HAProxy ${escapeRe(release.version)}\\S* {2}pid \\d+ {2}node \\S+ {2}uptime .* {2}conns \\d+/\\d+ {2}level admin`,
        ),
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

  // Usage errors and connection failures do not depend on the release: shown once, on the packaged one.
  if (isDefaultRelease(release)) {
    describe("targets and text mode, shown once", () => {
      it("plain `haptop` prints the text tables when stdout is not a terminal", async () => {
        const r = await runHaptop([lab.adminSock]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^HAProxy ${escapeRe(release.version)}\\b`));
        expect(r.stdout).toMatch(/^fe_main\s+OPEN\s+0\/500\s/m);
      });

      it("reads an `ipv4@host:port` target", async () => {
        expect((await onceJson(`ipv4@${lab.tcpStats}`)).frontends).toHaveLength(2);
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

      it("a broken default config file warns but does not stop a socket given by address", async () => {
        const xdg = `${lab.dir}/xdg`;
        mkdirSync(`${xdg}/haptop`, { recursive: true });
        writeFileSync(`${xdg}/haptop/config.toml`, "[[target]\nname = ");
        const env = { XDG_CONFIG_HOME: xdg };
        const r = await runHaptop(["--once", lab.adminSock], { env });
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^fe_main\s+OPEN\s/m);
        expect(r.stderr).toMatch(/^haptop: warning: .*config\.toml: not valid TOML.*ignored/);
        // A bare word may be one of the broken file's names: that still needs the file.
        const named = await runHaptop(["--once", "lb1"], { env });
        expect(named.code).toBe(2);
        expect(named.stderr).toMatch(/config\.toml: not valid TOML/);
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
  }
});
