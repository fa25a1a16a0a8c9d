/** Facade: the reload action lives in ./reload/ (see its index.ts); this keeps imports stable. */
export * from "./reload/index.js";
