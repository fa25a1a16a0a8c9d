import { describe, expect, it } from "vitest";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";

describe("compileFilter", () => {
  it("matches everything when empty", () => {
    const f = compileFilter("");
    expect(f.error).toBeNull();
    expect(f.label).toBe("");
    expect(["", "be_app", "x"].every(f.match)).toBe(true);
    expect(MATCH_ALL.match("anything")).toBe(true);
  });

  it("is a case-insensitive substring by default", () => {
    const f = compileFilter("APP");
    expect(f.match("be_app")).toBe(true);
    expect(f.match("Application")).toBe(true);
    expect(f.match("be_static")).toBe(false);
    expect(f.label).toBe("APP");
    expect(f.error).toBeNull();
  });

  it("takes regex characters literally in substring mode", () => {
    const f = compileFilter("a.b");
    expect(f.match("xa.by")).toBe(true);
    expect(f.match("axb")).toBe(false);
    expect(compileFilter("(").match("a(b")).toBe(true);
  });

  it("is a case-insensitive regex after ~", () => {
    const f = compileFilter("~^be_(app|tcp)$");
    expect(f.match("be_app")).toBe(true);
    expect(f.match("BE_TCP")).toBe(true);
    expect(f.match("be_static")).toBe(false);
    expect(f.match("xbe_app")).toBe(false);
    expect(f.error).toBeNull();
    expect(f.label).toBe("~^be_(app|tcp)$");
  });

  it("gives the same answer on every call (no stateful regex)", () => {
    const f = compileFilter("~app");
    expect([f.match("app1"), f.match("app1"), f.match("app1")]).toEqual([true, true, true]);
  });

  it("reports an invalid regex and then matches everything", () => {
    const f = compileFilter("~(unclosed");
    expect(f.error).toMatch(/^invalid regex: /);
    expect(f.match("anything")).toBe(true);
    expect(f.label).toBe("~(unclosed");
  });

  it("matches everything for a bare ~", () => {
    const f = compileFilter("~");
    expect(f.error).toBeNull();
    expect(f.match("whatever")).toBe(true);
  });

  it("copes with names that are not clean", () => {
    expect(compileFilter("evil").match("\u001b[31mevil\u0007")).toBe(true);
  });
});
