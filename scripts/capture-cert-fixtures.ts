/**
 * Captures the certificate replies (`show ssl cert`, `show ssl crt-list`, `show ssl sni`) of every
 * HAProxy release of the test matrix into test/fixtures/haproxy-<version>/ssl-*.txt, for the
 * certificates view's parser (src/parse/sslcert.ts). Run: `npx tsx scripts/capture-cert-fixtures.ts`.
 *
 * The lab serves self-signed certificates made with `openssl` (lab/certs.ts): an expired one, one
 * expiring within 10 days, one valid for a year (a `crt <dir>/` bind), and one whose subject holds
 * control bytes (ESC, BEL) in a crt-list with the soon one. An uncommitted `set ssl cert`
 * transaction is left open so `show ssl cert` prints its `# transaction` section. Only loopback
 * addresses, temp paths and generated certificates end up in the files.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { labCertSpecs, makeLabCerts, makeSelfSignedCert } from "../lab/certs.js";
import { freePorts, makeLabDir, removeLabDir } from "../lab/index.js";
import type { Release } from "../lab/releases.js";
import { HaproxyLab } from "../lab/test-lab.js";
import { sendRaw } from "../src/client/socket.js";
import type { Target } from "../src/client/target.js";
import { captureEachRelease, FIXTURES } from "./captureKit.js";

const DAY = 86_400_000;

/** A subject with terminal control bytes: the view must show it escaped. */
export const HOSTILE_CN = "evil\u001b[31mred";

async function capture(release: Release): Promise<string> {
  const root = makeLabDir("haptop-certs-");
  const now = Date.now();
  const { dir, files } = await makeLabCerts(root, labCertSpecs(now));
  const hostile = await makeSelfSignedCert(root, {
    file: "hostile.pem",
    cn: HOSTILE_CN,
    sans: ["hostile.lab.test"],
    subjectExtra: "/O=bell\u0007org",
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 40 * DAY),
    serial: "0A",
  });
  const list = join(root, "list.txt");
  writeFileSync(list, `${files["soon.pem"]} [alpn h2] soon.lab.test\n${hostile}\n`);
  const [p1, p2] = await freePorts(2);
  const lab = new HaproxyLab({
    release,
    extra: `frontend fe_tls
    bind 127.0.0.1:${p1} ssl crt ${dir}/
    default_backend be_app
frontend fe_tls_list
    bind 127.0.0.1:${p2} ssl crt-list ${list}
    default_backend be_app
`,
  });
  try {
    await lab.start();
    const admin: Target = { kind: "unix", path: lab.adminSock };
    const out = join(FIXTURES, `haproxy-${release.version}`);
    mkdirSync(out, { recursive: true });
    const save = async (file: string, command: string, target: Target = admin) =>
      writeFileSync(join(out, file), await sendRaw(target, command), "latin1");
    // An uncommitted update of valid.pem: `show ssl cert` lists it under "# transaction".
    await sendRaw(
      admin,
      `set ssl cert ${files["valid.pem"]} <<\n${readFileSync(files["valid.pem"]!, "utf8")}`,
    );
    await save("ssl-show-cert.txt", "show ssl cert");
    const names = [files["expired.pem"]!, files["soon.pem"]!, files["valid.pem"]!, hostile];
    // The details batched as the view sends them (one request, `;`-separated).
    await save("ssl-show-cert-details.txt", names.map((n) => `show ssl cert ${n}`).join(";"));
    await save("ssl-show-cert-missing.txt", `show ssl cert ${dir}/missing.pem`);
    await save("ssl-show-cert-transaction.txt", `show ssl cert *${files["valid.pem"]}`);
    await save("ssl-show-crt-list.txt", "show ssl crt-list");
    await save("ssl-show-crt-list-dir.txt", `show ssl crt-list ${dir}`);
    await save("ssl-show-crt-list-file.txt", `show ssl crt-list ${list}`);
    await save("ssl-show-sni.txt", "show ssl sni");
    await save("user-ssl-show-cert.txt", "show ssl cert", { kind: "unix", path: lab.userSock });
    await save("operator-ssl-show-crt-list.txt", "show ssl crt-list", {
      kind: "unix",
      path: lab.operatorSock,
    });
    await sendRaw(admin, `abort ssl cert ${files["valid.pem"]}`);
    return out;
  } finally {
    await lab.stop();
    removeLabDir(root);
  }
}

captureEachRelease(import.meta.url, "capture-cert-fixtures", capture);
