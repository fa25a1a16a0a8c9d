/**
 * Long-lived TCP sessions for the top-talkers tests: a frontend `fe_hold` (mode tcp, 2-minute
 * timeouts, so sessions outlive a slow terminal start) to a server `be_hold/hold1` that the test
 * process runs and that only accepts and holds connections. Clients connect from a chosen local
 * address (127.0.0.1, 127.0.0.2…) so HAProxy sees several sources.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { freePorts } from "./haproxy.js";

export interface Holder {
  /** Where clients connect (fe_hold's bind). */
  frontPort: number;
  /** Config lines to append to a lab (`extra`). */
  config: string;
  /** Opens a connection to fe_hold from `localAddress`, held until `close`. */
  hold(localAddress: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHolder(): Promise<Holder> {
  const accepted: Socket[] = [];
  const clients: Socket[] = [];
  const server: Server = createServer((s) => {
    accepted.push(s);
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = (server.address() as { port: number }).port;
  const [frontPort] = await freePorts(1, [origin]);
  return {
    frontPort: frontPort!,
    config: `frontend fe_hold
    mode tcp
    bind 127.0.0.1:${frontPort}
    timeout client 120s
    default_backend be_hold
backend be_hold
    mode tcp
    timeout server 120s
    server hold1 127.0.0.1:${origin}
`,
    async hold(localAddress) {
      const s = connect({ host: "127.0.0.1", port: frontPort!, localAddress });
      clients.push(s);
      s.on("error", () => {});
      await new Promise<void>((resolve, reject) => {
        s.once("connect", () => resolve());
        s.once("error", reject);
      });
    },
    async close() {
      for (const s of [...clients, ...accepted]) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
