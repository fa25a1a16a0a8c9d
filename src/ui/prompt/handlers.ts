import type { Tone } from "../table/types.js";
import type { PromptEnv } from "./env.js";

/** What the prompt's handlers need of the App's HandlerEnv (structurally: no import cycle). */
interface PromptHandlerEnv {
  cli?: PromptEnv | null;
  say(text: string, tone?: Tone): void;
}

const withPrompt =
  (f: (p: PromptEnv) => void) =>
  (env: PromptHandlerEnv): void => {
    if (env.cli) f(env.cli);
    else env.say("the Runtime API prompt is not available here", "warn");
  };

/** One handler per prompt binding (bindings.ts `cli-open`, overlayBindings.ts `cli-*`). */
export const PROMPT_HANDLERS = {
  "cli-open": withPrompt((p) => p.open()),
  "cli-submit": withPrompt((p) => p.submit()),
  "cli-cancel": withPrompt((p) => p.close()),
  "cli-history-up": withPrompt((p) => p.walk(-1)),
  "cli-history-down": withPrompt((p) => p.walk(1)),
  "cli-complete": withPrompt((p) => p.complete()),
};
