/**
 * Captures the map and ACL replies of every HAProxy release of the test matrix into
 * test/fixtures/haproxy-<version>/ (issue 13, point 3): `show map`, `show acl`, the entries of a
 * map and of an ACL (after adding an entry whose key and value needed the CLI's escaping), `get
 * map` found and not found, and an unknown map id. The lab is test/helpers/mapLab.ts. Only temp
 * paths and heap addresses end up in the files. Run: `npx tsx scripts/capture-map-fixtures.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Release } from "../lab/releases.js";
import { sendRaw } from "../src/client/socket.js";
import type { Target } from "../src/client/target.js";
import { MapLab } from "../test/helpers/mapLab.js";
import { captureEachRelease, FIXTURES } from "./captureKit.js";

/** The id `show map` / `show acl` gives the file `name` (the first column of its line). */
function idOf(list: string, name: string): number {
  const line = list.split("\n").find((l) => l.includes(`/${name})`));
  if (!line) throw new Error(`no ${name} in:\n${list}`);
  return Number(line.split(" ", 1)[0]);
}

async function capture(release: Release): Promise<string> {
  const lab = new MapLab({ release });
  try {
    await lab.start();
    const admin: Target = { kind: "unix", path: lab.adminSock };
    const cli = (cmd: string) => sendRaw(admin, cmd);
    const maps = await cli("show map");
    const acls = await cli("show acl");
    const block = idOf(maps, "block.map");
    const hdr = idOf(maps, "hdr.map");
    const acl = idOf(acls, "blocked.acl");
    // Entries added at runtime: a value with spaces, a key with a `;` and a value with a `\`.
    await cli(`add map #${block} 127.0.0.2 added\\ at\\ runtime`);
    await cli(`add map #${hdr} semi\\;colon back\\\\slash`);
    await cli(`add acl #${acl} 127.0.0.3`);
    const files: Record<string, string> = {
      "show-map.txt": maps,
      "show-acl.txt": acls,
      "show-map-entries.txt": await cli(`show map #${block}`),
      "show-map-entries-escaped.txt": await cli(`show map #${hdr}`),
      "show-acl-entries.txt": await cli(`show acl #${acl}`),
      "show-map-unknown.txt": await cli("show map #999"),
      "show-acl-unknown.txt": await cli("show acl #999"),
      "get-map-found.txt": await cli(`get map #${block} 127.0.0.2`),
      "get-map-missing.txt": await cli(`get map #${block} 10.99.0.1`),
      "del-map-missing-ref.txt": await cli(`del map #${block} #0x1`),
    };
    const dir = join(FIXTURES, `haproxy-${release.version}`);
    mkdirSync(dir, { recursive: true });
    for (const [file, reply] of Object.entries(files)) writeFileSync(join(dir, file), reply, "latin1");
    return dir;
  } finally {
    await lab.stop();
  }
}

captureEachRelease(import.meta.url, "capture-map-fixtures", capture);
