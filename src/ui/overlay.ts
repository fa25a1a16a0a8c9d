import type { TimelineEvent } from "../store/state.js";
import type { KeyScope } from "./keymap.js";
import type { ActionPlan, ValuePrompt } from "./plan.js";
import type { CliPromptState } from "./prompt/state.js";

/** What sits on top of the views; it owns every key while open (its bindings' scope). */
export type Overlay =
  | null
  | { kind: "help"; scroll: number }
  /** A new filter being typed (applied live); Esc puts `previous` back. */
  | { kind: "filter"; text: string; previous: string }
  | { kind: "confirm"; plan: ActionPlan; stage: 1 | 2 }
  | { kind: "prompt"; prompt: ValuePrompt; text: string; error: string | null }
  /** An action planning or running; Esc hides it and the action goes on. */
  | { kind: "running"; run: number; title: string; lines: string[] }
  /** A timeline event's full text. */
  | { kind: "detail"; title: string; lines: string[]; scroll: number }
  /** The column picker `s` opens (src/ui/views/sortPicker.ts); `index` is the highlighted column. */
  | { kind: "sort"; index: number }
  /** The Runtime API prompt (`:`): src/ui/prompt/state.ts. */
  | CliPromptState;

export function scopeOf(o: Overlay): KeyScope {
  return o === null ? "main" : o.kind;
}

/** Text typed into a filter or prompt: printable characters append, Backspace removes one. */
export function edit(text: string, name: string, input: string): string | null {
  if (name === "backspace") return [...text].slice(0, -1).join("");
  if (name === "space") return `${text} `;
  if (input.length === 1 && name.length === 1 && input >= " ") return text + input;
  return null;
}

/** A scroll position moved by a scroll binding, clamped to [0, max]. */
export function scrolled(id: string, scroll: number, max: number, page: number): number {
  const next =
    id === "scroll-up"
      ? scroll - 1
      : id === "scroll-down"
        ? scroll + 1
        : id === "scroll-page-up"
          ? scroll - page
          : id === "scroll-page-down"
            ? scroll + page
            : id === "scroll-top"
              ? 0
              : id === "scroll-end"
                ? max
                : scroll;
  return Math.max(0, Math.min(max, next));
}

const clock = (at: number) => new Date(at).toTimeString().slice(0, 8);

/** Every line of an event, whole: the text, the command, each reply line ([ALERT]s of a reload). */
export function eventDetail(e: TimelineEvent): { title: string; lines: string[] } {
  const lines = [`${clock(e.at)}  ${e.kind}${e.ok === false ? "  FAILED" : ""}`, "", e.text];
  if (e.command) lines.push("", "command:", ...e.command.split("; ").map((c) => `  ${c}`));
  const reply = (e.reply ?? "").replace(/\r/g, "").trimEnd();
  if (reply) lines.push("", "reply:", ...reply.split("\n").map((l) => `  ${l}`));
  if (e.durationMs !== undefined) lines.push("", `took ${Math.round(e.durationMs)} ms`);
  return { title: `Event at ${clock(e.at)} (${e.kind})`, lines };
}
