import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  ansiToSvg,
  applySgr,
  charCells,
  color256,
  DARK_THEME,
  escapeXml,
  PLAIN,
  parseAnsi,
  type Style,
} from "../../../scripts/ansi-to-svg.js";

const ESC = "\x1b";

const hasXmllint = (() => {
  try {
    execFileSync("xmllint", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const sgr = (params: string) => applySgr({ ...PLAIN }, params);
const style = (over: Partial<Style>): Style => ({ ...PLAIN, ...over });

describe("applySgr", () => {
  it("sets the 16 colours, foreground and background, normal and bright", () => {
    expect(sgr("31").fg).toBe(DARK_THEME.ansi[1]);
    expect(sgr("42").bg).toBe(DARK_THEME.ansi[2]);
    expect(sgr("94").fg).toBe(DARK_THEME.ansi[12]);
    expect(sgr("107").bg).toBe(DARK_THEME.ansi[15]);
  });

  it("reads 256-colour and truecolor, with ';' and ':' separators", () => {
    expect(sgr("38;5;196").fg).toBe("#ff0000");
    expect(sgr("48;5;21").bg).toBe("#0000ff");
    expect(sgr("38;5;244").fg).toBe("#808080");
    expect(sgr("38;2;1;2;255").fg).toBe("#0102ff");
    expect(sgr("48;2;10;20;30").bg).toBe("#0a141e");
    expect(sgr("38:5:46").fg).toBe("#00ff00");
    expect(sgr("38:2::255:128:0").fg).toBe("#ff8000");
    expect(sgr("38:2:255:128:0").fg).toBe("#ff8000");
  });

  it("keeps reading parameters after an extended colour", () => {
    expect(sgr("38;5;196;1;48;2;0;0;0;4")).toEqual(
      style({ fg: "#ff0000", bold: true, bg: "#000000", underline: true }),
    );
  });

  it("sets and clears the attributes", () => {
    expect(sgr("1;2;3;4;7;8;9")).toEqual(
      style({
        bold: true,
        dim: true,
        italic: true,
        underline: true,
        inverse: true,
        hidden: true,
        strike: true,
      }),
    );
    const all = sgr("1;2;3;4;7;8;9;31;41");
    expect(applySgr(all, "22;23;24;27;28;29;39;49")).toEqual(PLAIN);
    expect(applySgr(all, "0")).toEqual(PLAIN);
    expect(applySgr(all, "")).toEqual(PLAIN);
  });

  it("ignores unknown and malformed parameters", () => {
    expect(sgr("5;53;38;5;999;x")).toEqual(PLAIN);
    expect(sgr("38")).toEqual(PLAIN);
    expect(sgr("48;5")).toEqual(PLAIN);
    expect(sgr("38;2;1;2")).toEqual(PLAIN);
  });
});

describe("color256", () => {
  it("maps the cube and the grey ramp like xterm", () => {
    expect(color256(16)).toBe("#000000");
    expect(color256(231)).toBe("#ffffff");
    expect(color256(67)).toBe("#5f87af");
    expect(color256(232)).toBe("#080808");
    expect(color256(255)).toBe("#eeeeee");
    expect(color256(1)).toBe(DARK_THEME.ansi[1]);
    expect(color256(256)).toBeNull();
  });
});

describe("parseAnsi", () => {
  it("splits lines into runs at each style change, carrying the style across lines", () => {
    const lines = parseAnsi(`plain ${ESC}[1;32mbold green${ESC}[0m back\n${ESC}[7mrev\nnext${ESC}[m\n`);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual([
      { text: "plain ", cells: 6, style: PLAIN },
      { text: "bold green", cells: 10, style: style({ bold: true, fg: DARK_THEME.ansi[2] }) },
      { text: " back", cells: 5, style: PLAIN },
    ]);
    expect(lines[1]).toEqual([{ text: "rev", cells: 3, style: style({ inverse: true }) }]);
    expect(lines[2]).toEqual([{ text: "next", cells: 4, style: style({ inverse: true }) }]);
  });

  it("merges runs whose style did not really change", () => {
    const lines = parseAnsi(`a${ESC}[39m${ESC}[49mb${ESC}[0mc`);
    expect(lines[0]).toEqual([{ text: "abc", cells: 3, style: PLAIN }]);
  });

  it("drops other escape sequences and control characters", () => {
    const lines = parseAnsi(
      `${ESC}]0;title${ESC}\\${ESC}[?25l${ESC}[2J${ESC}]8;;http://x\x07a${ESC}7\x00b\r\n`,
    );
    expect(lines).toEqual([[{ text: "ab", cells: 2, style: PLAIN }]]);
  });

  it("counts wide characters as two cells and box drawing as one", () => {
    const [line] = parseAnsi("日本 █░▏│");
    expect(line![0]!.cells).toBe(9);
    expect(charCells("é".codePointAt(0)!)).toBe(1);
    expect(charCells(0x301)).toBe(0);
  });

  it("expands tabs to the next multiple of 8", () => {
    expect(parseAnsi("ab\tc")[0]![0]!.text).toBe("ab      c");
  });
});

describe("escapeXml", () => {
  it("escapes markup and drops what XML cannot hold", () => {
    expect(escapeXml(`<a href="x">&'</a>\u0001\uFFFE`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;",
    );
  });
});

describe("ansiToSvg", () => {
  const dump = `${ESC}[1mhaptop${ESC}[0m  <pid> & "node"\n${ESC}[32m OPEN ${ESC}[39m ${ESC}[7m cursor ${ESC}[0m\n${ESC}[38;5;196;48;2;0;0;255mred on blue${ESC}[0m\n\n`;

  it("writes a standalone SVG with one <text> per line and one <tspan> per run", () => {
    const svg = ansiToSvg(dump, { cols: 40, rows: 5, title: "haptop <test>" });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("<title>haptop &lt;test&gt;</title>");
    expect(svg.match(/<text y=/g)).toHaveLength(3);
    expect(svg).toContain('class="b">haptop</tspan>');
    expect(svg).toContain("&lt;pid&gt; &amp; &quot;node&quot;");
    expect(svg).toContain(`style="fill:${DARK_THEME.ansi[2]}"> OPEN </tspan>`);
    expect(svg).toContain('style="fill:#ff0000">red on blue</tspan>');
    expect(svg).toContain('fill="#0000ff"/>'); // its background
    // Inverse: the default foreground becomes the background, the text takes the background colour.
    expect(svg).toContain(`fill="${DARK_THEME.foreground}"/>`);
    expect(svg).toContain(`style="fill:${DARK_THEME.background}"> cursor </tspan>`);
    expect(svg).toContain(`fill="${DARK_THEME.background}"`);
    expect(svg).not.toMatch(/\x1b/);
  });

  it("sizes the image from cols and rows, or from the content", () => {
    const size = (svg: string) => /width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    const [w1, h1] = size(ansiToSvg(dump, { cols: 40, rows: 5, chrome: false, fontSize: 10 }));
    expect(w1).toBeCloseTo(40 * 6 + 24);
    expect(h1).toBeCloseTo(5 * 12 + 24);
    const [w2, h2] = size(ansiToSvg(dump, { chrome: false, fontSize: 10 }));
    expect(w2).toBeCloseTo(22 * 6 + 24); // the widest line: `haptop  <pid> & "node"`
    expect(h2).toBeCloseTo(3 * 12 + 24); // trailing blank lines dropped
  });

  it("clips lines longer than the terminal and pins non-ASCII runs to their cells", () => {
    const svg = ansiToSvg(`${"x".repeat(30)}\n██░░\n`, { cols: 10, rows: 2, chrome: false, fontSize: 10 });
    expect(svg).toContain('textLength="24" lengthAdjust="spacingAndGlyphs">██░░</tspan>');
    expect(svg).toContain(`>${"x".repeat(30)}</tspan>`); // text is kept; the first run starts in view
    const clipped = ansiToSvg(`${"a".repeat(10)}${ESC}[1mhidden`, { cols: 10, rows: 1, chrome: false });
    expect(clipped).not.toContain("hidden");
  });

  it.skipIf(!hasXmllint)("is well-formed XML (xmllint)", () => {
    const dir = mkdtempSync(join(tmpdir(), "ansi-svg-"));
    try {
      const file = join(dir, "t.svg");
      writeFileSync(file, ansiToSvg(`${dump}\u0007<&>\u0001 ${ESC}[4;9munder${ESC}[0m`, { title: "a&b" }));
      execFileSync("xmllint", ["--noout", file], { stdio: "pipe" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs as a command line: dump file in, SVG out", () => {
    const dir = mkdtempSync(join(tmpdir(), "ansi-svg-"));
    try {
      const input = join(dir, "in.ansi");
      const output = join(dir, "out.svg");
      writeFileSync(input, dump);
      const script = fileURLToPath(new URL("../../../scripts/ansi-to-svg.ts", import.meta.url));
      execFileSync(process.execPath, [
        "--import",
        "tsx",
        script,
        input,
        "-o",
        output,
        "--cols",
        "40",
        "--title",
        "t",
      ]);
      const stdout = execFileSync(
        process.execPath,
        ["--import", "tsx", script, input, "--cols", "40", "--title", "t"],
        {
          encoding: "utf8",
        },
      );
      expect(stdout).toContain("<svg");
      expect(stdout).toBe(ansiToSvg(dump, { cols: 40, title: "t" }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
