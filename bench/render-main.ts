import "./env.js";
import { readFileSync } from "node:fs";
import { buildSnapshot } from "../src/model/snapshot.js";
import { parseInfo } from "../src/parse/info.js";
import { parseStat } from "../src/parse/stat.js";
import { measureRender } from "./render.js";

/**
 * Child process of run.ts for the render bench: React picks its development or production build
 * from NODE_ENV when it is first loaded, so each mode needs a process of its own.
 * Args: <show info file> <show stat file> <cursor keys> <polls>; prints the figures as JSON.
 */
const [infoFile, statFile, keys, polls] = process.argv.slice(2);
if (!infoFile || !statFile) throw new Error("usage: render-main.ts <info file> <stat file> [keys] [polls]");
const info = parseInfo(readFileSync(infoFile, "latin1"));
const text = readFileSync(statFile, "latin1");
const first = buildSnapshot(info, parseStat(text), Date.now() - 1000, null);
const second = buildSnapshot(info, parseStat(text), Date.now(), null);
const figures = await measureRender(first, second, Number(keys ?? 50), Number(polls ?? 10));
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
