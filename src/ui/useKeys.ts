import { useInput } from "ink";
import { BURST_KEYS } from "./appParts.js";
import { HANDLERS, type HandlerEnv, sortPickerInput } from "./handlers.js";
import { type KeyContext, resolveKey } from "./keymap.js";
import { keyName } from "./keys.js";
import { edit, type Overlay } from "./overlay.js";
import type { ViewModel } from "./viewModel.js";

export interface KeyDeps {
  env: HandlerEnv;
  /** The key context of a view model and overlay (the same one the footer and help are drawn from). */
  contextOf: (vm: ViewModel, o: Overlay, level: KeyContext["level"]) => KeyContext;
  /** Clears the status line (a key in the main scope replaces the last message). */
  clearStatus: () => void;
}

/**
 * Routes every key through the registry (keymap.ts) to its handler. State is read fresh at each key
 * (env.fresh), never from the render that installed the handler: keys may arrive between renders.
 */
export function useKeys({ env, contextOf, clearStatus }: KeyDeps): void {
  const handleKey = (input: string, name: string) => {
    if (name === "ctrl-c") return env.exit();
    const f = env.fresh();
    const c = contextOf(f.vm, f.overlay, f.state.level);
    let res = resolveKey(name, c);
    // While an action runs, the views keep working (not other actions): Esc hides its dialog.
    if (!res && c.scope === "running") {
      res = resolveKey(name, { ...c, scope: "main" });
      if (res?.binding.runs)
        return env.say(`${res.binding.label}: wait for the running action (Esc hides it)`, "warn");
    }
    const o = f.overlay;
    if (!res) {
      // A filter or prompt binds Enter and Esc only: every other key is typed into it.
      if (o?.kind === "filter" || o?.kind === "prompt") typeInto(o, name, input);
      // In the column picker, a letter jumps to the next column starting with it.
      if (o?.kind === "sort") sortPickerInput(env, name);
      // The Runtime API prompt: every key no binding takes is typed into its line.
      if (o?.kind === "cli") env.cli?.type(name, input);
      return;
    }
    if (res.disabled) return env.say(`${res.binding.label}: ${res.disabled}`, "warn");
    if (c.scope === "main") clearStatus();
    HANDLERS[res.binding.id](env, name);
  };

  const typeInto = (o: Extract<Overlay, { kind: "filter" | "prompt" }>, name: string, input: string) => {
    const text = edit(o.text, name, input);
    if (text === null) return;
    if (o.kind === "prompt") return env.dispatch({ type: "overlay", overlay: { ...o, text, error: null } });
    env.dispatch({ type: "filter-type", text });
  };

  useInput((input, key) => {
    // A burst of printable keys arrives as one string: type it into a prompt, or run it key by key.
    if (input.length > 1 && !key.ctrl && !key.meta && !input.includes("\u001b")) {
      for (const ch of input) {
        const name = BURST_KEYS[ch] ?? (ch >= " " ? ch : null);
        if (name) handleKey(ch, name);
      }
      return;
    }
    const name = keyName(input, key);
    if (name !== null) handleKey(input, name);
  });
}
