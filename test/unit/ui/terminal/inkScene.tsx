/**
 * A scene rendered by inkPatches.test.ts through Ink as bundled with and without the build's
 * patches: frames of ASCII, CJK, emoji, colours, clipped and wrapped text, printed as JSON lines.
 */
import { EventEmitter } from "node:events";
import { Box, render, Text } from "ink";

class Capture extends EventEmitter {
  columns = 60;
  rows = 20;
  frames: string[] = [];
  write(frame: string): boolean {
    if (frame !== "") this.frames.push(frame);
    return true;
  }
}

function Scene({ n }: { n: number }) {
  const rows = Array.from({ length: 6 }, (_, i) => `srv${i + n}`);
  return (
    <Box flexDirection="column" width={60}>
      <Text bold color="cyan">
        haptop {n}s <Text inverse>汉字 ⌚ é</Text>
      </Text>
      <Box width={20} overflow="hidden">
        <Text wrap="truncate">{`clipped ${"x".repeat(n)} 汉字汉字汉字汉字汉字 tail`}</Text>
      </Box>
      <Box width={14} overflow="hidden">
        <Text>{`fits ${n}`}</Text>
      </Box>
      <Box width={12}>
        <Text>{`wrapped words that do not fit ${n}`}</Text>
      </Box>
      {rows.map((r, i) => (
        <Box key={r} width={40} overflow="hidden">
          <Text color={i % 2 ? "green" : undefined} inverse={i === n % 6}>
            {r.padEnd(10)} {String(i * n).padStart(6)} {"▁▂▃▄▅▆▇█".slice(0, (i + n) % 8)}
          </Text>
        </Box>
      ))}
    </Box>
  );
}

const out = new Capture();
const app = render(<Scene n={1} />, {
  stdout: out as unknown as NodeJS.WriteStream,
  debug: true,
  patchConsole: false,
  exitOnCtrlC: false,
});
for (let n = 2; n <= 12; n++) app.rerender(<Scene n={n} />);
app.unmount();
process.stdout.write(`${JSON.stringify(out.frames)}\n`);
