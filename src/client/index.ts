export * from "./errors.js";
export * from "./socket.js";
export * from "./target.js";
