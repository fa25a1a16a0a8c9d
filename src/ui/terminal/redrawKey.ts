/** Ctrl-L, the key every full-screen terminal program answers with a full redraw. */
const CTRL_L = "\x0c";

/**
 * Calls `onRedraw` whenever Ctrl-L arrives on `stdin`, without taking input away from Ink: Ink pulls
 * its input with `stdin.read()` on 'readable', so a 'data' listener would switch the stream to flowing
 * mode and starve it. Instead the stream's own `read` is wrapped and looks at what Ink receives (Ink
 * ignores Ctrl-L itself). Returns the undo.
 */
export function onRedrawKey(stdin: NodeJS.ReadStream, onRedraw: () => void): () => void {
  const read = stdin.read;
  const wrapped: typeof stdin.read = function (this: NodeJS.ReadStream, ...args) {
    const chunk: unknown = read.apply(this, args);
    if (chunk !== null && String(chunk).includes(CTRL_L)) setImmediate(onRedraw);
    return chunk as string | Buffer;
  };
  stdin.read = wrapped;
  return () => {
    if (stdin.read === wrapped) stdin.read = read;
  };
}
