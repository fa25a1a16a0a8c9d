import { type ReactNode, useMemo } from "react";
import { screenLayout } from "./screen.js";
import { type Layout, LayoutContext } from "./theme.js";
import { useTerminalSize } from "./useTerminalSize.js";

/**
 * The one place that reads the terminal's size (re-read on every resize) and turns it into the
 * screen's layout (screen.ts) for every component below (`useLayout()`). `size` fixes it for tests.
 */
export function ScreenProvider({
  size,
  children,
}: {
  size?: { columns: number; rows: number };
  children: ReactNode;
}) {
  const terminal = useTerminalSize();
  const { columns, rows } = size ?? terminal;
  const layout = useMemo<Layout>(
    () => ({ ...screenLayout({ columns, rows }), size: { columns, rows } }),
    [columns, rows],
  );
  return <LayoutContext.Provider value={layout}>{children}</LayoutContext.Provider>;
}
