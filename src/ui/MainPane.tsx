import { Box } from "ink";
import { Body } from "./Body.js";
import { ColumnPicker, columnPickerHeight } from "./components/ColumnPicker.js";
import { type HelpGroup, HelpOverlay } from "./components/HelpOverlay.js";
import { TextPane } from "./components/TextPane.js";
import { renderDialog } from "./OverlayDialog.js";
import type { Overlay } from "./overlay.js";
import { pickerRoom } from "./screen.js";
import { useColor, useLayout } from "./theme.js";
import type { ViewModel } from "./viewModel.js";

export interface MainPaneProps {
  vm: ViewModel;
  overlay: Overlay;
  /** The help overlay's groups (computed from the same key context as the footer). */
  helpGroups: () => HelpGroup[];
  cursorKey: string | null;
  scrollTop: number;
  /** The screen's width and body height (from context) unless given; colours come from the theme. */
  width?: number;
  height?: number;
}

/**
 * The area between the tab bar and the status line: the help or a detail pane in place of the
 * view, or the view's table with a dialog or the column picker under it.
 */
export function MainPane(props: MainPaneProps) {
  const { vm, overlay } = props;
  const layout = useLayout();
  const color = useColor();
  const width = props.width ?? layout.width;
  const height = props.height ?? layout.bodyHeight;
  if (overlay?.kind === "help") {
    return (
      <HelpOverlay groups={props.helpGroups()} width={width} height={height} scrollTop={overlay.scroll} />
    );
  }
  if (overlay?.kind === "detail") {
    return (
      <TextPane
        title={overlay.title}
        lines={overlay.lines}
        width={width}
        height={height}
        scrollTop={overlay.scroll}
      />
    );
  }
  const dialog = renderDialog(overlay, width, color, height);
  const pickerHeight =
    overlay?.kind === "sort" ? columnPickerHeight(vm.sortChoices.length, pickerRoom(height)) : 0;
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Body
        vm={vm}
        cursorKey={props.cursorKey}
        scrollTop={props.scrollTop}
        width={width}
        height={height - (dialog ? dialog.height : 0) - pickerHeight}
      />
      {dialog?.node}
      {overlay?.kind === "sort" ? (
        <ColumnPicker
          choices={vm.sortChoices}
          index={overlay.index}
          current={vm.sort}
          width={width}
          height={pickerHeight}
        />
      ) : null}
    </Box>
  );
}
