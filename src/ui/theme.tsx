import { createContext, type ReactNode, useContext, useMemo } from "react";

/**
 * What every component draws with, from React context rather than drilled through props: the theme
 * (colour on or off, from --no-color / NO_COLOR) and the screen's layout (screen.ts works it out from
 * the terminal's size; ScreenProvider.tsx provides it). This file imports nothing of the UI, so any
 * component may read it without an import cycle.
 */
export interface Theme {
  color: boolean;
}

/** The screen's layout arithmetic (screen.ts `screenLayout`): total width and height, and the body's. */
export interface Layout {
  width: number;
  height: number;
  bodyHeight: number;
  /** The terminal's own size (the TUI refuses to draw below a minimum). */
  size: { columns: number; rows: number };
}

const ThemeContext = createContext<Theme>({ color: false });

/** 80×24 with the default chrome, for a component rendered outside any provider (a unit test). */
const DEFAULT_LAYOUT: Layout = { width: 80, height: 23, bodyHeight: 16, size: { columns: 80, rows: 24 } };
export const LayoutContext = createContext<Layout>(DEFAULT_LAYOUT);

export function ThemeProvider({ color, children }: { color: boolean; children: ReactNode }) {
  const theme = useMemo(() => ({ color }), [color]);
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

/** Colour on or off: a component's own `color` prop, when given, wins over the theme. */
export function useColor(prop?: boolean): boolean {
  const theme = useContext(ThemeContext);
  return prop ?? theme.color;
}

export function useLayout(): Layout {
  return useContext(LayoutContext);
}
