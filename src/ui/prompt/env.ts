import { type CliOutcome, type CliSession, outcomeSummary } from "../../actions/cliSession.js";
import { sanitize } from "../../text/sanitize.js";
import type { Tone } from "../table/types.js";
import { type CompletionNames, complete } from "./complete.js";
import { type CliPromptState, expandTabs, openPrompt, typed, walkHistory } from "./state.js";

/**
 * What the prompt's keys do (the App builds one from the injected CliSession). Keys never wait:
 * a line is sent in the background and its reply opens the detail pane when it arrives.
 */
export interface PromptEnv {
  open(): void;
  type(name: string, input: string): void;
  submit(): void;
  walk(step: -1 | 1): void;
  complete(): void;
  close(): void;
}

/** The overlay shapes the prompt reads and writes (the App's Overlay is wider). */
type Shown = CliPromptState | { kind: "detail"; title: string; lines: string[]; scroll: number } | null;

export interface PromptDeps<O> {
  cli: CliSession;
  getOverlay(): O;
  setOverlay(o: Shown): void;
  say(text: string, tone?: Tone): void;
  /** Names Tab completes now (the snapshot's proxies and servers, the session's tables and maps). */
  names(): CompletionNames;
}

/**
 * The most reply lines the pane holds: it wraps every line at each frame, and a 1M-entry `show map`
 * must not freeze the TUI. The rest is counted; `haptop cli` prints a reply whole.
 */
export const MAX_PANE_LINES = 5000;

/** The reply pane's lines: HAProxy's reply as is (tabs expanded), or what went wrong. */
export function replyLines(o: CliOutcome): string[] {
  if (o.kind === "refused") return [o.check.message, "", "nothing was sent"];
  if (o.kind === "failed") return [o.error];
  const all = o.reply === "" ? ["(empty reply: HAProxy accepted the command)"] : o.reply.split("\n");
  const lines =
    all.length > MAX_PANE_LINES
      ? [
          ...all.slice(0, MAX_PANE_LINES),
          "",
          `… ${all.length - MAX_PANE_LINES} more lines not shown (haptop cli prints the whole reply)`,
        ]
      : all;
  const head =
    o.status === "denied"
      ? ["HAProxy refused the command: the socket's level is too low.", ""]
      : o.status === "unknown"
        ? ["HAProxy does not know this command (Tab completes the commands it knows).", ""]
        : [];
  // Escaped first, tabs expanded after: a tab stop counts the columns shown, not the raw bytes.
  return [...head, ...lines.map((l) => expandTabs(l.split("\t").map(sanitize).join("\t")))];
}

const toneOf = (o: CliOutcome): Tone =>
  o.kind === "answered" && o.status === "ok" ? "good" : o.kind === "refused" ? "warn" : "bad";

export function createPromptEnv<O extends { kind: string } | null>(d: PromptDeps<O>): PromptEnv {
  const current = (): CliPromptState | null => {
    const o = d.getOverlay();
    return o?.kind === "cli" ? (o as unknown as CliPromptState) : null;
  };
  return {
    open: () => {
      d.cli.prepare();
      d.setOverlay(openPrompt());
    },
    type: (name, input) => {
      const s = current();
      const next = s && typed(s, name, input);
      if (next) d.setOverlay(next);
    },
    walk: (step) => {
      const s = current();
      if (s) d.setOverlay(walkHistory(s, d.cli.history.entries(), step));
    },
    complete: () => {
      const s = current();
      if (!s || s.busy) return;
      const c = complete(s.text, d.cli.commands(), d.names());
      d.setOverlay({ ...s, text: c.text, candidates: c.candidates, message: null, walk: null });
    },
    close: () => d.setOverlay(null),
    submit: () => {
      const s = current();
      if (!s || s.busy) return;
      const line = s.text.trim();
      if (line === "") return d.setOverlay(null);
      d.cli.history.add(line);
      const checked = d.cli.check(line);
      if (!checked.ok) {
        // Refused before sending: the line stays, to be fixed or dropped with Esc.
        const message = { text: `${checked.message}`, tone: "bad" as const };
        return d.setOverlay({ ...s, walk: null, draft: "", candidates: [], message });
      }
      const waiting: CliPromptState = {
        ...s,
        busy: true,
        candidates: [],
        message: { text: "sending…", tone: "dim" },
      };
      d.setOverlay(waiting);
      d.cli
        .send(line)
        .then((o) => {
          d.say(outcomeSummary(line, o), toneOf(o));
          // Closed meanwhile (Esc): the outcome is on the status line and the timeline only.
          if (d.getOverlay() !== (waiting as unknown)) return;
          d.setOverlay({ kind: "detail", title: `: ${line}`, lines: replyLines(o), scroll: 0 });
        })
        .catch((e: unknown) => {
          d.say(`: ${line}: ${e instanceof Error ? e.message : String(e)}`, "bad");
          if (d.getOverlay() === (waiting as unknown)) d.setOverlay(null);
        });
    },
  };
}
