#!/usr/bin/env node
import { applyHeapFlags } from "./heapFlags.js";

// A bounded heap for a process that runs for days (src/heapFlags.ts), before anything allocates.
applyHeapFlags();
// React's development build checks and logs every render (3x slower frames at 10k servers): run
// the production build unless told otherwise. Set before React loads, hence the dynamic import.
process.env.NODE_ENV ??= "production";
const { main } = await import("./main.js");

process.exitCode = await main(process.argv);
