import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { Box, render, Text } from "ink";
import { useEffect, useState } from "react";
import { describe, expect, it } from "vitest";
import { onRedrawKey } from "../../../../src/ui/terminal/redrawKey.js";
import { BEGIN_SYNC, END_SYNC } from "../../../../src/ui/terminal/screen.js";
import { TerminalWriter } from "../../../../src/ui/terminal/writer.js";
import { emulator, feed } from "./emulator.js";

/** A terminal double: records writes, has a size, emits resize. */
class FakeTerminal extends EventEmitter {
  columns = 40;
  rows = 6;
  written: string[] = [];
  write(data: string): boolean {
    this.written.push(data);
    return true;
  }
}

const waitFor = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe("TerminalWriter", () => {
  it("brackets updates of several runs in synchronized output, and writes nothing for an identical frame", () => {
    const term = new FakeTerminal();
    const writer = new TerminalWriter(term);
    writer.write("haptop 12:00:01\nfe_main OPEN");
    expect(term.written).toHaveLength(1);
    expect(term.written[0]?.startsWith(BEGIN_SYNC)).toBe(true);
    expect(term.written[0]?.endsWith(END_SYNC)).toBe(true);
    writer.write("haptop 12:00:01\nfe_main OPEN");
    expect(term.written).toHaveLength(1);
    // A single run (the clock's digit) goes out bare: one short write cannot tear.
    writer.write("haptop 12:00:02\nfe_main OPEN");
    expect(term.written[1]).toBe("\x1b[1;15H2");
    writer.write("haptop 12:00:03\nfe_main DOWN");
    const both = term.written[2] ?? "";
    expect(both.startsWith(BEGIN_SYNC) && both.endsWith(END_SYNC)).toBe(true);
    expect(both).toContain("3");
    expect(both).toContain("DOW");
  });

  it("redraws in full after a resize and after redraw() (SIGCONT, Ctrl-L)", () => {
    const term = new FakeTerminal();
    const writer = new TerminalWriter(term);
    let resized = 0;
    writer.on("resize", () => resized++);
    writer.write("one\ntwo");
    term.columns = 50;
    term.emit("resize");
    expect(resized).toBe(1);
    expect(writer.columns).toBe(50);
    writer.write("one\ntwo");
    expect(term.written[1]).toContain("\x1b[2J");
    writer.redraw();
    expect(term.written[2]).toContain("\x1b[2J");
    expect(term.written[2]).toContain("two");
    writer.close();
    writer.write("three");
    writer.redraw();
    expect(term.written).toHaveLength(3);
  });

  it("carries a live Ink app: the terminal shows Ink's frame, and a tick sends only the new digit", async () => {
    const term = new FakeTerminal();
    const writer = new TerminalWriter(term);
    let tick: (n: number) => void = () => {};
    const Clock = () => {
      const [n, setN] = useState(1);
      useEffect(() => {
        tick = setN;
      }, []);
      return (
        <Box flexDirection="column">
          <Text bold>haptop 12:00:0{n}</Text>
          <Text inverse>汉字 fe_main</Text>
        </Box>
      );
    };
    const app = render(<Clock />, {
      stdout: writer as unknown as NodeJS.WriteStream,
      debug: true,
      patchConsole: false,
      exitOnCtrlC: false,
    });
    await waitFor(() => term.written.length === 1);
    const before = term.written.length;
    tick(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(term.written.length).toBe(before);
    tick(2);
    await waitFor(() => term.written.length === before + 1);
    // One cursor move, at most one SGR (bold), one digit.
    expect(term.written.at(-1)).toMatch(/^\x1b\[1;15H(\x1b\[[0-9;]*m)?2$/);
    const xt = emulator(40, 6);
    await feed(xt, term.written.join(""));
    const line = (y: number) => xt.buffer.active.getLine(y)?.translateToString(true);
    expect(line(0)).toBe("haptop 12:00:02");
    expect(line(1)).toBe("汉字 fe_main");
    // (Styles: chalk writes none here, stdout not being a terminal; screen.test.ts covers them.)
    app.unmount();
    writer.close();
  });

  it("Ctrl-L on stdin asks for a redraw, and the keys still reach the reader (Ink)", async () => {
    const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
    let redraws = 0;
    const undo = onRedrawKey(stdin, () => redraws++);
    stdin.setEncoding("utf8");
    stdin.write("j");
    expect(stdin.read()).toBe("j");
    stdin.write("\x0c");
    expect(stdin.read()).toBe("\x0c");
    await waitFor(() => redraws === 1);
    undo();
    stdin.write("\x0c");
    stdin.read();
    await new Promise((r) => setImmediate(r));
    expect(redraws).toBe(1);
  });
});
