/**
 * The command list in the socket's own `help` reply, for the prompt's Tab completion. Every release
 * prints one command per line, indented by two spaces: its syntax (literal words, then placeholders
 * such as `<bk>/<srv>`, `[all]`, `{-h|<delay>}`), then ` : ` and a description; a long syntax runs
 * into the colon (`set severity-output [none|number|string]: …`). The list differs per release
 * (2.6: 105 lines, 3.2: 122) and is the same at every level (it does not tell what is allowed).
 * The master CLI's `help` has the same shape.
 */

/** A literal command word: lower case, digits, `-`, `_`, `.` (placeholders start with `<[{(@`). */
const WORD = /^[a-z][a-z0-9_.-]*$/;

/** Each command's literal leading words (`["set", "weight"]`), in the reply's order, deduplicated. */
export function parseHelpCommands(text: string): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("  ")) continue;
    const words: string[] = [];
    for (const w of line.trim().split(/\s+/)) {
      // `set severity-output [none|…]:` ends at its placeholder; `disable agent   : …` at the colon.
      if (!WORD.test(w)) break;
      words.push(w);
    }
    const key = words.join(" ");
    if (words.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(words);
  }
  return out;
}
