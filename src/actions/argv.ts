/**
 * Splitting a user-given command line (`--reload-cmd "systemctl reload haproxy"`) into arguments,
 * to run it WITHOUT a shell. Quotes work as in a POSIX shell ('…' literal, "…" with \" \\ \$ \`
 * escapes, \ outside quotes escapes the next character); what only a shell could do (pipes, `;`,
 * `&&`, redirections, `$VAR`, `$(…)`, backquotes) is refused with an error rather than passed on
 * as literal arguments.
 */

export class CommandSyntaxError extends Error {
  override name = "CommandSyntaxError";
}

const SHELL_ONLY = new Set(["|", "&", ";", "<", ">", "(", ")", "$", "`"]);

export function splitCommand(line: string): string[] {
  const args: string[] = [];
  let cur = "";
  let inArg = false;
  let i = 0;
  const fail = (why: string): never => {
    throw new CommandSyntaxError(`${why} in command ${JSON.stringify(line)}`);
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === "\n" || c === "\r" || c === "\0") fail("line break or NUL");
    if (c === " " || c === "\t") {
      if (inArg) args.push(cur);
      cur = "";
      inArg = false;
      i++;
      continue;
    }
    inArg = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) fail("unterminated single quote");
      cur += line.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) fail("unterminated double quote");
        const d = line[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          cur += line[i + 1];
          i += 2;
          continue;
        }
        if (d === "$" || d === "`")
          fail(`"${d}" (no shell runs this command: variables and substitutions are not expanded)`);
        if (d === "\n" || d === "\r" || d === "\0") fail("line break or NUL");
        cur += d;
        i++;
      }
      continue;
    }
    if (c === "\\") {
      if (i + 1 >= line.length) fail("trailing backslash");
      cur += line[i + 1];
      i += 2;
      continue;
    }
    if (SHELL_ONLY.has(c)) {
      fail(
        `"${c}" (no shell runs this command; quote it, or wrap the command in sh -c '…' if you need a shell)`,
      );
    }
    cur += c;
    i++;
  }
  if (inArg) args.push(cur);
  if (args.length === 0) throw new CommandSyntaxError("empty command");
  return args;
}

/** Quotes one argument for display so that splitCommand (and a shell) reads it back unchanged. */
export function quoteArg(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argument vector as one display line. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map(quoteArg).join(" ");
}
