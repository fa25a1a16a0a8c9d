import { Box, Text } from "ink";

export interface TooSmallProps {
  width: number;
  height: number;
  minWidth?: number;
  minHeight?: number;
}

/** Shown instead of the UI when the terminal is below the minimum size. */
export function TooSmall({ width, height, minWidth = 80, minHeight = 24 }: TooSmallProps) {
  if (width <= 0 || height <= 0) return null;
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate">{`terminal too small: ${width}×${height}, need at least ${minWidth}×${minHeight}`}</Text>
    </Box>
  );
}
