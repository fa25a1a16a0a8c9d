/**
 * The real TUI in a real terminal (tmux) against hostile fake peers, for what a real HAProxy
 * cannot produce: `q` must quit at once while a reply hangs, drips, or is a huge reply of tiny
 * rows being read; bytes from the peer (OSC, C1 CSI, bidi) never reach the terminal raw; a peer
 * that is not HAProxy gets the same message as in batch mode.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Behaviour, type FakePeer, fixture, saneReply, startFake } from "../fuzz/fake.js";
import { hostileReplies } from "../fuzz/hostile.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

const dir = mkdtempSync(join(tmpdir(), "haptop-e2e-hostile-"));
const peers: FakePeer[] = [];
const terms: TmuxTerm[] = [];
afterAll(async () => {
  for (const t of terms) t.close();
  await Promise.all(peers.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function tuiOn(
  behaviour: Behaviour,
  raw = false,
  cols = 120,
): Promise<{ term: TmuxTerm; peer: FakePeer }> {
  const peer = await startFake(dir, behaviour);
  peers.push(peer);
  const path = peer.target.kind === "unix" ? peer.target.path : "";
  const term = await TmuxTerm.start(haptopArgs("--timeout", "30", path), { cols, rows: 30, raw });
  terms.push(term);
  return { term, peer };
}

/** Presses q and returns how long the TUI took to exit (ms), and its exit status. */
async function quit(term: TmuxTerm): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  await term.sendKeys("q");
  const code = await term.waitExit(10_000);
  return { ms: performance.now() - started, code };
}

const statHeader = fixture("show-stat.txt").split("\n")[0]!;

describe("q stays responsive against a hostile peer", () => {
  it("while the reply hangs", async () => {
    const { term, peer } = await tuiOn(() => {});
    await term.waitFor(/haptop|HAProxy|waiting/i, 15_000, "the TUI to draw");
    await expectRequest(peer);
    const { ms, code } = await quit(term);
    expect(code).toBe(0);
    // Generous: the machine is shared; the target (0.5 s) is reported by the log below.
    expect(ms).toBeLessThan(3000);
    console.log(`q during a hanging reply: exited in ${Math.round(ms)} ms`);
  });

  it("while a 3 MB reply of 1.5M tiny rows is being read", async () => {
    const rows = "a\n".repeat(1_500_000); // 3 MB, 1.5M rows: the shape of the issue
    const { term, peer } = await tuiOn((cmds, s) =>
      s.end(
        cmds.map((c) => (c.startsWith("show stat") ? `${statHeader}\n${rows}\n` : saneReply(c))).join(""),
      ),
    );
    await term.waitFor(/haptop|HAProxy|waiting/i, 15_000, "the TUI to draw");
    await expectRequest(peer);
    const { ms, code } = await quit(term);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(3000);
    console.log(`q during a 1.5M-row reply: exited in ${Math.round(ms)} ms`);
  });
});

describe("bytes from the peer on the terminal", () => {
  it("OSC, C1 CSI and bidi controls in names and show info never reach the terminal raw", async () => {
    const bad = Buffer.from("\u001b]0;pwned\u0007\u001b]52;c;eA==\u0007\u009b2J\u202e", "utf8");
    const { info, stat } = hostileReplies(bad);
    const { term } = await tuiOn(
      (cmds, s) =>
        s.end(
          Buffer.concat(
            cmds.map((c) =>
              c === "show info" ? info : c.startsWith("show stat") ? stat : Buffer.from(saneReply(c)),
            ),
          ),
        ),
      true,
    );
    await term.waitFor(/fe_main/, 15_000, "the first frame with data");
    await term.sendKeys("2");
    await term.waitFor(/be\\x1b]0;pw/, 15_000, "the hostile backend name, escaped");
    const out = term.rawOutput(); // latin1: one char per byte
    expect(out).not.toContain("\u001b]0;pwned");
    expect(out).not.toContain("\u001b]52;");
    expect(out).not.toContain("\u00c2\u009b"); // U+009B in UTF-8
    expect(out).not.toContain("\u00e2\u0080\u00ae"); // U+202E in UTF-8
    await quit(term);
  });

  it("a peer that is not HAProxy: the status line says so, as batch mode does", async () => {
    const { term } = await tuiOn(
      (_c, s) => s.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"),
      false,
      250,
    );
    await term.waitFor(/the target answered, but not as HAProxy's Runtime API does/, 15_000, "the message");
    await quit(term);
  });
});

async function expectRequest(peer: FakePeer): Promise<void> {
  const end = Date.now() + 15_000;
  while (peer.requests === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(peer.requests).toBeGreaterThan(0);
}
