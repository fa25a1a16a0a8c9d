/**
 * End to end, in a real terminal (tmux) on a real HAProxy (test/helpers/mapLab.ts: `fe_maps` denies
 * a source found in block.map): view 7 lists the maps and ACLs, Enter opens block.map, `a` adds
 * 127.0.0.2 through the prompt and the confirmation (its exact command), the entry appears and the
 * next request from 127.0.0.2 gets 403 (127.0.0.4 still 200); `x` deletes it and 200 comes back.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { killAllStarted, waitFor } from "../helpers/haproxy.js";
import { MapLab, mapsGet } from "../helpers/mapLab.js";
import { describeEachRelease } from "../helpers/matrix.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

afterAll(() => killAllStarted());

/** The footer, drawn last: a screen showing it is a whole frame. */
const FOOTER = /q quit {2}\? help|Enter confirm {2}Esc cancel|Enter apply {2}Esc cancel|^Enter \S+/m;
const not = (re: RegExp) => (s: string) => !re.test(s);

/** The dialog's text: the inner part of every boxed line, joined (long lines wrap). */
function dialogText(screen: string): string {
  return screen
    .split("\n")
    .filter((l) => l.startsWith("│") && l.trimEnd().endsWith("│"))
    .map((l) => l.trimEnd().slice(1, -1).trim())
    .join(" ")
    .replace(/\s+/g, " ");
}

describeEachRelease("maps view in a real terminal", (release) => {
  const lab = new MapLab({ release });
  let term: TmuxTerm;

  beforeAll(async () => {
    await lab.start();
    await waitFor(async () => (await mapsGet(lab)) === 200, 10_000, "fe_maps answering 200");
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: 140, rows: 35 });
    await term.waitFor([/^fe_maps\b/m, FOOTER], 20_000, "the first frame");
  });

  afterAll(async () => {
    term?.close();
    await lab.stop();
  });

  it("view 7 lists the maps and ACLs with their ids, files and entry counts", async () => {
    await term.sendKeys("7");
    await term.waitFor(
      [
        /^TYPE\s+ID\S*\s+FILE\s+ENTRIES\b/m,
        /^map\s+#\d+\s+\S*\/block\.map\s+2\b/m,
        /^acl\s+#\d+\s+\S*\/blocked\.acl\s+3\b/m,
        /3 maps, \d+ ACLs/,
        FOOTER,
      ],
      10_000,
      "the lists",
    );
  });

  it("Enter opens block.map; `a` adds 127.0.0.2 through the dialog; its next request gets 403", async () => {
    await term.sendKeys("g", "Enter");
    await term.waitFor(
      [/^REF\s+KEY\s+VALUE\b/m, /^0x[0-9a-f]+\s+10\.77\.0\.1\s+abuse\b/m, / 2 in block\.map$/m, FOOTER],
      10_000,
      "the entries of block.map",
    );
    expect(await mapsGet(lab, "127.0.0.2")).toBe(200);
    await term.sendKeys("a");
    await term.waitFor([/Add an entry to map #\d+/, /key, a space, then the value/], 5000, "the prompt");
    await term.type("127.0.0.2 blocked-e2e");
    await term.sendKeys("Enter");
    const dialog = await term.waitFor(
      [/│ Add 127\.0\.0\.2 → blocked-e2e to map #\d+/, /Enter\/y confirm/],
      10_000,
      "the confirmation",
    );
    expect(dialogText(dialog)).toMatch(/sends \(exactly\): add map #\d+ 127\.0\.0\.2 blocked-e2e /);
    expect(await mapsGet(lab, "127.0.0.2")).toBe(200); // nothing sent before the confirmation
    await term.sendKeys("y");
    await term.waitFor(
      [
        /^0x[0-9a-f]+\s+127\.0\.0\.2\s+blocked-e2e\b/m,
        /verified: 127\.0\.0\.2 blocked-e2e is in map #\d+/,
        not(/Enter\/y confirm/),
        FOOTER,
      ],
      10_000,
      "the new entry and the verified outcome",
    );
    expect(await mapsGet(lab, "127.0.0.2")).toBe(403);
    expect(await mapsGet(lab, "127.0.0.4")).toBe(200);
  });

  it("`x` on the new entry deletes it by reference; 200 comes back", async () => {
    await term.sendKeys("/");
    await term.type("blocked-e2e");
    await term.sendKeys("Enter");
    await term.waitFor(
      [/^0x[0-9a-f]+\s+127\.0\.0\.2\s+blocked-e2e\b/m, not(/10\.77\.0\.1/), FOOTER],
      5000,
      "filtered",
    );
    await term.sendKeys("x");
    const dialog = await term.waitFor(
      [/│ Delete 127\.0\.0\.2 from map #\d+/, /Enter\/y confirm/],
      10_000,
      "the confirmation",
    );
    expect(dialogText(dialog)).toMatch(/sends \(exactly\): del map #\d+ #0x[0-9a-f]+ /);
    await term.sendKeys("y");
    await term.waitFor(
      [/verified: entry 0x[0-9a-f]+ \(127\.0\.0\.2\) is gone/, not(/^0x\S+\s+127\.0\.0\.2/m), FOOTER],
      10_000,
      "gone",
    );
    expect(await mapsGet(lab, "127.0.0.2")).toBe(200);
  });
});
