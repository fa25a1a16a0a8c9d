import type { MonitorState } from "../store/state.js";
import type { Selection } from "./plan.js";
import type { DetailLayout } from "./table/types.js";
import { backendDetail } from "./views/backends.js";
import { errorCaptureLines } from "./views/errors.js";
import { frontendDetail } from "./views/frontends.js";
import type { ViewTable } from "./viewTable.js";

/** What the cursor (row `index` of the table, -1 for none) is on, by name: actions never act on an index. */
export function selectionOf(t: ViewTable, index: number, state: MonitorState): Selection {
  switch (t.view) {
    case "frontends":
      return t.rows[index] ? { kind: "frontend" } : { kind: null };
    case "backends": {
      const r = t.rows[index];
      if (!r) return { kind: null };
      if (r.kind === "backend") return { kind: "backend", backend: r.entry.name };
      const server = r.entry.name;
      const sameNameBackends = (state.snapshot?.backends ?? [])
        .filter((b) => b.servers.some((s) => s.name === server))
        .map((b) => b.name);
      return { kind: "server", backend: r.backend, server, sameNameBackends };
    }
    case "sessions": {
      if (t.grouping) {
        const g = t.rows[index];
        if (!g) return { kind: null };
        return g.grouping === "source"
          ? { kind: "source-group", source: g.label }
          : { kind: "server-group", backend: g.backend ?? undefined, server: g.server ?? undefined };
      }
      const s = t.rows[index]?.session;
      if (!s) return { kind: null };
      return {
        kind: "session",
        sessionId: s.id,
        sessionSrc: s.src,
        backend: s.be ?? undefined,
        server: s.srv ?? undefined,
      };
    }
    case "errors":
      return t.rows[index] ? { kind: "error" } : { kind: null };
    case "timeline":
      return t.rows[index] ? { kind: "event" } : { kind: null };
    case "tables":
    case "maps":
    case "certs":
    case "process":
      return t.panel.selection(t.rows[index], t.ctx);
  }
}

export type { DetailLayout } from "./table/types.js";

/** Lines under the table for the selected row: a proxy's lifetime totals, an error's capture. */
export function detailOf(t: ViewTable, index: number, layout: DetailLayout): string[] {
  const { width, bodyHeight, showCapture } = layout;
  // The selected proxy's lifetime totals and states, when the table can spare a line.
  if (t.view === "frontends") {
    const row = t.rows[index];
    return row && bodyHeight >= 8 ? [frontendDetail(row)] : [];
  }
  if (t.view === "backends") {
    const row = t.rows[index];
    return row && bodyHeight >= 8 ? [backendDetail(row)] : [];
  }
  if (t.view === "tables" || t.view === "maps" || t.view === "certs" || t.view === "process")
    return t.panel.detail?.(t.rows[index], layout, t.ctx) ?? [];
  if (t.view !== "errors" || !showCapture) return [];
  const ev = t.rows[index]?.event;
  if (!ev) return [];
  const lines = errorCaptureLines(ev, width - 2);
  const max = Math.max(3, Math.floor(bodyHeight / 2));
  return [
    `capture of ${ev.proxy} event #${ev.eventNo ?? "?"} from ${ev.source ?? "?"}${ev.position !== null ? `, error at byte ${ev.position}` : ""}:`,
    ...lines.slice(0, max - 1),
  ];
}
