/**
 * Parsers for the certificate commands of the Runtime API (certificates view, issue 13 point 4):
 * `show ssl cert` (the list), `show ssl cert <file>` (one certificate's details), `show ssl
 * crt-list` (the crt-lists and directories) and its content per list, and `show ssl sni` (3.2+: the
 * frontend and bind line of each SNI, hence of each certificate). Pure; every value is untrusted
 * text (a subject is copied byte for byte by HAProxy, control bytes included): shown escaped by the
 * UI, never put into a command.
 */

/** `show ssl cert`: the committed certificates, and the ones of an open `set ssl cert` transaction. */
export interface SslCertList {
  /** Names as HAProxy prints them (file paths, or crt-store aliases), in HAProxy's order. */
  certs: string[];
  /** Names with an uncommitted transaction (printed `*<name>` under `# transaction`), without the `*`. */
  transactions: string[];
}

export function parseSslCertList(reply: string): SslCertList {
  const certs: string[] = [];
  const transactions: string[] = [];
  let section: "filename" | "transaction" | null = null;
  for (const line of reply.split("\n")) {
    if (line === "") continue;
    if (line === "# transaction") section = "transaction";
    else if (line === "# filename") section = "filename";
    else if (section === "transaction") transactions.push(line.startsWith("*") ? line.slice(1) : line);
    else if (section === "filename") certs.push(line);
  }
  if (section === null && reply.trim() !== "") throw new Error(`not a certificate list: ${firstLine(reply)}`);
  return { certs, transactions };
}

/** One certificate as `show ssl cert <name>` details it. */
export interface SslCertDetail {
  /** The `Filename:` line, without the `*` of a transaction. */
  filename: string;
  /** The details are those of an uncommitted transaction (`Filename: *…`). */
  transaction: boolean;
  /** Used, Unused, Uncommitted, Empty. */
  status: string | null;
  serial: string | null;
  notBefore: string | null;
  notAfter: string | null;
  /** notAfter as ms since the epoch; null when absent or not OpenSSL's date form. */
  notAfterMs: number | null;
  notBeforeMs: number | null;
  /** The DNS names of the subjectAltName, in order. */
  sans: string[];
  algorithm: string | null;
  sha1: string | null;
  /** One line, `/CN=…/O=…`, as HAProxy prints it. */
  subject: string | null;
  issuer: string | null;
  /** The CN of the subject (the last one when several), or null. */
  cn: string | null;
  /** The intermediate certificates (`Chain Subject` / `Chain Issuer` pairs). */
  chain: { subject: string; issuer: string | null }[];
  /** Every `Key: value` line, by key (the last one wins): what a newer release adds is kept. */
  fields: Record<string, string>;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * OpenSSL's `ASN1_TIME_print` form, `Jan  1 00:00:00 2026 GMT` (fractional seconds allowed, GMT
 * optional: OpenSSL prints it for UTC times, which is what certificates hold), in ms since the
 * epoch. Null for anything else, out-of-range fields included.
 */
export function parseOpensslDate(text: string): number | null {
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4})(?: GMT)?$/.exec(
    text.trim(),
  );
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  const [day, h, min, s, year] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 0 || day < 1 || day > 31 || h > 23 || min > 59 || s > 60) return null;
  const ms = Date.UTC(year, month, day, h, min, Math.min(s, 59));
  // Feb 30 and the like would roll over into the next month: refuse them.
  return new Date(ms).getUTCDate() === day ? ms : null;
}

/** The DNS names of HAProxy's `DNS:a, DNS:b` (non-DNS names print as empty items: skipped). */
export function parseSans(text: string): string[] {
  const out: string[] = [];
  for (const item of text.split(", ")) {
    const t = item.trim();
    if (t.startsWith("DNS:") && t.length > 4) out.push(t.slice(4));
  }
  return out;
}

/**
 * The components of a one-line DN (`/CN=a/O=b`). HAProxy copies the values raw, so a value may hold
 * a `/`: a new component starts only at `/<attribute>=`.
 */
