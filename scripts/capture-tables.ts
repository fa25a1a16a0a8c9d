/**
 * Captures the stick-table replies of every HAProxy release of the test matrix into
 * test/fixtures/haproxy-<version>/table-*.txt (issue 13, point 2): the table list, entries of an IP
 * table fed from two sources, a string table whose keys are hostile header values, a data filter,
 * the errors (no such table, a data type not stored) and the replies to `clear table` / `set table`
 * at each socket level. Run: `npx tsx scripts/capture-tables.ts`.
 * Only loopback addresses, temp paths and pointers end up in the files: nothing to anonymise.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../lab/index.js";
import type { Release } from "../lab/releases.js";
import { runCommand, sendRaw } from "../src/client/socket.js";
import type { Target } from "../src/client/target.js";
import { HOSTILE_USERS, TableLab, trackGet, trackGets } from "../test/helpers/tableLab.js";
import { captureEachRelease, FIXTURES } from "./captureKit.js";

/** Admin-socket commands captured, in order, and their files (the state changes as they run). */
export const TABLE_CAPTURES: readonly { command: string; file: string; sock?: "operator" | "user" }[] = [
  { command: "show table", file: "table-list.txt" },
  { command: "show table st_src", file: "table-st_src.txt" },
  { command: "show table st_user", file: "table-st_user.txt" },
  { command: "show table st_empty", file: "table-st_empty.txt" },
  { command: "show table st_src data.http_req_rate gt 4", file: "table-st_src-filter.txt" },
  { command: "show table nosuch", file: "table-nosuch.txt" },
  { command: "show table st_src data.nosuch gt 1", file: "table-bad-type.txt" },
  { command: "show table st_src data.gpc1 gt 1", file: "table-not-stored.txt" },
  { command: "show table", file: "table-user-list.txt", sock: "user" },
  { command: "show table st_src", file: "table-user-st_src.txt", sock: "user" },
  { command: "set table st_src key 127.0.0.1 data.gpc0 5", file: "table-user-set.txt", sock: "user" },
  { command: "clear table st_src key 127.0.0.1", file: "table-user-clear.txt", sock: "user" },
  { command: "show table st_src", file: "table-operator-st_src.txt", sock: "operator" },
  { command: "set table st_src key 127.0.0.1 data.gpc0 3", file: "table-operator-set.txt", sock: "operator" },
  { command: "show table st_src key 127.0.0.1", file: "table-operator-after-set.txt", sock: "operator" },
  { command: "clear table st_src key 127.0.0.2", file: "table-operator-clear.txt", sock: "operator" },
  { command: "show table st_src key 127.0.0.2", file: "table-operator-after-clear.txt", sock: "operator" },
  { command: "clear table st_src key 127.0.0.9", file: "table-clear-missing.txt" },
  { command: "clear table st_src key not-an-ip", file: "table-clear-bad-key.txt" },
  { command: "set table st_src key 127.0.0.1 data.nosuch 1", file: "table-set-bad-type.txt" },
  { command: "set table st_src key 127.0.0.1 data.gpc0 7", file: "table-set.txt" },
  { command: "set table st_src key 127.0.0.1 data.http_req_rate 7", file: "table-set-rate.txt" },
  { command: "clear table st_src key 127.0.0.2", file: "table-clear.txt" },
  { command: "show table st_src", file: "table-st_src-after.txt" },
];

async function capture(release: Release): Promise<string> {
  const lab = new TableLab({ release });
  try {
    await lab.start();
    const admin: Target = { kind: "unix", path: lab.adminSock };
    await trackGets(lab.trackPort, "127.0.0.1", 3);
    await trackGets(lab.trackPort, "127.0.0.2", 6);
    for (const user of HOSTILE_USERS) await trackGet(lab.trackPort, "127.0.0.3", { "x-user": user });
    await waitFor(
      async () => (await runCommand(admin, "show table st_src")).includes("key=127.0.0.2"),
      10_000,
      "both sources in st_src",
    );
    const dir = join(FIXTURES, `haproxy-${release.version}`);
    mkdirSync(dir, { recursive: true });
    const socks = { operator: lab.operatorSock, user: lab.userSock };
    for (const { command, file, sock } of TABLE_CAPTURES) {
      const target: Target = { kind: "unix", path: sock ? socks[sock] : lab.adminSock };
      writeFileSync(join(dir, file), await sendRaw(target, command), "latin1");
    }
    return dir;
  } finally {
    await lab.stop();
  }
}

captureEachRelease(import.meta.url, "capture-tables", capture);
