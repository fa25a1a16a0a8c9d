/** Free TCP ports on 127.0.0.1, asked from the kernel (bind to port 0), for the labs. */
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * `n` distinct free ports, none in `exclude` (ports already handed out, e.g. to origin servers).
 * The kernel may hand back a port it just released, so duplicates are asked again. `ask` is the
 * port source (the kernel; a fake in tests).
 */
export async function freePorts(
  n: number,
  exclude: Iterable<number> = [],
  ask: () => Promise<number> = freePort,
): Promise<number[]> {
  const taken = new Set(exclude);
  const ports: number[] = [];
  while (ports.length < n) {
    const p = await ask();
    if (taken.has(p)) continue;
    taken.add(p);
    ports.push(p);
  }
  return ports;
}
