// Pure parsers for HAProxy Runtime API replies (no I/O).
export * from "./errors.js";
export * from "./info.js";
export * from "./level.js";
export * from "./proc.js";
export * from "./servers-state.js";
export * from "./sess.js";
export * from "./slices.js";
export * from "./stat.js";
export * from "./values.js";
