import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  fileHistory,
  historyPath,
  MAX_HISTORY,
  memoryHistory,
  parseHistory,
  withEntry,
} from "../../../src/actions/history.js";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "haptop-history-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("historyPath", () => {
  it("is under $XDG_STATE_HOME, else ~/.local/state", () => {
    expect(historyPath({ XDG_STATE_HOME: "/s" }, "/home/u")).toBe("/s/haptop/history");
    expect(historyPath({}, "/home/u")).toBe("/home/u/.local/state/haptop/history");
    // The spec says a relative path is invalid and must be ignored.
    expect(historyPath({ XDG_STATE_HOME: "rel" }, "/home/u")).toBe("/home/u/.local/state/haptop/history");
  });
});

describe("withEntry / parseHistory", () => {
  it("appends, skips empty lines and a repeat of the newest, keeps the newest MAX", () => {
    expect(withEntry(["a"], "  b ")).toEqual(["a", "b"]);
    expect(withEntry(["a", "b"], "b")).toEqual(["a", "b"]);
    expect(withEntry(["a", "b"], "a")).toEqual(["a", "b", "a"]);
    expect(withEntry(["a"], "   ")).toEqual(["a"]);
    expect(withEntry(["a", "b", "c"], "d", 3)).toEqual(["b", "c", "d"]);
  });

  it("never keeps a secret or a line break", () => {
    expect(withEntry([], "set ssl cert /x.pem -----BEGIN")).toEqual([]);
    expect(withEntry([], "show info; set ssl ocsp-response AAAA")).toEqual([]);
    expect(withEntry([], "show info\nset weight x 1")).toEqual([]);
  });

  it("reads a file, filtering secrets someone put there, bounded", () => {
    expect(parseHistory("show info\n\nset ssl cert /x abc\nget weight a/b\n")).toEqual([
      "show info",
      "get weight a/b",
    ]);
    const many = Array.from({ length: MAX_HISTORY + 20 }, (_, i) => `echo ${i}`).join("\n");
    const h = parseHistory(many);
    expect(h).toHaveLength(MAX_HISTORY);
    expect(h.at(-1)).toBe(`echo ${MAX_HISTORY + 19}`);
  });

  it("a memory history works the same", () => {
    const h = memoryHistory(["a"]);
    h.add("set ssl cert /x y");
    h.add("b");
    expect(h.entries()).toEqual(["a", "b"]);
    expect(h.path).toBeNull();
  });
});

describe("fileHistory", () => {
  it("creates the file 0600 in a 0700 directory, and a new instance reads it back", () => {
    const path = join(tempDir(), "state", "haptop", "history");
    const h = fileHistory(path);
    expect(h.entries()).toEqual([]);
    h.add("show info");
    h.add("set ssl cert /x.pem SECRET");
    h.add("get weight be_app/app1");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, "utf8")).toBe("show info\nget weight be_app/app1\n");
    expect(fileHistory(path).entries()).toEqual(["show info", "get weight be_app/app1"]);
    expect(h.error()).toBeNull();
  });

  it("keeps what another instance added meanwhile, and stays bounded", () => {
    const path = join(tempDir(), "history");
    const a = fileHistory(path, 3);
    const b = fileHistory(path, 3);
    a.add("one");
    b.add("two");
    a.add("three");
    a.add("four");
    expect(readFileSync(path, "utf8")).toBe("two\nthree\nfour\n");
  });

  it("tightens the mode of a file that was readable by others", () => {
    const path = join(tempDir(), "history");
    writeFileSync(path, "show info\n", { mode: 0o644 });
    fileHistory(path).add("show stat");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("a history that cannot be written lives in memory and says why", () => {
    const dir = tempDir();
    const blocker = join(dir, "file");
    writeFileSync(blocker, "");
    const h = fileHistory(join(blocker, "haptop", "history")); // a file where a directory should be
    h.add("show info");
    expect(h.entries()).toEqual(["show info"]);
    expect(h.error()).toMatch(/history .*haptop\/history/);
  });
});
