import type { KeyedRow } from "../table/types.js";
import type { Panel } from "./types.js";

// PLACEHOLDER (replaced by the certs panel's implementation before commit).
export const certsPanel: Panel<KeyedRow> = {
  view: "certs",
  queries: () => [],
  build: () => ({ columns: [], rows: [], defaultSort: null, emptyText: "not built yet" }),
  selection: () => ({ kind: null }),
};
