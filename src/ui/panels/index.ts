import type { KeyedRow } from "../table/types.js";
import type { PanelViewId } from "../views/index.js";
import { certsPanel } from "./certs.js";
import { mapsPanel } from "./maps.js";
import { processPanel } from "./process.js";
import { tablesPanel } from "./tables.js";
import type { Panel } from "./types.js";

/**
 * The panel views, by view id. Each keeps its row type inside its own module; the registry only
 * hands them to viewModel.ts, which pairs rows and columns through `panelTable`.
 */
export function panelOf(view: PanelViewId): Panel<KeyedRow> {
  return PANELS[view];
}

// biome-ignore lint/suspicious/noExplicitAny: each panel has its own row type (erased at the registry).
const PANELS: Record<PanelViewId, Panel<any>> = {
  tables: tablesPanel,
  maps: mapsPanel,
  certs: certsPanel,
  process: processPanel,
};
