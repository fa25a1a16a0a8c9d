/**
 * A fake Runtime API peer on a UNIX socket, for what a real HAProxy cannot produce: hostile bytes,
 * a drip, a hang, a reset, a truncated or endless reply, garbage. Its replies are real captured
 * ones (test/fixtures/) unless a behaviour says otherwise. One server per peer; `close()` ends
 * every connection it accepted.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Target } from "../../src/client/target.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** Every fixture directory of a HAProxy release (haproxy-2.6.12, haproxy-3.2.0…) that has `name`. */
export function fixtureFiles(name: string): { release: string; text: string }[] {
  return readdirSync(FIXTURES)
    .filter((d) => d.startsWith("haproxy-"))
    .flatMap((d) => {
      try {
        return [{ release: d, text: readFileSync(join(FIXTURES, d, name), "utf8") }];
      } catch {
        return [];
      }
    });
}

/** The captured reply of the first release that has it (each ends with HAProxy's blank line). */
export function fixture(name: string): string {
  const f = fixtureFiles(name)[0];
  if (!f) throw new Error(`no fixture ${name}`);
  return f.text;
}

/** HAProxy's own reply to one command, from the fixtures ("" + blank line when unknown). */
export function saneReply(command: string): string {
  if (command === "show cli level") return fixture("show-cli-level.txt");
  if (command === "show info") return fixture("show-info.txt");
  if (command.startsWith("show stat")) return fixture("show-stat.txt");
  if (command === "show sess") return fixture("show-sess.txt");
  if (command === "show errors") return fixture("show-errors.txt");
  if (command === "show servers state") return fixture("show-servers-state.txt");
  return "\n";
}

/** What the peer does with one request: the commands of the line, and the connection. */
export type Behaviour = (commands: string[], sock: Socket) => void;

/** Answers like HAProxy (batched replies, then close). */
export const sane: Behaviour = (commands, sock) => sock.end(commands.map(saneReply).join(""));

export interface FakePeer {
  target: Target;
  /** Requests received so far. */
  requests: number;
  /** Replaces the behaviour for the next connections (a peer that turns sane, or hostile). */
  behave(b: Behaviour): void;
  close(): Promise<void>;
}

let counter = 0;

/** A peer on a UNIX socket in `dir`, or with `tcp` on 127.0.0.1 (a reset is a real RST there). */
export async function startFake(dir: string, behaviour: Behaviour, tcp = false): Promise<FakePeer> {
  const path = join(dir, `peer${process.pid}-${counter++}.sock`);
  let current = behaviour;
  const sockets = new Set<Socket>();
  const peer: FakePeer = {
    target: { kind: "unix", path },
    requests: 0,
    behave: (b) => {
      current = b;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
    let buf = "";
    let handled = false;
    sock.on("data", (d) => {
      if (handled) return;
      buf += d.toString("utf8");
      const i = buf.indexOf("\n");
      if (i < 0) return;
      handled = true;
      peer.requests++;
      current(buf.slice(0, i).split(";"), sock);
    });
  });
  if (tcp) {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    peer.target = { kind: "tcp", host: "127.0.0.1", port: (server.address() as { port: number }).port };
  } else await new Promise<void>((r) => server.listen(path, r));
  return peer;
}