export function dnParts(dn: string): { key: string; value: string }[] {
  const parts: { key: string; value: string }[] = [];
  const re = /\/([A-Za-z][A-Za-z0-9.-]*)=/g;
  const starts: { index: number; key: string; valueAt: number }[] = [];
  for (let m = re.exec(dn); m; m = re.exec(dn)) {
    starts.push({ index: m.index, key: m[1]!, valueAt: m.index + m[0].length });
  }
  starts.forEach((s, i) => {
    parts.push({ key: s.key, value: dn.slice(s.valueAt, starts[i + 1]?.index ?? dn.length) });
  });
  return parts;
}

/** The subject's CN (the most specific, i.e. last, when there are several). */
export function dnCommonName(dn: string): string | null {
  const cns = dnParts(dn).filter((p) => p.key === "CN");
  return cns.length > 0 ? cns[cns.length - 1]!.value : null;
}

/** HAProxy's refusals to `show ssl cert <name>` (unknown name, bundle, locked operations). */
export class SslCertError extends Error {
  override name = "SslCertError";
}

/** One certificate's details; throws SslCertError on HAProxy's refusal or a reply of another shape. */
export function parseSslCertDetail(reply: string): SslCertDetail {
  const fields: Record<string, string> = {};
  const chain: { subject: string; issuer: string | null }[] = [];
  let filename: string | null = null;
  for (const line of reply.split("\n")) {
    const at = line.indexOf(": ");
    // `OCSP Response Key: ` ends with the separator and nothing after it.
    const sep = at >= 0 ? at : line.endsWith(":") ? line.length - 1 : -1;
    if (sep <= 0) continue;
    const key = line.slice(0, sep);
    const value = line.slice(sep + 2);
    if (key === "Filename" && filename === null) filename = value;
    if (key === "Chain Subject") chain.push({ subject: value, issuer: null });
    else if (key === "Chain Issuer" && chain.length > 0 && chain[chain.length - 1]!.issuer === null)
      chain[chain.length - 1]!.issuer = value;
    fields[key] = value;
  }
  if (filename === null) throw new SslCertError(firstLine(reply) || "empty reply");
  const get = (k: string) => fields[k] ?? null;
  const subject = get("Subject");
  const notAfter = get("notAfter");
  const notBefore = get("notBefore");
  return {
    filename: filename.startsWith("*") ? filename.slice(1) : filename,
    transaction: filename.startsWith("*"),
    status: get("Status"),
    serial: get("Serial"),
    notBefore,
    notAfter,
    notAfterMs: notAfter === null ? null : parseOpensslDate(notAfter),
    notBeforeMs: notBefore === null ? null : parseOpensslDate(notBefore),
    sans: parseSans(get("Subject Alternative Name") ?? ""),
    algorithm: get("Algorithm"),
    sha1: get("SHA1 FingerPrint"),
    subject,
    issuer: get("Issuer"),
    cn: subject === null ? null : dnCommonName(subject),
    chain,
    fields,
  };
}

/** The details of several certificates, asked in one request (`show ssl cert a;show ssl cert b`). */
export interface SslCertDetails {
  /** By the name asked. */
  byName: Map<string, SslCertDetail>;
  /** Names HAProxy refused to detail, with its reason (not found, a bundle, locked). */
  errors: Map<string, string>;
}

/**
 * The replies to `show ssl cert <names[i]>`, one per name. The replies are joined back and cut at
 * each `Filename:` line rather than trusted one by one: the request split ends a reply at its
 * first empty line, and a release printing one inside a certificate's details (an OCSP dump) would
 * otherwise shift every later reply onto the wrong name. A block goes to the next name asked whose
 * `Filename:` it carries; a name with no block gets the reply at its own position as the error.
 */
