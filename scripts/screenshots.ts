/**
 * Screenshots for the README (npm run screenshots): starts the demo lab (HAProxy with live,
 * bounded loopback traffic), runs the real TUI in a 120x36 tmux terminal, and captures the
 * frontends, backends, sessions and help views into screenshots/<view>.svg, with the raw
 * `tmux capture-pane -e` dumps next to them (<view>.ansi). Everything started is stopped at the end.
 *
 *   npm run screenshots [-- --warmup 15]   (seconds of traffic before the first capture)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Lab, startLab } from "../demo/lab.js";
import { haptopArgs, TmuxTerm } from "../lab/tmux.js";
import { ansiToSvg, parseAnsi } from "./ansi-to-svg.js";

const COLS = 120;
const ROWS = 36;
const OUT_DIR = fileURLToPath(new URL("../screenshots/", import.meta.url));

interface Shot {
  name: string;
  title: string;
  /** Keys to get there (tmux key names). */
  keys: string[];
  /** What the screen must show before it is captured. */
  ready: RegExp | ((screen: string) => boolean);
}

const SHOTS: Shot[] = [
  {
    name: "frontends",
    title: "haptop — frontends",
    keys: ["1", "g"],
    ready: (s) => /^fe_web\s+OPEN\b/m.test(s) && /^fe_api\b/m.test(s) && /^fe_tcp\b/m.test(s),
  },
  {
    name: "backends",
    title: "haptop — backends and servers",
    // Down twice: the cursor on a server, so the footer shows the server actions.
    keys: ["2", "g", "Down", "Down"],
    ready: (s) =>
      /^▾ be_web\b/m.test(s) && /^\s+web4\b/m.test(s) && /^\s+echo2\b/m.test(s) && /d maint/.test(s),
  },
  {
    name: "sessions",
    title: "haptop — live sessions",
    keys: ["3", "g"],
    ready: (s) => /\b([5-9]|\d\d+) sessions\b/.test(s) && /^127\.0\.0\.1:\d+\s+fe_/m.test(s),
  },
  {
    name: "help",
    title: "haptop — help",
    keys: ["1", "?"],
    ready: /Quit and restore the terminal/,
  },
];

/** The footer: Ink draws it last, so a capture showing it holds a whole frame, not one half drawn. */
const FOOTER = /(^| {2})q quit {2}\? help|^Esc close /m;

/** The text of a capture, without its escapes. */
const plain = (ansi: string) =>
  parseAnsi(ansi)
    .map((line) => line.map((r) => r.text).join(""))
    .join("\n");

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function warmupSeconds(argv: string[]): number {
  const i = argv.indexOf("--warmup");
  if (i < 0) return 15;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n < 0 || n > 300) throw new Error("--warmup: seconds between 0 and 300");
  return n;
}

async function main(): Promise<void> {
  const warmup = warmupSeconds(process.argv.slice(2));
  let lab: Lab | undefined;
  let term: TmuxTerm | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      term?.close();
      await lab?.stop();
    })();
    return cleaning;
  };
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`\n${sig}: stopping\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    lab = await startLab({ log: (s) => process.stderr.write(`lab: ${s}\n`) });
    term = await TmuxTerm.start(haptopArgs(lab.adminSock, "--config", lab.cfg, "--pidfile", lab.pidfile), {
      cols: COLS,
      rows: ROWS,
    });
    await term.waitFor(/^fe_web\b/m, 30_000, "haptop's first frame");
    process.stderr.write(`traffic for ${warmup} s (rates and sparklines)…\n`);
    await sleep(warmup * 1000);
    await term.waitFor(/req\/s .*\d/, 10_000, "live traffic");

    mkdirSync(OUT_DIR, { recursive: true });
    for (const shot of SHOTS) {
      await term.sendKeys("Escape"); // leaves the help, clears a filter: a known state
      await term.sendKeys(...shot.keys);
      await term.waitFor([shot.ready, FOOTER], 20_000, `the ${shot.name} view`);
      await sleep(1200); // one more poll: fresh rates
      const { ready } = shot;
      const isReady = typeof ready === "function" ? ready : (s: string) => ready.test(s);
      // The capture itself must hold a whole frame (the UI redraws several times a second).
      const ansi = await term.waitForAnsi(
        (a) => isReady(plain(a)) && FOOTER.test(plain(a)),
        10_000,
        `a whole frame of the ${shot.name} view`,
      );
      writeFileSync(`${OUT_DIR}${shot.name}.ansi`, ansi);
      writeFileSync(
        `${OUT_DIR}${shot.name}.svg`,
        ansiToSvg(ansi, { cols: COLS, rows: ROWS, title: shot.title }),
      );
      process.stderr.write(`screenshots/${shot.name}.svg\n`);
    }
    await term.sendKeys("Escape", "q");
    const code = await term.waitExit(10_000);
    if (code !== 0) throw new Error(`haptop exited with ${code}`);
  } finally {
    await cleanup();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
