import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { TabBar } from "../../../../src/ui/TabBar.js";
import { plain } from "./frame.js";

describe("TabBar", () => {
  it("keeps an active filter visible when a long note does not fit (the note is cut instead)", () => {
    const note = "large config: servers on screen polled each second, every server every 10th poll";
    const frame = plain(
      render(
        <TabBar
          view="backends"
          width={120}
          color={false}
          filter="web"
          sortLabel="trouble first"
          extra={note}
        />,
      ).lastFrame(),
    );
    expect(frame).toContain("filter /web");
    expect(frame).toContain("sort trouble first");
    expect(frame).not.toContain("every 10th poll");
  });

  it("escapes control bytes typed into the filter", () => {
    const frame = render(
      <TabBar view="frontends" width={160} color={false} filter={"a\x1b[2Jb"} sortLabel="" extra="" />,
    ).lastFrame();
    expect(frame).not.toContain("\x1b[2J");
  });

  it("shortens the tabs before it cuts a short summary (a certificate count)", () => {
    const frame = plain(
      render(
        <TabBar
          view="certs"
          width={120}
          color={false}
          filter=""
          sortLabel="NOT AFTER▲"
          extra="1 expired · 1 <30d · 3 certs"
        />,
      ).lastFrame(),
    );
    expect(frame).toContain("1 expired · 1 <30d · 3 certs");
    expect(frame).toContain("8 Certs"); // the active view keeps its full title
  });
});
