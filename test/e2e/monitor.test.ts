/**
 * End to end: the real TUI (node --import tsx src/cli.ts) in a real pseudo-terminal (tmux), against
 * a real HAProxy. Keys go in as a user types them; what the screen shows is asserted.
 *
 * What HAProxy shows (frontends, a DOWN server, sessions, errors) is checked on every release of the
 * matrix; terminal handling (keys, signals, sizes, colours, reconnection) once, on the packaged one.
 */
import { execFileSync } from "node:child_process";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseAnsi } from "../../scripts/ansi-to-svg.js";
import { runCommand } from "../../src/client/socket.js";
import { parseStat } from "../../src/parse/stat.js";
import { HaproxyLab, isAlive, killAllStarted, killPid, readPids, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease, describeOnce } from "../helpers/matrix.js";
import { haptopArgs, type TmuxOptions, TmuxTerm } from "./tmux.js";

// Each release's suite starts its own HAProxy and terminals, all at the same time: on a loaded
// 2-core machine a terminal's first screen can take 10+ s (TmuxTerm.start queues them). These are
// upper bounds for conditions waited on, not pauses.
vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

const terms: TmuxTerm[] = [];
const sockets: Socket[] = [];

/** haptop on a lab's admin socket in a new terminal (closed in afterAll). */
async function haptop(lab: HaproxyLab, args: string[] = [], opts: TmuxOptions = {}): Promise<TmuxTerm> {
  const t = await TmuxTerm.start(haptopArgs(lab.adminSock, ...args), opts);
  terms.push(t);
  return t;
}

async function serverStatus(lab: HaproxyLab, backend: string, server: string): Promise<string | undefined> {
  const rows = parseStat(
    await runCommand({ kind: "unix", path: lab.adminSock }, "show stat", { expectPrefix: "# " }),
  );
  return rows.find((r) => r.pxname === backend && r.svname === server)?.status as string | undefined;
}

/** A TCP connection held open by the test. */
async function hold(port: number): Promise<Socket> {
  const s = connect(port, "127.0.0.1");
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once("connect", resolve);
    s.once("error", reject);
  });
  return s;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A lab with app_down DOWN (fall 1) and app1 UP: the backends view has both states. */
async function startLab(lab: HaproxyLab): Promise<void> {
  await lab.start();
  await waitFor(
    async () => (await serverStatus(lab, "be_app", "app_down")) === "DOWN",
    8000,
    "app_down DOWN",
  );
  await waitFor(async () => (await serverStatus(lab, "be_app", "app1")) === "UP", 8000, "app1 UP");
}

const lines = (screen: string) => screen.split("\n");
/** The table rows (below the 4 header lines and the tab bar, above the status line and footer). */
const tableArea = <T>(rows: T[]) => rows.slice(5, -3);
const hasColour = (runs: ReturnType<typeof parseAnsi>) =>
  runs.some((line) => line.some((r) => r.style.fg !== null || r.style.bg !== null));

afterAll(() => {
  for (const s of sockets) s.destroy();
  for (const t of terms) t.close();
  killAllStarted();
});

/**
 * The footer: Ink draws it last, so a screen showing it is a whole frame, not one half drawn. Its
 * first keys depend on the view and the row (`k kill` on sessions…); a prompt has its own.
 */
const FOOTER = /q quit {2}\? help|^Enter apply {2}Esc cancel|^Esc close {2}↑ up/m;
const not = (re: RegExp) => (s: string) => !re.test(s);
const GAUGE = "[█-▏░]+";
const row = (name: string, rest: string) => new RegExp(`^\\s*${name}\\s+${rest}`, "m");
/** Drops the SGR escapes of a capture. */
const plain = (ansi: string) =>
  parseAnsi(ansi)
    .map((l) => l.map((r) => r.text).join(""))
    .join("\n");

