/**
 * Word wrapping for dialogs: breaks at spaces, so words stay whole; a word longer than the width
 * (a long command argument, a path) is cut into pieces of the width, so nothing is ever hidden.
 * Leading indentation of a line is kept on its continuation lines.
 */
export function wordWrap(text: string, width: number): string[] {
  if (width <= 0) return [];
  const chars = (s: string) => [...s].length;
  if (chars(text) <= width) return [text];
  const indent = /^ */.exec(text)![0].slice(0, Math.max(0, width - 1));
  const words = text.slice(indent.length).split(/ +/);
  const out: string[] = [];
  let line = indent;
  const flush = () => {
    if (line.trim() !== "") out.push(line.trimEnd());
    line = indent;
  };
  for (const word of words) {
    const room = width - chars(line) - (line.trim() === "" ? 0 : 1);
    if (chars(word) <= room) {
      line = line.trim() === "" ? line + word : `${line} ${word}`;
      continue;
    }
    if (chars(word) <= width - chars(indent)) {
      flush();
      line = indent + word;
      continue;
    }
    // A word wider than a line: cut it, filling the current line first.
    let rest = [...word];
    if (line.trim() !== "" && room > 0) {
      line = `${line} ${rest.slice(0, room).join("")}`;
      rest = rest.slice(room);
    }
    flush();
    const w = Math.max(1, width - chars(indent));
    while (rest.length > w) {
      out.push(indent + rest.slice(0, w).join(""));
      rest = rest.slice(w);
    }
    line = indent + rest.join("");
  }
  flush();
  return out.length ? out : [""];
}
