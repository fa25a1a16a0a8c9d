/**
 * Self-signed certificates for the labs (certificates view, issue 13 point 4), made with the
 * `openssl` command line (argument arrays, never a shell).
 *
 * Why `openssl ca -selfsign`: an EXPIRED certificate needs a notAfter in the past, and the OpenSSL
 * installed here (3.0) has no `-not_before`/`-not_after` (3.4+) on `req`/`x509`, whose `-days` only
 * counts forward from now. `ca` takes `-startdate`/`-enddate` as absolute dates on every 3.x (and
 * 1.1.1), so each certificate gets exactly the validity the test asks for. No faketime needed.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CertSpec {
  /** File name (without directory) of the PEM written: certificate then key, as HAProxy loads it. */
  file: string;
  /** The subject's CN. */
  cn: string;
  /** DNS names of the subjectAltName (none: no SAN extension). */
  sans?: string[];
  /** Extra RDNs appended to the subject, in `-subj` syntax ("/O=Lab/OU=Ops"); may hold any byte but NUL. */
  subjectExtra?: string;
  notBefore: Date;
  notAfter: Date;
  /** Serial number (hex), unique per certificate so the tests can tell them apart. */
  serial: string;
}

/** OpenSSL's `ca` date form: YYYYMMDDHHMMSSZ (UTC). */
export function caDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/** The `openssl` binary: $OPENSSL or the one on PATH. */
export const OPENSSL = process.env.OPENSSL ?? "openssl";

/**
 * Writes `<dir>/<spec.file>` (certificate + private key, PEM) and returns its path. The key is EC
 * P-256: generated in milliseconds even on a loaded machine, where RSA 2048 can take seconds.
 * Work files go to `<dir>/.work-<file>/`, outside any directory given to HAProxy's `crt`.
 */
export async function makeSelfSignedCert(dir: string, spec: CertSpec, workDir = dir): Promise<string> {
  const work = join(workDir, `.work-${spec.file}`);
  mkdirSync(join(work, "db"), { recursive: true });
  writeFileSync(join(work, "db", "index.txt"), "");
  writeFileSync(join(work, "db", "serial"), `${spec.serial}\n`);
  // A minimal CA config: the subject is taken as given, the CSR's extensions (the SAN) are copied.
  writeFileSync(
    join(work, "ca.cnf"),
    [
      "[ca]",
      "default_ca = lab",
      "[lab]",
      `database = ${join(work, "db", "index.txt")}`,
      `new_certs_dir = ${join(work, "db")}`,
      `serial = ${join(work, "db", "serial")}`,
      "default_md = sha256",
      "policy = any",
      "unique_subject = no",
      "copy_extensions = copy",
      // `ca` drops every RDN its policy does not name: keep the ones the specs use.
      "[any]",
      "commonName = supplied",
      "organizationName = optional",
      "organizationalUnitName = optional",
      "",
    ].join("\n"),
  );
  const key = join(work, "key.pem");
  const csr = join(work, "req.csr");
  const crt = join(work, "crt.pem");
  const reqArgs = [
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-utf8",
    "-keyout",
    key,
    "-subj",
    `/CN=${spec.cn}${spec.subjectExtra ?? ""}`,
    "-out",
    csr,
  ];
  if (spec.sans && spec.sans.length > 0)
    reqArgs.push("-addext", `subjectAltName=${spec.sans.map((s) => `DNS:${s}`).join(",")}`);
  await run(OPENSSL, reqArgs);
  await run(OPENSSL, [
    "ca",
    "-batch",
    "-notext",
    "-utf8",
    "-config",
    join(work, "ca.cnf"),
    "-selfsign",
    "-keyfile",
    key,
    "-in",
    csr,
    "-startdate",
    caDate(spec.notBefore),
    "-enddate",
    caDate(spec.notAfter),
    "-out",
    crt,
  ]);
  const out = join(dir, spec.file);
  writeFileSync(out, readFileSync(crt, "utf8") + readFileSync(key, "utf8"));
  return out;
}

const DAY = 86_400_000;

/** The three certificates of the certificates view's tests, relative to `now`. */
export function labCertSpecs(now: number): CertSpec[] {
  return [
    {
      file: "valid.pem",
      cn: "valid.lab.test",
      sans: ["valid.lab.test", "www.valid.lab.test"],
      subjectExtra: "/O=Haptop Lab",
      notBefore: new Date(now - 10 * DAY),
      notAfter: new Date(now + 365 * DAY),
      serial: "1003",
    },
    {
      file: "soon.pem",
      cn: "soon.lab.test",
      sans: ["soon.lab.test"],
      notBefore: new Date(now - 80 * DAY),
      notAfter: new Date(now + 10 * DAY),
      serial: "1002",
    },
    {
      file: "expired.pem",
      cn: "expired.lab.test",
      sans: ["expired.lab.test"],
      notBefore: new Date(now - 400 * DAY),
      notAfter: new Date(now - 5 * DAY),
      serial: "1001",
    },
  ];
}

/**
 * Makes the lab's certificates in `<root>/certs/` (only PEM files there: the directory can be given
 * to `bind … ssl crt <root>/certs/`) and returns that directory and each file's path by spec file.
 */
export async function makeLabCerts(
  root: string,
  specs: CertSpec[],
): Promise<{ dir: string; files: Record<string, string> }> {
  const dir = join(root, "certs");
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  // One at a time: the machine is shared, and each takes a few milliseconds.
  for (const spec of specs) files[spec.file] = await makeSelfSignedCert(dir, spec, root);
  return { dir, files };
}
