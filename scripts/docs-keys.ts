// Rewrites the keybinding tables in README.md from the keymap registry (npm run docs:keys).
import { readFileSync, writeFileSync } from "node:fs";
import { replaceKeymapBlock } from "../src/ui/keymapDoc.js";

const path = new URL("../README.md", import.meta.url);
writeFileSync(path, replaceKeymapBlock(readFileSync(path, "utf8")));
console.log("README.md keybindings updated");
