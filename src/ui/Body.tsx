import { Box, Text } from "ink";
import { sanitize } from "../text/sanitize.js";
import { Table } from "./components/Table.js";
import { toneStyle } from "./components/tone.js";
import { rowKey, type ViewModel } from "./viewModel.js";

export interface BodyProps {
  vm: ViewModel;
  cursorKey: string | null;
  scrollTop: number;
  width: number;
  height: number;
  color: boolean;
}

/** The current view's table, and under it the detail lines (an error's capture). */
export function Body({ vm, cursorKey, scrollTop, width, height, color }: BodyProps) {
  const detail = vm.detail.slice(0, Math.max(0, height - 2));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Table
        columns={vm.columns}
        rows={vm.rows}
        rowKey={rowKey}
        cursorKey={cursorKey}
        scrollTop={scrollTop}
        width={width}
        height={height - detail.length}
        sort={vm.sort}
        color={color}
        emptyText={vm.emptyText}
      />
      {detail.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: detail lines have no identity of their own.
        <Text key={i} wrap="truncate" {...toneStyle(i === 0 ? "accent" : "none", color)}>
          {sanitize(line)}
        </Text>
      ))}
    </Box>
  );
}
