import { describe, expect, it } from "vitest";
import { expandTabs, openPrompt, promptStatus, typed, walkHistory } from "../../../../src/ui/prompt/state.js";

describe("the prompt's line", () => {
  it("types printable keys, space and backspace; ignores the rest", () => {
    let s = openPrompt();
    for (const [name, input] of [
      ["g", "g"],
      ["e", "e"],
      ["space", " "],
      ["x", "x"],
      ["backspace", ""],
    ] as const)
      s = typed(s, name, input) ?? s;
    expect(s.text).toBe("ge ");
    expect(typed(s, "left", "")).toBeNull();
    expect(typed(s, "\u007f", "\u007f")).toBeNull();
    expect(typed({ ...s, busy: true }, "a", "a")).toBeNull();
  });

  it("↑ walks to older lines, ↓ back to the line being typed", () => {
    const h = ["show info", "get weight a/b", "show stat"];
    let s = { ...openPrompt(), text: "draft" };
    s = walkHistory(s, h, -1);
    expect(s.text).toBe("show stat");
    s = walkHistory(walkHistory(walkHistory(s, h, -1), h, -1), h, -1);
    expect(s.text).toBe("show info"); // stops at the oldest
    s = walkHistory(s, h, 1);
    expect(s.text).toBe("get weight a/b");
    s = walkHistory(walkHistory(s, h, 1), h, 1);
    expect(s).toMatchObject({ text: "draft", walk: null });
    expect(walkHistory(s, [], -1)).toBe(s);
  });

  it("typing after walking edits that line as a new one", () => {
    const s = walkHistory(openPrompt(), ["show info"], -1);
    expect(typed(s, "x", "x")).toMatchObject({ text: "show infox", walk: null });
  });

  it("the status line shows the line and the keys, a refusal, or the candidates", () => {
    const s = { ...openPrompt(), text: "get" };
    expect(promptStatus(s, false).text).toBe(":get▏  (Enter send · Esc close · ↑↓ history · Tab complete)");
    expect(promptStatus(s, true).text).toContain("read-only: show/get/help/echo");
    expect(promptStatus({ ...s, message: { text: "no", tone: "bad" } }, false)).toEqual({
      text: ":get▏  no",
      tone: "bad",
    });
    expect(promptStatus({ ...s, candidates: ["a", "b"] }, false).text).toBe(":get▏  a  b");
  });

  it("expands tabs to 8-column stops", () => {
    expect(expandTabs("# a\tbb\tc")).toBe("# a     bb      c");
    expect(expandTabs("none")).toBe("none");
  });
});
