import type { KeyedRow } from "../table/types.js";
import type { Panel } from "./types.js";

// PLACEHOLDER (replaced by the maps panel's implementation before commit).
export const mapsPanel: Panel<KeyedRow> = {
  view: "maps",
  queries: () => [],
  build: () => ({ columns: [], rows: [], defaultSort: null, emptyText: "not built yet" }),
  selection: () => ({ kind: null }),
};
