import type { Overlay } from "./overlay.js";
import type { Tone } from "./table/types.js";

export interface DialogBody {
  title: string;
  lines: string[];
  hint: string;
  tone: Tone;
}

/** What a dialog overlay shows: notes, then the exact commands the plan sends; the keys in the hint. */
export function dialogBody(overlay: Overlay): DialogBody | null {
  if (!overlay) return null;
  switch (overlay.kind) {
    case "running":
      return {
        title: overlay.title,
        lines: overlay.lines,
        hint: "Esc hide (it goes on; the outcome shows below)",
        tone: "accent",
      };
    case "prompt":
      return {
        title: overlay.prompt.title,
        lines: [
          `now: ${overlay.prompt.current}`,
          `${overlay.prompt.label}: ${overlay.text}▏`,
          ...(overlay.error ? [overlay.error] : []),
        ],
        hint: "Enter ok · Esc cancel",
        tone: overlay.error ? "warn" : "accent",
      };
    case "confirm": {
      const p = overlay.plan;
      const what = [
        ...p.notes,
        ...(p.notes.length ? [""] : []),
        `sends (${p.commands.length === 1 ? "exactly" : `exactly these ${p.commands.length}`}):`,
        ...p.commands.map((c) => `  ${c}`),
      ];
      const all = p.allBackends
        ? [
            "",
            `[a] every backend with this server (${p.allBackends.count}): ${p.allBackends.enabled ? "ON" : "off"}`,
          ]
        : [];
      if (overlay.stage === 2 && p.secondConfirm) {
        return {
          title: `${p.title}: are you sure?`,
          lines: [p.secondConfirm, "", ...what],
          hint: "Enter/y confirm AGAIN · Esc/n cancel",
          tone: "bad",
        };
      }
      return {
        title: p.title,
        lines: [...what, ...all],
        hint: `Enter/y ${p.secondConfirm ? "continue (asks again)" : "confirm"} · Esc/n cancel${p.allBackends ? " · a all backends" : ""}`,
        tone: p.tone,
      };
    }
    default:
      return null;
  }
}
