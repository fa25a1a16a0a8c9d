import { Dialog, dialogHeight } from "./components/Dialog.js";
import { dialogBody } from "./dialogBody.js";
import type { Overlay } from "./overlay.js";

/** The dialog of a confirm, prompt or running overlay, and the height it takes under the table. */
export function renderDialog(overlay: Overlay, width: number, color: boolean, maxHeight: number) {
  const body = dialogBody(overlay);
  if (!body) return null;
  const w = Math.min(width, 100);
  const h = Math.min(maxHeight, dialogHeight(body.lines, w));
  return {
    height: h,
    node: <Dialog {...body} width={w} color={color} maxHeight={h} />,
  };
}
