import type { Key } from "ink";

/**
 * One name per key press, as the keymap registry spells keys: a printable character as itself
 * ("q", "S", "/", "+"), special keys by name ("up", "pagedown", "enter", "esc", "tab",
 * "shift-tab", "space", "ctrl-c", "backspace").
 */
export function keyName(input: string, key: Key): string | null {
  if (key.ctrl && input === "c") return "ctrl-c";
  if (key.upArrow) return "up";
  if (key.downArrow) return "down";
  if (key.leftArrow) return "left";
  if (key.rightArrow) return "right";
  if (key.pageUp) return "pageup";
  if (key.pageDown) return "pagedown";
  if (key.home) return "home";
  if (key.end) return "end";
  if (key.return) return "enter";
  if (key.escape) return "esc";
  if (key.tab) return key.shift ? "shift-tab" : "tab";
  if (key.backspace || key.delete) return "backspace";
  if (input === " ") return "space";
  if (input.length === 1 && !key.ctrl && !key.meta) return input;
  return null;
}

/** How a key is written in the footer, the help and the README. */
export function keyLabel(name: string): string {
  const labels: Record<string, string> = {
    up: "↑",
    down: "↓",
    left: "←",
    right: "→",
    pageup: "PgUp",
    pagedown: "PgDn",
    home: "Home",
    end: "End",
    enter: "Enter",
    esc: "Esc",
    tab: "Tab",
    "shift-tab": "S-Tab",
    space: "Space",
    "ctrl-c": "C-c",
    backspace: "Bksp",
  };
  return labels[name] ?? name;
}