describeEachRelease("haptop in a real terminal", (release) => {
  const lab = new HaproxyLab({ release });
  let main: TmuxTerm;

  beforeAll(async () => {
    await startLab(lab);
    main = await haptop(lab, [], { cols: 120, rows: 35 });
    await main.waitFor(/fe_tcp/, 20_000, "the first frame");
  });

  afterAll(async () => {
    main?.close();
    await lab.stop();
  });

  it("shows the frontends with their session gauges", async () => {
    await main.sendKeys("1");
    await main.waitFor(
      [
        new RegExp(
          `^haptop {2}HAProxy ${escapeRe(release.version)}\\S* {2}pid \\d+ .*admin\\.sock \\[admin\\]`,
        ),
        /^FRONTEND\s+STATUS\s+SESSIONS\b/m,
        row("fe_main", `OPEN\\s+${GAUGE} 0/500\\b`),
        row("fe_tcp", `OPEN\\s+${GAUGE} \\d+/\\d+\\b`),
        FOOTER,
      ],
      10_000,
      "the frontends with 0/500-style gauges",
    );
  });

  it("shows the backends with their servers, the DOWN one included; `*` folds and unfolds them", async () => {
    await main.sendKeys("2");
    const unfolded = [
      /^▾ be_app\s+UP\b/m,
      row("app1", "UP\\b"),
      row("app_down", "DOWN\\b"),
      /^▾ be_tcp\b/m,
      FOOTER,
    ];
    await main.waitFor(unfolded, 10_000, "be_app with app1 UP and app_down DOWN");
    // Backends start unfolded, so `*` folds them all, and again unfolds them.
    await main.sendKeys("*");
    await main.waitFor([/^▸ be_app\b/m, /^▸ be_tcp\b/m, not(/app_down/), FOOTER], 5000, "folded");
    await main.sendKeys("*");
    await main.waitFor(unfolded, 5000, "unfolded again");
  });

  it("lists a live TCP connection in the sessions view, with its source address", async () => {
    const conn = await hold(lab.ports.tcp);
    const source = `${conn.localAddress}:${conn.localPort}`.replace(/\./g, "\\.");
    await main.sendKeys("3");
    await main.waitFor(
      [/^SOURCE\s+FRONTEND\s+BACKEND\s+SERVER\b/m, row(source, "fe_tcp\\s+be_tcp\\s+tcp1\\b"), FOOTER],
      10_000,
      `the session from ${source}`,
    );
    conn.destroy();
  });

  it("lists a captured protocol error in the errors view", async () => {
    // A request line with a control byte: HAProxy answers 400 and keeps the request in `show errors`.
    const conn = await hold(lab.ports.http);
    const source = `${conn.localAddress}:${conn.localPort}`.replace(/\./g, "\\.");
    conn.write("GET /\x01bad HTTP/1.1\r\n\r\n");
    await main.sendKeys("4");
    await main.waitFor(
      [
        /^TIME\s+PROXY\s+DIR\s+REASON\b/m,
        row("\\S+", `fe_main\\s+request\\s+invalid request\\s+${source}\\s+5\\b`),
        FOOTER,
      ],
      10_000,
      `the invalid request from ${source}`,
    );
    conn.destroy();
  });
});

