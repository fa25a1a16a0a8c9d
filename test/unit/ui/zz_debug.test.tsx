import { expect, it } from "vitest";
import { KEYS, mounted, press, tick } from "./appHarness.js";
import { plain } from "./components/frame.js";
it("dbg", async () => {
  const { lastFrame, stdin } = await mounted();
  await press(stdin, "2", "/", "a", "p", "p", "_", "d", KEYS.enter);
  await press(stdin, KEYS.esc);
  const a = / app1 /.test(plain(lastFrame()));
  await tick();
  const b = / app1 /.test(plain(lastFrame()));
  await new Promise((r) => setTimeout(r, 1));
  const c = / app1 /.test(plain(lastFrame()));
  await new Promise((r) => setTimeout(r, 50));
  const d = / app1 /.test(plain(lastFrame()));
  expect([a, b, c, d]).toEqual([true, true, true, true]);
});
