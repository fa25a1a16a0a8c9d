/**
 * A reload only touches the HAProxy behind the socket (issue 11): a peer that answers `show info`
 * with the reply of another, real HAProxy (a fake socket is the only way to get that: a real
 * HAProxy cannot lie about its pid) must not get that HAProxy reloaded, in any mode. The real one
 * is checked untouched afterwards: same pid, no reload counted by its master.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sendMaster } from "../../../src/actions/mcli.js";
import { currentPid, planReload, reload } from "../../../src/actions/reload.js";
import { sendRaw } from "../../../src/client/socket.js";
import type { Target } from "../../../src/client/target.js";
import { parseShowProc } from "../../../src/parse/proc.js";
import { type HaproxyLab, isAlive, killAllStarted } from "../../helpers/haproxy.js";
import { testReleases } from "../../helpers/releases.js";
import { reloadCli, startLab } from "./helpers.js";

const labs: HaproxyLab[] = [];
const servers: Server[] = [];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "haptop-owner-"));
});
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
  for (const lab of labs.splice(0)) await lab.stop();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  killAllStarted();
});

/** A peer that relays every command to `real` and returns its reply: it "is" that HAProxy, by its words. */
async function impostor(real: Target, listen: { path: string } | { port: 0 }): Promise<Target> {
  const srv = createServer((sock) => {
    let buf = "";
    sock.on("error", () => {});
    sock.on("data", async (c) => {
      buf += c;
      if (!buf.includes("\n")) return;
      sock.end(await sendRaw(real, buf.split("\n")[0]!).catch(() => "\n"));
    });
  });
  servers.push(srv);
  if ("path" in listen) {
    await new Promise<void>((r) => srv.listen(listen.path, r));
    return { kind: "unix", path: listen.path };
  }
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  if (typeof addr !== "object" || !addr) throw new Error("no port");
  return { kind: "tcp", host: "127.0.0.1", port: addr.port };
}

describe.each(testReleases())("reload refuses a socket its pid does not hold: $label", (release) => {
  it.each([
    ["expose-fd", { exposeFd: true }],
    ["master-worker", { masterWorker: true }],
  ] as const)(
    "%s: an impostor with the real pid is refused (UNIX and TCP); the real HAProxy is untouched",
    async (_mode, opts) => {
      const real = await startLab({ release, ...opts });
      labs.push(real.lab);
      const pid = await currentPid(real.target);
      const reloads = async () =>
        "masterWorker" in opts
          ? parseShowProc(await sendMaster(real.master, ["show proc"])).master!.reloads
          : 0;
      const fakes = [
        await impostor(real.target, { path: join(dir, `fake-${release.version}-${_mode}.sock`) }),
        await impostor(real.target, { port: 0 }),
      ];
      for (const fake of fakes) {
        expect(await currentPid(fake)).toBe(pid); // it claims the real pid
        await expect(planReload({ target: fake })).rejects.toThrow(
          new RegExp(`^refusing to reload: pid ${pid} does not hold the socket .*; nothing was done$`),
        );
        const r = await reload({ target: fake });
        expect(r.ok).toBe(false);
        expect(r.message).toMatch(/^refusing to reload: /);
        expect(r.commands).toEqual([]); // not even haproxy -c
        // Nor through the user's command: it would be "verified" by a pid the socket lies about.
        const cmd = await reload({ target: fake, reloadCmd: "true" });
        expect(cmd.message).toMatch(/^refusing to reload: /);
      }
      const cli = await reloadCli({ socket: (fakes[0] as { path: string }).path });
      expect(cli.code).toBe(1);
      expect(cli.err).toMatch(/refusing to reload: pid \d+ does not hold the socket/);
      expect(await currentPid(real.target)).toBe(pid);
      expect(isAlive(pid)).toBe(true);
      expect(await reloads()).toBe(0);
      // The real sockets, UNIX and TCP, are proved and reload.
      const viaTcp = await planReload({
        target: { kind: "tcp", host: "127.0.0.1", port: real.lab.ports.stats },
      });
      expect(viaTcp.discovered.join("\n")).toMatch(
        new RegExp(`pid ${pid} holds 127\\.0\\.0\\.1:${real.lab.ports.stats} \\(socket inode \\d+`),
      );
      const ok = await reload({ target: real.target });
      expect(ok.ok, ok.message).toBe(true);
    },
  );
});
