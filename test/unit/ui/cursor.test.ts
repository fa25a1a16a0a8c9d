import { describe, expect, it } from "vitest";
import { moveCursor, validCursor } from "../../../src/ui/cursor.js";

const keys = ["a", "b", "c", "d", "e", "f", "g"];

describe("moveCursor", () => {
  it("moves by one, by a page, to the ends, and stops at the edges", () => {
    expect(moveCursor(keys, "c", "down", 3)).toBe("d");
    expect(moveCursor(keys, "c", "up", 3)).toBe("b");
    expect(moveCursor(keys, "a", "up", 3)).toBe("a");
    expect(moveCursor(keys, "g", "down", 3)).toBe("g");
    expect(moveCursor(keys, "b", "page-down", 3)).toBe("e");
    expect(moveCursor(keys, "f", "page-down", 3)).toBe("g");
    expect(moveCursor(keys, "c", "page-up", 3)).toBe("a");
    expect(moveCursor(keys, "c", "home", 3)).toBe("a");
    expect(moveCursor(keys, "c", "end", 3)).toBe("g");
  });

  it("starts from the top when the cursor's row is gone, and is null with no rows", () => {
    expect(moveCursor(keys, "zz", "down", 3)).toBe("a");
    expect(moveCursor(keys, null, "down", 3)).toBe("a");
    expect(moveCursor([], "a", "down", 3)).toBeNull();
    expect(validCursor(keys, "d")).toBe("d");
    expect(validCursor(keys, "zz")).toBe("a");
    expect(validCursor([], "a")).toBeNull();
  });
});
