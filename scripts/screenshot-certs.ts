/**
 * The README's screenshot of view 8 (certificates): three self-signed certificates made with
 * `openssl` (lab/certs.ts, as test/integration/certs.test.ts does) — one expired 5 days ago, one
 * expiring in 10 days, one valid for a year — served by a real HAProxy (`bind … ssl crt <dir>/`),
 * the real TUI in a 120x36 tmux terminal on view 8: expired first, with the selected one's details.
 * Runs the newest HAProxy of the test matrix (lab/releases.ts): from 3.2 HAProxy names the frontends
 * serving a certificate; on an older one the line under the table says where the files are instead.
 * Writes screenshots/certs.{ansi,svg}; stops what it started.
 *
 *   npx tsx scripts/screenshot-certs.ts
 */
import { labCertSpecs, makeLabCerts } from "../lab/certs.js";
import { freePorts, makeLabDir, removeLabDir } from "../lab/index.js";
import { testReleases } from "../lab/releases.js";
import { HaproxyLab } from "../lab/test-lab.js";
import { haptopArgs, TmuxTerm } from "../lab/tmux.js";
import { shooter } from "./shot.js";

const COLS = 120;
const ROWS = 36;
const shot = shooter({ cols: COLS, rows: ROWS, timeoutMs: 30_000 });

async function main(): Promise<void> {
  const root = makeLabDir("haptop-certs-");
  const release = testReleases().at(-1);
  let lab: HaproxyLab | null = null;
  let term: TmuxTerm | null = null;
  try {
    const { dir } = await makeLabCerts(root, labCertSpecs(Date.now()));
    const [web, api] = await freePorts(2);
    lab = new HaproxyLab({
      release,
      extra: `frontend fe_tls
    bind 127.0.0.1:${web} ssl crt ${dir}/
    default_backend be_app
frontend fe_api
    bind 127.0.0.1:${api} ssl crt ${dir}/soon.pem
    default_backend be_app
`,
    });
    await lab.start();
    term = await TmuxTerm.start(haptopArgs(lab.adminSock), { cols: COLS, rows: ROWS });
    await term.waitFor(/^fe_tls\b/m, 30_000, "haptop's first frame");
    await term.sendKeys("8");
    // Expired first, then the soon one, then the valid one; the details (subject, issuer, serial)
    // of the selected (expired) certificate under the table once `show ssl cert <name>` is read.
    await shot(
      term,
      "certs",
      "haptop: certificates by expiry (view 8)",
      /expired\.pem[^\n]*expired [45]d[\s\S]*soon\.pem[^\n]*\b(?:9|10)d[\s\S]*valid\.pem[\s\S]*serial 1001/,
    );
    await term.sendKeys("q");
    await term.waitExit(10_000);
  } finally {
    term?.close();
    await lab?.stop();
    removeLabDir(root);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshot-certs: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
