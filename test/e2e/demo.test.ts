import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pidsMentioning, waitFor } from "../helpers/haproxy.js";
import { ROOT, TmuxTerm } from "./tmux.js";

// `npm run demo` in a real terminal: the lab comes up with traffic, haptop reloads it for real,
// and `q` tears everything down.
const FOOTER = /^q quit {2}\? help/m;
let term: TmuxTerm | null = null;

afterAll(() => term?.close());

describe("npm run demo", () => {
  it("shows the lab's live traffic, reloads it with r, and q leaves no process behind", {
    timeout: 60_000,
  }, async () => {
    term = await TmuxTerm.start([process.execPath, "--import", "tsx", join(ROOT, "demo/main.ts")], {
      cols: 160,
      rows: 40,
    });
    const first = await term.waitFor(
      [/fe_web\s+OPEN/, /fe_api\s+OPEN/, FOOTER],
      30_000,
      "the demo's frontends",
    );
    const dir = /(\/\S*haptop-demo-[^/\s]+)\/admin\.sock/.exec(first)?.[1];
    expect(dir, first).toBeDefined();
    expect(pidsMentioning(dir!).length).toBeGreaterThan(0);
    // Traffic flows: requests per second above zero on the header's req/s.
    await term.waitFor([/req\/s\s+\S*\s*[1-9]\d*(\.\d)?\s*$/m, FOOTER], 15_000, "traffic");

    await term.sendKeys("r");
    await term.waitFor(
      [/Reload HAProxy \(expose-fd\)/, /-x \S+admin\.sock -sf \d+/],
      15_000,
      "the reload dialog",
    );
    const oldPid = Number(/ pid (\d+) /.exec(await term.screen())?.[1]);
    await term.sendKeys("y");
    await term.waitFor(
      [new RegExp(`reloaded \\(expose-fd\\): pid ${oldPid} → \\d+`), FOOTER],
      30_000,
      "the reload",
    );

    await term.sendKeys("q");
    expect(await term.waitExit(20_000)).toBe(0);
    await waitFor(() => pidsMentioning(dir!).length === 0, 10_000, "every lab process gone");
    expect(existsSync(dir!)).toBe(false);
  });
});
