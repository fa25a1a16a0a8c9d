/**
 * Routing a worker's commands through the master CLI (src/client/workerRoute.ts): one `@!<pid>`
 * prefix per command of a batched line (escaped `;` inside an argument left alone), half-close on,
 * and the master's "no such process" answer turned into a clear "worker N is gone".
 */
import { describe, expect, it } from "vitest";
import { SocketError } from "../../../src/client/errors.js";
import { escapeArg, type RequestOptions, request } from "../../../src/client/socket.js";
import { describeTarget, type Target } from "../../../src/client/target.js";
import { prefixedLine, sendThroughMaster, splitCommandLine } from "../../../src/client/workerRoute.js";

const master: Target = { kind: "unix", path: "/tmp/master.sock" };
const worker = { kind: "worker", master, pid: 4242 } as const;

describe("worker route", () => {
  it("prefixes every command of a line, not an escaped ; inside an argument", () => {
    const line = ["show info", `get map #1 ${escapeArg("a;b\\")}`, "show stat"].join(";");
    expect(splitCommandLine(line)).toEqual(["show info", "get map #1 a\\;b\\\\", "show stat"]);
    expect(prefixedLine(4242, line)).toBe("@!4242 show info;@!4242 get map #1 a\\;b\\\\;@!4242 show stat");
    expect(() => prefixedLine(0, "show info")).toThrow(/not a process id/);
    expect(() => prefixedLine(1.5, "show info")).toThrow(/not a process id/);
  });

  it("sends to the master, half-closed, and returns the worker's reply", async () => {
    const sent: { t: Target; line: string; halfClose?: boolean }[] = [];
    const reply = await sendThroughMaster(
      worker,
      "show info;show stat",
      { timeoutMs: 5 } as RequestOptions,
      async (t, line, o) => {
        sent.push({ t, line, halfClose: o.halfClose });
        return "Name: HAProxy\n\n# pxname\n\n";
      },
    );
    expect(sent).toEqual([{ t: master, line: "@!4242 show info;@!4242 show stat", halfClose: true }]);
    expect(reply).toBe("Name: HAProxy\n\n# pxname\n\n");
  });

  it("a worker the master no longer knows is gone, said plainly", async () => {
    const gone = sendThroughMaster(
      worker,
      "show info",
      {},
      async () => "Can't find the target PID matching the prefix '@!4242'\n",
    );
    await expect(gone).rejects.toThrow(SocketError);
    await expect(gone).rejects.toThrow(
      /^worker 4242 is gone: the master CLI \/tmp\/master\.sock no longer lists it/,
    );
    // Also when it vanished between two commands of the same line.
    const midway = sendThroughMaster(
      worker,
      "show info;show stat",
      {},
      async () => "Name: HAProxy\n\nCan't find the target PID matching the prefix '@!4242'\n",
    );
    await expect(midway).rejects.toThrow(/worker 4242 is gone/);
  });

  it("names the route in messages; a missing master socket is the master's fault", async () => {
    expect(describeTarget(worker)).toBe("/tmp/master.sock @!4242");
    const missing = {
      kind: "worker",
      master: { kind: "unix", path: "/nonexistent/m.sock" },
      pid: 7,
    } as const;
    await expect(request(missing, ["show info"], { timeoutMs: 500 })).rejects.toThrow(
      /\/nonexistent\/m\.sock: no such socket/,
    );
  });
});
