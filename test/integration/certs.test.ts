/**
 * The certificates view on a real HAProxy of every release: self-signed certificates made with
 * `openssl` (lab/certs.ts) — one expired, one expiring in 10 days, one valid for a year — served on
 * bind lines (`crt <dir>/`, and a crt-list with the soon one and one whose subject holds control
 * bytes). The poller runs the panel's queries as the TUI does; the rows come out expired first,
 * then the soon one, with their tones, and where each certificate is used as far as HAProxy says.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { labCertSpecs, makeLabCerts, makeSelfSignedCert } from "../../lab/certs.js";
import { makeLabDir, removeLabDir } from "../../lab/index.js";
import { sendRaw } from "../../src/client/socket.js";
import { parseTarget } from "../../src/client/target.js";
import { fetchExtra, pollOnce } from "../../src/store/poll.js";
import { Poller } from "../../src/store/poller.js";
import { certColumns, certsPanel } from "../../src/ui/panels/certs.js";
import type { CertRow } from "../../src/ui/panels/certsRows.js";
import { MATCH_ALL } from "../../src/ui/views/filter.js";
import { freePorts, HaproxyLab, killAllStarted, waitFor } from "../helpers/haproxy.js";
import { describeEachRelease } from "../helpers/matrix.js";
import { atLeast } from "../helpers/releases.js";

vi.setConfig({ hookTimeout: 60_000, testTimeout: 60_000 });

afterAll(() => killAllStarted());

const DAY = 86_400_000;
const HOSTILE_CN = "evil\u001b[31mred";

describeEachRelease("certificates view", (release) => {
  const root = makeLabDir("haptop-certs-");
  let lab: HaproxyLab;
  let poller: Poller;
  let unsubscribe = () => {};
  let files: Record<string, string> = {};
  let hostile = "";

  beforeAll(async () => {
    const now = Date.now();
    const made = await makeLabCerts(root, labCertSpecs(now));
    files = made.files;
    hostile = await makeSelfSignedCert(root, {
      file: "hostile.pem",
      cn: HOSTILE_CN,
      sans: ["hostile.lab.test"],
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 200 * DAY),
      serial: "0A",
    });
    const list = join(root, "list.txt");
    writeFileSync(list, `${files["soon.pem"]} soon.lab.test\n${hostile}\n`);
    const [p1, p2] = await freePorts(2);
    lab = new HaproxyLab({
      release,
      extra: `frontend fe_tls
    bind 127.0.0.1:${p1} ssl crt ${made.dir}/
    default_backend be_app
frontend fe_tls_list
    bind 127.0.0.1:${p2} ssl crt-list ${list}
    default_backend be_app
`,
    });
    await lab.start();
    const target = parseTarget(lab.adminSock);
    poller = new Poller({
      target: lab.adminSock,
      intervalMs: 500,
      fetch: (d, withLevel) => pollOnce(target, d, withLevel),
      fetchExtra: (q) => fetchExtra(target, q),
    });
    // As the App does: the open view's queries are the poller's demand, re-sent as they change.
    const demand = () =>
      poller.setDemand({
        sessions: false,
        errors: false,
        extras: certsPanel.queries({ state: poller.store.getSnapshot(), drill: null }),
      });
    unsubscribe = poller.store.subscribe(demand);
    demand();
    poller.start();
  });

  afterAll(async () => {
    unsubscribe();
    poller?.stop();
    await lab?.stop();
    removeLabDir(root);
  });

  const build = () => certsPanel.build({ state: poller.store.getSnapshot(), drill: null }, MATCH_ALL, null);
  const cell = (row: CertRow, id: string) => certColumns.find((c) => c.id === id)!.cell(row);

  it("rows: expired first, then the soon one, then the valid ones, with their tones", async () => {
    const rows = await waitFor(
      () => {
        const r = build().rows;
        return r.length === 4 && r.every((x) => x.detail !== null) ? r : null;
      },
      20_000,
      "every certificate detailed",
    );
    expect(rows.map((r) => r.name)).toEqual([
      files["expired.pem"],
      files["soon.pem"],
      hostile,
      files["valid.pem"],
    ]);
    expect(rows.map((r) => cell(r, "days").tone)).toEqual(["bad", "warn", "none", "none"]);
    expect(cell(rows[0]!, "days").text).toMatch(/^expired [45]d$/);
    expect(cell(rows[1]!, "days").text).toMatch(/^(9|10)d$/);
    expect(cell(rows[0]!, "cn").text).toBe("expired.lab.test");
    expect(cell(rows[3]!, "sans").text).toBe("valid.lab.test +1");
    expect(cell(rows[3]!, "issuer").text).toBe("self-signed");
    // The subject's control bytes reach the row raw; the Table and detail lines escape them.
    expect(rows[2]!.detail!.cn).toBe(HOSTILE_CN);
    expect(build().tabExtra).toBe("1 expired · 1 <30d · 4 certs");
  });

  it("where each certificate is used: frontends on 3.2+, the crt-list or directory before", async () => {
    const state = () => poller.store.getSnapshot();
    const soonLine = async () =>
      waitFor(
        () => {
          const row = build().rows.find((r) => r.name === files["soon.pem"]);
          const lines = row
            ? certsPanel.detail!(
                row,
                { width: 200, bodyHeight: 30, showCapture: false },
                { state: state(), drill: null },
              )
            : [];
          const used = lines[3] ?? "";
          return /frontends: fe_|in \//.test(used) ? used : null;
        },
        20_000,
        "where the soon certificate is used",
      );
    const used = await soonLine();
    if (atLeast(release, 3, 2)) {
      expect(used).toBe("frontends: fe_tls, fe_tls_list");
    } else {
      expect(used).toContain(
        `in ${files["soon.pem"]!.replace(/\/soon\.pem$/, "")}, ${join(root, "list.txt")}`,
      );
      expect(used).toContain("HAProxy before 3.2 does not tell");
    }
  });

  it("an uncommitted `set ssl cert` shows HAProxy's `*` on the certificate", async () => {
    const target = parseTarget(lab.adminSock);
    await sendRaw(
      target,
      `set ssl cert ${files["valid.pem"]} <<\n${readFileSync(files["valid.pem"]!, "utf8")}`,
    );
    try {
      const row = await waitFor(
        () => build().rows.find((r) => r.name === files["valid.pem"] && r.transaction),
        10_000,
        "the transaction marker",
      );
      expect(cell(row, "name").text).toBe(`*${files["valid.pem"]}`);
    } finally {
      await sendRaw(target, `abort ssl cert ${files["valid.pem"]}`);
    }
  });
});
