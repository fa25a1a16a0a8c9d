/** The name filter typed by the operator ("/" in the UI), compiled once per keystroke. */
export interface Filter {
  /** True when the name passes the filter. */
  match: (name: string) => boolean;
  /** Why the text could not be used (an invalid regex); the filter then matches everything. */
  error: string | null;
  /** How the filter reads in the header: "" when inactive, "app" or "~^be_" otherwise. */
  label: string;
}

/** Anything with a `match`, such as a compiled {@link Filter}. */
export type NameFilter = Pick<Filter, "match">;

const matchAll = (_name: string): boolean => true;

/** The filter that lets everything through. */
export const MATCH_ALL: Filter = { match: matchAll, error: null, label: "" };

/**
 * Compiles the filter text: a case-insensitive substring, or a case-insensitive regular expression
 * when the text starts with `~` ("~^be_(app|api)$"). Empty text (or a bare `~`) matches everything;
 * an invalid regex matches everything too and reports why in `error`.
 */
export function compileFilter(text: string): Filter {
  if (text === "") return MATCH_ALL;
  if (text.startsWith("~")) {
    const source = text.slice(1);
    if (source === "") return { match: matchAll, error: null, label: text };
    let re: RegExp;
    try {
      // No "g"/"y" flag: test() must not keep state between names.
      re = new RegExp(source, "i");
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { match: matchAll, error: `invalid regex: ${why}`, label: text };
    }
    return { match: (name) => re.test(name), error: null, label: text };
  }
  const needle = text.toLowerCase();
  return { match: (name) => name.toLowerCase().includes(needle), error: null, label: text };
}