export function parseSslCertDetails(names: readonly string[], replies: readonly string[]): SslCertDetails {
  const byName = new Map<string, SslCertDetail>();
  const errors = new Map<string, string>();
  const raw = replies.join("\n");
  const blocks: string[] = [];
  const re = /^Filename: /gm;
  const starts: number[] = [];
  for (let m = re.exec(raw); m; m = re.exec(raw)) starts.push(m.index);
  starts.forEach((s, i) => {
    blocks.push(raw.slice(s, starts[i + 1] ?? raw.length));
  });
  let next = 0;
  for (const block of blocks) {
    let detail: SslCertDetail;
    try {
      detail = parseSslCertDetail(block);
    } catch {
      continue;
    }
    const index = names.indexOf(detail.filename, next);
    if (index < 0) continue;
    byName.set(detail.filename, detail);
    next = index + 1;
  }
  names.forEach((name, i) => {
    if (byName.has(name)) return;
    const reply = replies[i] ?? "";
    errors.set(
      name,
      reply.startsWith("Filename: ") ? "details not found in the reply" : firstLine(reply) || "no reply",
    );
  });
  return { byName, errors };
}

/** `show ssl crt-list`: the crt-list files and `crt` directories of the configuration. */
export function parseCrtLists(reply: string): string[] {
  return reply.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

/**
 * `show ssl crt-list <list>` (without `-n`): `# <list>` then one line per entry, `<cert>[:<n>]
 * [options] [filters]`. Returns the certificates named, in order (a name cannot hold a blank:
 * HAProxy splits the line on them).
 */
export function parseCrtListEntries(reply: string): { list: string | null; certs: string[] } {
  let list: string | null = null;
  const certs: string[] = [];
  for (const line of reply.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# ")) {
      list ??= line.slice(2);
      continue;
    }
    const cert = line.split(/[ \t]/, 1)[0]!;
    if (cert !== "") certs.push(cert);
  }
  return { list, certs };
}

/** One line of `show ssl sni` (HAProxy 3.2+): an SNI a bind line answers with a certificate. */
export interface SniEntry {
  frontend: string;
  /** `<file>:<line>` of the bind line. */
  bind: string;
  /** The SNI (a CN, a SAN or a crt-list filter; `*` for the bind's default certificate). */
  sni: string;
  type: string;
  /** The certificate's name, as `show ssl cert` lists it. */
  filename: string;
  notAfter: string;
}

/**
 * `show ssl sni`: tab-separated, `# Frontend/Bind SNI Negative-Filter Type Filename NotAfter
 * NotBefore`. The first column is `<frontend>/<file>:<line>`; a frontend name cannot hold a `/`,
 * so it ends at the first one. Throws on a reply that is not this table (older releases answer
 * "Unknown command").
 */
export function parseSslSni(reply: string): SniEntry[] {
  const lines = reply.split("\n").filter((l) => l !== "");
  if (lines.length > 0 && !lines[0]!.startsWith("# Frontend/Bind"))
    throw new Error(`not a show ssl sni table: ${firstLine(reply)}`);
  const out: SniEntry[] = [];
  for (const line of lines.slice(1)) {
    const cols = line.split("\t");
    if (cols.length < 6) continue;
    const where = cols[0]!;
    const slash = where.indexOf("/");
    out.push({
      frontend: slash >= 0 ? where.slice(0, slash) : where,
      bind: slash >= 0 ? where.slice(slash + 1) : "",
      sni: cols[1]!,
      type: cols[3]!,
      filename: cols[4]!,
      notAfter: cols[5]!,
    });
  }
  return out;
}

/** The frontends that serve each certificate, from `show ssl sni` (each frontend once, in order). */
export function frontendsByCert(entries: readonly SniEntry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of entries) {
    const list = out.get(e.filename) ?? [];
    if (!list.includes(e.frontend)) list.push(e.frontend);
    out.set(e.filename, list);
  }
  return out;
}

function firstLine(text: string): string {
  return (text.split("\n", 1)[0] ?? "").trim().slice(0, 200);
}
