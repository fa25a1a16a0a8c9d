import { Box, Text } from "ink";
import { sanitize } from "../text/sanitize.js";
import { Table } from "./components/Table.js";
import { toneStyle } from "./components/tone.js";
import { useColor, useLayout } from "./theme.js";
import { rowKey, type ViewModel } from "./viewModel.js";
import { withTable } from "./viewTable.js";

export interface BodyProps {
  vm: ViewModel;
  cursorKey: string | null;
  scrollTop: number;
  /** The screen's width (from context) unless given. */
  width?: number;
  height: number;
  /** The theme's (from context) unless given. */
  color?: boolean;
}

/** The current view's table, and under it the detail lines (an error's capture). */
export function Body({ vm, cursorKey, scrollTop, width: widthProp, height, color: colorProp }: BodyProps) {
  const color = useColor(colorProp);
  const layout = useLayout();
  const width = widthProp ?? layout.width;
  const detail = vm.detail.slice(0, Math.max(0, height - 2));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {withTable(vm, (t) => (
        <Table
          columns={t.columns}
          rows={t.rows}
          rowKey={rowKey}
          cursorKey={cursorKey}
          scrollTop={scrollTop}
          width={width}
          height={height - detail.length}
          sort={vm.sort}
          color={color}
          emptyText={vm.emptyText}
        />
      ))}
      {detail.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: detail lines have no identity of their own.
        <Text key={i} wrap="truncate" {...toneStyle(i === 0 ? "accent" : "none", color)}>
          {sanitize(line)}
        </Text>
      ))}
    </Box>
  );
}
