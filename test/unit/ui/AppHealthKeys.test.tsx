import { describe, expect, it, vi } from "vitest";
import { cursorTo, KEYS, mounted, press } from "./appHarness.js";
import { plain } from "./components/frame.js";

vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});

const APP1 = { kind: "server", backend: "be_app", server: "app1", sameNameBackends: ["be_app"] };

describe("server health keys (backends view, a server row)", () => {
  it("H, A and m plan the health toggle, the agent toggle and the maxconn prompt on the selected server", async () => {
    const app = await mounted();
    await press(app.stdin, "2");
    await cursorTo(app, /app1/);
    for (const [key, id] of [
      ["H", "health-toggle"],
      ["A", "agent-toggle"],
      ["m", "maxconn"],
    ] as const) {
      await press(app.stdin, key);
      await vi.waitFor(() => expect(app.planned.at(-1)).toEqual({ id, sel: APP1 }));
      await vi.waitFor(() => expect(plain(app.lastFrame())).toContain(`exact command for ${id}`));
      await press(app.stdin, "n");
    }
  });

  it("are off in read-only mode: nothing is planned", async () => {
    const app = await mounted({ readOnly: true });
    await press(app.stdin, "2");
    await cursorTo(app, /app1/);
    await press(app.stdin, "H", "A", "m");
    expect(app.planned).toEqual([]);
  });

  it("i opens the server's state pane; Esc closes it", async () => {
    const app = await mounted();
    await press(app.stdin, "2");
    await cursorTo(app, /app1/);
    await press(app.stdin, "i");
    await vi.waitFor(() => {
      const f = plain(app.lastFrame());
      expect(f).toContain("Server be_app/app1");
      // The fixture poll carries no show servers state: the pane says so and uses show stat.
      expect(f).toContain("show servers state was not read");
      expect(f).toMatch(/A reload resets/);
    });
    await press(app.stdin, KEYS.esc);
    await vi.waitFor(() => expect(plain(app.lastFrame())).not.toContain("Server be_app/app1"));
  });
});

describe("top talkers key (sessions view)", () => {
  it("o groups by source, then by backend/server, then lists the sessions again", async () => {
    const app = await mounted();
    await press(app.stdin, "3");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/^SOURCE\s+FRONTEND\s+BACKEND/m));
    await press(app.stdin, "o");
    await vi.waitFor(() => {
      const f = plain(app.lastFrame());
      expect(f).toMatch(/^SOURCE\s+SESS▼\s+FRONTENDS\s+BACKENDS\s+OLDEST/m);
      expect(f).toMatch(/^127\.0\.0\.1\s+1\s+fe_tcp\s+be_tcp\b/m);
    });
    // A group is not a session: the kill keys are not offered.
    expect(plain(app.lastFrame())).not.toMatch(/k kill/);
    await press(app.stdin, "o");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/^be_tcp\/tcp1\s+1\s+1\s+fe_tcp\b/m));
    // K on a backend/server group kills that server's sessions (planned, confirmed first).
    await press(app.stdin, "K");
    await vi.waitFor(() =>
      expect(app.planned.at(-1)).toEqual({
        id: "kill-server-sessions",
        sel: { kind: "server-group", backend: "be_tcp", server: "tcp1" },
      }),
    );
    await press(app.stdin, "n", "o");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/^SOURCE\s+FRONTEND\s+BACKEND/m));
  });

  it("Enter on a source group lists that source's sessions", async () => {
    const app = await mounted();
    await press(app.stdin, "3", "o");
    await vi.waitFor(() => expect(plain(app.lastFrame())).toMatch(/^127\.0\.0\.1\s+1\s+fe_tcp/m));
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => {
      const f = plain(app.lastFrame());
      expect(f).toMatch(/^SOURCE\s+FRONTEND\s+BACKEND/m);
      expect(f).toMatch(/^127\.0\.0\.1:42334\s+fe_tcp\s+be_tcp\s+tcp1\b/m);
      expect(f).toContain("sessions from 127.0.0.1");
    });
  });
});
