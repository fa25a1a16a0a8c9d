import type { KeyedRow } from "../table/types.js";
import type { Panel } from "./types.js";

// PLACEHOLDER (replaced by the process panel's implementation before commit).
export const processPanel: Panel<KeyedRow> = {
  view: "process",
  queries: () => [],
  build: () => ({ columns: [], rows: [], defaultSort: null, emptyText: "not built yet" }),
  selection: () => ({ kind: null }),
};
