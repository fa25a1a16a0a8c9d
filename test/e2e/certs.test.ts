/**
 * End to end (issue 13, "done when"): in a real terminal (tmux) on a real HAProxy serving an expired,
 * a soon-expiring and a valid self-signed certificate, view 8 shows the expired one then the soon
 * one, coloured (red, then yellow), and the selected one's subject under the table. A subject with
 * control bytes is shown escaped. Once, on the packaged release (the matrix runs in
 * test/integration/certs.test.ts).
 */
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { labCertSpecs, makeLabCerts, makeSelfSignedCert } from "../../lab/certs.js";
import { makeLabDir, removeLabDir } from "../../lab/index.js";
import { freePorts, HaproxyLab, killAllStarted } from "../helpers/haproxy.js";
import { describeOnce } from "../helpers/matrix.js";
import { haptopArgs, TmuxTerm } from "./tmux.js";

vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

const DAY = 86_400_000;
const FOOTER = /q quit {2}\? help/m;

afterAll(() => killAllStarted());

describeOnce("certificates view in a real terminal", (release) => {
  const root = makeLabDir("haptop-e2e-certs-");
  let lab: HaproxyLab;
  let term: TmuxTerm | null = null;

  beforeAll(async () => {
    const now = Date.now();
    const { dir } = await makeLabCerts(root, labCertSpecs(now));
    await makeSelfSignedCert(
      dir,
      {
        file: "hostile.pem",
        cn: "evil\u001b[2Jred",
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 500 * DAY),
        serial: "0A",
      },
      root,
    );
    const [port] = await freePorts(1);
    lab = new HaproxyLab({
      release,
      extra: `frontend fe_tls
    bind 127.0.0.1:${port} ssl crt ${dir}/
    default_backend be_app
`,
    });
    await lab.start();
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: 140, rows: 30 });
    await term.waitFor(/fe_tls/, 20_000, "the first frame");
  });

  afterAll(async () => {
    term?.close();
    await lab?.stop();
    removeLabDir(root);
  });

  it("view 8 lists the expired then the soon-expiring certificate, red then yellow", async () => {
    const t = term!;
    await t.sendKeys("8");
    const dir = join(root, "certs");
    const screen = await t.waitFor(
      [
        /CERTIFICATE\s+SUBJECT CN/m,
        /expired\.lab\.test/,
        /soon\.lab\.test/,
        /valid\.lab\.test/,
        /\\x1b\[2J/,
        FOOTER,
      ],
      30_000,
      "the certificates with their details",
    );
    // The table's rows (the detail line under the table also starts with the selected name).
    const rows = screen.split("\n").filter((l) => l.startsWith(dir) && !l.includes(" · "));
    expect(rows.map((l) => /certs\/(\w+)\.pem/.exec(l)?.[1])).toEqual([
      "expired",
      "soon",
      "valid",
      "hostile",
    ]);
    expect(rows[0]).toMatch(/ expired [45]d\s+Used$/);
    expect(rows[1]).toMatch(/\s(9|10)d\s+Used$/);
    // The first row is selected: its full subject is under the table.
    expect(screen).toMatch(/subject \/CN=expired\.lab\.test · issuer \/CN=expired\.lab\.test · serial 1001/);
    // Colours: the expired row's days in red (SGR 31 or its bright form), the soon one's in yellow.
    const ansi = await t.screenAnsi();
    expect(ansi).toMatch(/\u001b\[(?:[0-9;]*;)?(?:31|91)(?:;[0-9;]*)?m[^\u001b]*expired [45]d/);
    expect(ansi).toMatch(/\u001b\[(?:[0-9;]*;)?(?:33|93)(?:;[0-9;]*)?m[^\u001b]*\b(?:9|10)d/);
  });
});
