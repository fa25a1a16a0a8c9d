import type { Tone } from "../table/types.js";

/**
 * The Runtime API prompt (`:`) while open: the line typed, where ↑/↓ stand in the history, the
 * candidates of the last Tab, and a message (a local refusal, "sending…"). Pure transitions only;
 * the I/O is in env.ts through the injected CliSession.
 */
export interface CliPromptState {
  kind: "cli";
  text: string;
  /** Index in the history shown by ↑/↓, or null while editing a new line. */
  walk: number | null;
  /** The line being typed before ↑ was pressed (↓ past the newest brings it back). */
  draft: string;
  /** What Tab offered when several names match. */
  candidates: string[];
  message: { text: string; tone: Tone } | null;
  /** A line was sent and its reply is awaited. */
  busy: boolean;
}

export function openPrompt(): CliPromptState {
  return { kind: "cli", text: "", walk: null, draft: "", candidates: [], message: null, busy: false };
}

/** A key typed into the line: printable characters append, Backspace removes one; else null. */
export function typed(s: CliPromptState, name: string, input: string): CliPromptState | null {
  if (s.busy) return null;
  let text: string;
  if (name === "backspace") text = [...s.text].slice(0, -1).join("");
  else if (name === "space") text = `${s.text} `;
  else if (input.length === 1 && name.length === 1 && input >= " " && input !== "\u007f")
    text = s.text + input;
  else return null;
  return { ...s, text, walk: null, candidates: [], message: null };
}

/** ↑ (-1) or ↓ (+1) through the history (oldest first): the newest is one ↑ away. */
export function walkHistory(s: CliPromptState, entries: readonly string[], step: -1 | 1): CliPromptState {
  if (s.busy || entries.length === 0) return s;
  const draft = s.walk === null ? s.text : s.draft;
  const from = s.walk ?? entries.length;
  const to = Math.max(0, Math.min(entries.length, from + step));
  if (to === entries.length)
    return { ...s, walk: null, text: draft, draft: "", candidates: [], message: null };
  return { ...s, walk: to, text: entries[to]!, draft, candidates: [], message: null };
}

/** Expands tabs to the next multiple of 8 columns (HAProxy's tables use tabs; panes escape them). */
export function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const ch of line) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
  return out;
}

/** The status line while the prompt is open: the line, then a message, the candidates or the keys. */
export function promptStatus(s: CliPromptState, readOnly: boolean): { text: string; tone: Tone } {
  const line = `:${s.text}▏`;
  if (s.message) return { text: `${line}  ${s.message.text}`, tone: s.message.tone };
  if (s.candidates.length > 0) {
    const shown = s.candidates.slice(0, 20).join("  ");
    const more = s.candidates.length > 20 ? `  … +${s.candidates.length - 20}` : "";
    return { text: `${line}  ${shown}${more}`, tone: "accent" };
  }
  const mode = readOnly ? " · read-only: show/get/help/echo" : "";
  return { text: `${line}  (Enter send · Esc close · ↑↓ history · Tab complete${mode})`, tone: "accent" };
}
