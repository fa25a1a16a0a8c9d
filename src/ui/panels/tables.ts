import type { KeyedRow } from "../table/types.js";
import type { Panel } from "./types.js";

// PLACEHOLDER (replaced by the tables panel's implementation before commit).
export const tablesPanel: Panel<KeyedRow> = {
  view: "tables",
  queries: () => [],
  build: () => ({ columns: [], rows: [], defaultSort: null, emptyText: "not built yet" }),
  selection: () => ({ kind: null }),
};
