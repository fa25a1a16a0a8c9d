/** The HAProxy release matrix lives in lab/releases.ts (shared with the scripts); re-exported for the tests. */
export * from "../../lab/releases.js";