describeOnce("terminal handling", () => {
  const lab = new HaproxyLab();
  let main: TmuxTerm;

  beforeAll(async () => {
    await startLab(lab);
    // Wide: on a loaded machine polls are slow and the tab bar also carries the adaptive-polling
    // notice, which would push the filter indicator off a narrower screen.
    main = await haptop(lab, [], { cols: 200, rows: 35 });
    await main.waitFor(/fe_tcp/, 20_000, "the first frame");
  });

  afterAll(async () => {
    main?.close();
    await lab.stop();
  });

  it("narrows the rows with the filter", async () => {
    await main.sendKeys("2");
    await main.waitFor([row("app1", "UP\\b"), FOOTER], 5000, "app1");
    await main.sendKeys("/");
    await main.type("app_d");
    await main.waitFor([/^filter: app_d▏/m, FOOTER], 5000, "the filter prompt");
    await main.sendKeys("Enter");
    await main.waitFor(
      [/filter \/app_d/, row("app_down", "DOWN\\b"), not(/^\s+app1\b/m), not(/be_tcp|tcp1/), FOOTER],
      5000,
      "only app_down",
    );
    // Esc clears it.
    await main.sendKeys("Escape");
    await main.waitFor(
      [row("app1", "UP\\b"), row("tcp1", ""), not(/filter \//), FOOTER],
      5000,
      "every row again",
    );
  });

  it("opens the help overlay with `?` and closes it with Esc", async () => {
    await main.sendKeys("?");
    await main.waitFor(
      [/│ General/, /Quit and restore the terminal/, /Esc\/q\/\? close/, FOOTER],
      5000,
      "the help",
    );
    await main.sendKeys("Escape");
    await main.waitFor([not(/Quit and restore/), row("app1", "UP\\b"), FOOTER], 5000, "the table again");
  });

  it.each([
    ["q", "q"],
    ["Ctrl-C", "C-c"],
  ])("%s exits with code 0 and restores the terminal", async (_name, key) => {
    const t = await haptop(lab, [], { cols: 100, rows: 30, raw: true });
    await t.waitFor([/fe_tcp/, FOOTER], 20_000, "the first frame");
    expect(await t.display("#{alternate_on} #{cursor_flag}")).toBe("1 0"); // the TUI's own screen, no cursor
    await t.sendKeys(key);
    expect(await t.waitExit(10_000)).toBe(0);
    // Back on the normal screen, cursor shown, and nothing of the UI left on it.
    expect(await t.display("#{alternate_on} #{cursor_flag}")).toBe("0 1");
    expect((await t.screen()).trim()).toBe("");
    const modes = [...t.rawOutput().matchAll(/\x1b\[\?(25|1049)([hl])/g)];
    expect(modes.filter((m) => m[1] === "25").at(-1)?.[2]).toBe("h");
    expect(modes.filter((m) => m[1] === "1049").at(-1)?.[2]).toBe("l");
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)("%s restores the terminal and exits %i", async (signal, code) => {
    const t = await haptop(lab, [], { cols: 100, rows: 30, raw: true });
    await t.waitFor([/fe_tcp/, FOOTER], 20_000, "the first frame");
    // The pane runs a small sh wrapper; haptop is its node child.
    const shPid = (await t.display("#{pane_pid}")).trim();
    const child = execFileSync("ps", ["-o", "pid=", "--ppid", shPid], { encoding: "utf8" })
      .trim()
      .split(/\s+/)[0];
    expect(Number(child)).toBeGreaterThan(0);
    process.kill(Number(child), signal);
    expect(await t.waitExit(10_000)).toBe(code);
    expect(await t.display("#{alternate_on} #{cursor_flag}")).toBe("0 1");
    const modes = [...t.rawOutput().matchAll(/\x1b\[\?(25|1049)([hl])/g)];
    expect(modes.filter((m) => m[1] === "1049").at(-1)?.[2]).toBe("l");
  });

  it("renders at 80x24, asks for more room at 60x20, and renders again when resized back", async () => {
    const t = await haptop(lab, [], { cols: 80, rows: 24 });
    const screen = await t.waitFor(
      [/^FRONTEND\s+STATUS\s+SESSIONS\b/m, row("fe_main", `OPEN\\s+${GAUGE} 0/500\\b`), FOOTER],
      20_000,
      "the frontends at 80x24",
    );
    expect(lines(screen).every((l) => [...l].length <= 80)).toBe(true);
    await t.sendKeys("2");
    await t.waitFor(
      [/^NAME\s+STATUS\b.*SESSIONS\b/m, row("app_down", `DOWN\\s+.*\\s${GAUGE} \\d+/-`), FOOTER],
      5000,
      "name, status and gauge columns of the servers at 80x24",
    );
    await t.resize(60, 20);
    await t.waitFor(/terminal too small: 60×20, need at least 80×24/, 5000, "too small");
    await t.resize(100, 30);
    await t.waitFor([row("app_down", "DOWN\\b"), FOOTER], 5000, "the UI again");
  });

  describe("colours", () => {
    let noColorEnv: TmuxTerm;
    let noColorFlag: TmuxTerm;
    /** The frontends view, as a whole frame with its escapes. */
    const frontends = async (t: TmuxTerm) => {
      await t.sendKeys("1");
      return t.waitForAnsi(
        [(a) => row("fe_main", `OPEN\\s+${GAUGE} 0/500\\b`).test(plain(a)), (a) => FOOTER.test(plain(a))],
        20_000,
        "the frontends",
      );
    };
    /** Any colour SGR parameter (tmux writes 39/49 resets, which are not colours). */
    const COLOUR_SGR = /\x1b\[[0-9;]*\b(3[0-7]|38;[25]|4[0-7]|48;[25]|9[0-7]|10[0-7])\b[0-9;]*m/;

    beforeAll(async () => {
      [noColorEnv, noColorFlag] = await Promise.all([
        haptop(lab, [], { cols: 120, rows: 35, env: { NO_COLOR: "1" } }),
        haptop(lab, ["--no-color"], { cols: 120, rows: 35 }),
      ]);
    });

    it("colours the table by default", async () => {
      const runs = parseAnsi(await frontends(main));
      expect(hasColour(tableArea(runs))).toBe(true);
    });

    it("uses no colour with NO_COLOR=1, and keeps bold and inverse (cursor row, current tab)", async () => {
      const ansi = await frontends(noColorEnv);
      const runs = parseAnsi(ansi);
      expect(hasColour(runs), ansi).toBe(false);
      expect(ansi).not.toMatch(COLOUR_SGR);
      expect(
        tableArea(runs).some((l) => l.some((r) => r.style.inverse && r.text.startsWith("fe_main"))),
      ).toBe(true);
      expect(runs.some((l) => l.some((r) => r.style.bold))).toBe(true);
    });

    it("uses no colour with --no-color", async () => {
      const ansi = await frontends(noColorFlag);
      expect(hasColour(parseAnsi(ansi)), ansi).toBe(false);
      expect(ansi).not.toMatch(COLOUR_SGR);
    });

    // chalk's supports-color reads `--no-color` from argv and would drop ALL styling, the cursor
    // row's inverse too; haptop hides the flag from it (src/main.ts).
    it("with --no-color the cursor row is still shown (inverse)", async () => {
      const runs = parseAnsi(await frontends(noColorFlag));
      expect(tableArea(runs).some((l) => l.some((r) => r.style.inverse))).toBe(true);
    });
  });

  // Last: it kills the lab's HAProxy.
  it("shows DISCONNECTED with the last data when HAProxy dies, and recovers by itself when it is back", async () => {
    await main.sendKeys("1");
    const before = await main.waitFor(
      [/^haptop .* pid \d+ /, row("fe_main", "OPEN"), FOOTER],
      5000,
      "the pid",
    );
    const oldPid = Number(/ pid (\d+) /.exec(before)![1]);
    const pids = lab.pids();
    expect(pids).toContain(oldPid);
    for (const pid of pids) killPid(pid, "SIGKILL");
    await waitFor(() => pids.every((p) => !isAlive(p)), 5000, "haproxy dead");

    await main.waitFor(
      [
        /DISCONNECTED/,
        new RegExp(`${lab.adminSock.replace(/[.]/g, "\\.")}: connection refused`),
        /retry in \d+s|retrying…/,
        // The last data stays.
        new RegExp(`^haptop .* pid ${oldPid} `),
        row("fe_main", `OPEN\\s+${GAUGE} 0/500\\b`),
        FOOTER,
      ],
      10_000,
      "DISCONNECTED with the error, a countdown and the last data",
    );

    await lab.startDaemon();
    const newPid = readPids(lab.pidfile)[0]!;
    expect(newPid).not.toBe(oldPid);
    // No key pressed: the backoff retry reconnects (at most 5 s apart).
    await main.waitFor(
      [
        not(/DISCONNECTED/),
        new RegExp(`^haptop .* pid ${newPid} `),
        /updated \d+\.\ds ago/,
        row("fe_main", "OPEN"),
        FOOTER,
      ],
      15_000,
      `reconnected to pid ${newPid}`,
    );
  });
});
