/**
 * The certificate parsers (src/parse/sslcert.ts) on the replies captured from every release
 * (scripts/capture-cert-fixtures.ts: an expired, a soon-expiring, a valid and a hostile-subject
 * certificate, an open transaction), and on hostile input.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkReply, splitReplies } from "../../../src/client/socket.js";
import {
  dnCommonName,
  frontendsByCert,
  parseCrtListEntries,
  parseCrtLists,
  parseOpensslDate,
  parseSans,
  parseSslCertDetail,
  parseSslCertDetails,
  parseSslCertList,
  parseSslSni,
  SslCertError,
} from "../../../src/parse/sslcert.js";
import { FIXTURE_RELEASES, readFixture, releasesWith } from "../../helpers/fixtureReleases.js";

const releases = FIXTURE_RELEASES;

const unix = { kind: "unix" as const, path: "/fixture" };

it("has the certificate replies of every release", () => {
  const withCerts = releasesWith("ssl-show-cert.txt");
  expect(withCerts.map((r) => r.version)).toEqual(
    expect.arrayContaining(["2.6.12", "2.8.0", "3.0.0", "3.2.0"]),
  );
});

describe.each(releases)("certificate replies of HAProxy $version", (release) => {
  const read = (file: string) => readFixture(release, file);
  const list = parseSslCertList(splitReplies(read("ssl-show-cert.txt"), 1, unix)[0]!);
  const names = list.certs;
  const base = (n: string) => n.slice(n.lastIndexOf("/") + 1);
  const atLeast32 = release.major > 3 || (release.major === 3 && release.minor >= 2);

  it("show ssl cert: the certificates, and the open transaction apart", () => {
    expect(names.map(base)).toEqual(["expired.pem", "soon.pem", "valid.pem", "hostile.pem"]);
    expect(list.transactions.map(base)).toEqual(["valid.pem"]);
    expect(list.transactions[0]).toBe(names[2]);
  });

  it("show ssl cert <name> ×4 in one request: every certificate's details, by name", () => {
    const replies = splitReplies(read("ssl-show-cert-details.txt"), 4, unix);
    const { byName, errors } = parseSslCertDetails(names, replies);
    expect(errors.size).toBe(0);
    const [expired, soon, valid, hostile] = names.map((n) => byName.get(n)!);
    expect(expired).toMatchObject({
      status: "Used",
      serial: "1001",
      cn: "expired.lab.test",
      sans: ["expired.lab.test"],
      algorithm: "EC256",
      subject: "/CN=expired.lab.test",
      issuer: "/CN=expired.lab.test",
      transaction: false,
    });
    expect(expired!.sha1).toMatch(/^[0-9A-F]{40}$/);
    // Captured on 2026-11-30: expired 5 days before, the soon one 10 days after, valid a year.
    const captured = Date.UTC(2026, 10, 30, 2, 40);
    expect(expired!.notAfterMs).toBeLessThan(captured);
    expect(soon!.notAfterMs! - captured).toBeLessThan(11 * 86_400_000);
    expect(soon!.notAfterMs! - captured).toBeGreaterThan(9 * 86_400_000);
    expect(valid!.notAfterMs! - captured).toBeGreaterThan(360 * 86_400_000);
    expect(valid).toMatchObject({ sans: ["valid.lab.test", "www.valid.lab.test"], cn: "valid.lab.test" });
    expect(valid!.subject).toBe("/CN=valid.lab.test/O=Haptop Lab");
    // Control bytes arrive raw (HAProxy copies the subject byte for byte): kept for the UI to escape.
    expect(hostile!.subject).toBe("/CN=evil\u001b[31mred/O=bell\u0007org");
    expect(hostile!.cn).toBe("evil\u001b[31mred");
    expect(hostile!.serial).toBe("0A");
    // 3.2 adds the crt/key/ocsp file names: kept in `fields`.
    if (atLeast32) expect(expired!.fields["Crt filename"]).toBe(names[0]);
  });

  it("show ssl cert *<name>: the transaction's details", () => {
    const d = parseSslCertDetail(splitReplies(read("ssl-show-cert-transaction.txt"), 1, unix)[0]!);
    // 3.2 says "Uncommitted", older releases "Unused".
    expect(d).toMatchObject({
      filename: names[2],
      transaction: true,
      status: atLeast32 ? "Uncommitted" : "Unused",
      cn: "valid.lab.test",
    });
  });

  it("show ssl cert <unknown>: HAProxy's refusal", () => {
    const reply = splitReplies(read("ssl-show-cert-missing.txt"), 1, unix)[0]!;
    expect(() => parseSslCertDetail(reply)).toThrow(SslCertError);
    expect(() => parseSslCertDetail(reply)).toThrow(/Can't display the certificate/);
  });

  it("show ssl crt-list: the directory and the crt-list; their contents", () => {
    const lists = parseCrtLists(splitReplies(read("ssl-show-crt-list.txt"), 1, unix)[0]!);
    expect(lists.map(base)).toEqual(["certs", "list.txt"]);
    const dir = parseCrtListEntries(read("ssl-show-crt-list-dir.txt"));
    expect(dir.list).toBe(lists[0]);
    expect(dir.certs).toEqual(names.slice(0, 3));
    // HAProxy prints a NUL after the last option of a crt-list line ("[alpn h2\0]"): still read.
    const file = parseCrtListEntries(read("ssl-show-crt-list-file.txt"));
    expect(file.certs).toEqual([names[1], names[3]]);
  });

  it("show ssl sni: the frontends of each certificate on 3.2+, Unknown command before", () => {
    const reply = splitReplies(read("ssl-show-sni.txt"), 1, unix)[0]!;
    if (atLeast32) {
      const sni = parseSslSni(checkReply("show ssl sni", reply));
      const fes = frontendsByCert(sni);
      expect(fes.get(names[0]!)).toEqual(["fe_tls"]);
      expect(fes.get(names[1]!)).toEqual(["fe_tls", "fe_tls_list"]);
      expect(fes.get(names[3]!)).toEqual(["fe_tls_list"]);
      expect(sni[0]!.bind).toMatch(/haproxy\.cfg:\d+$/);
    } else {
      expect(() => checkReply("show ssl sni", reply)).toThrow(/does not know the command/);
    }
  });

  it("lower levels: user gets HAProxy's odd refusal of show ssl cert, operator no crt-list", () => {
    expect(read("user-ssl-show-cert.txt")).toMatch(/^Can't allocate memory!/);
    expect(() => checkReply("show ssl crt-list", read("operator-ssl-show-crt-list.txt"))).toThrow(
      /Permission denied/,
    );
  });
});

describe("OpenSSL dates", () => {
  it("reads ASN1_TIME_print's form, single-digit days padded with a space", () => {
    expect(parseOpensslDate("Jan  1 00:00:00 2026 GMT")).toBe(Date.UTC(2026, 0, 1));
    expect(parseOpensslDate("Dec 31 23:59:59 2049 GMT")).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
    expect(parseOpensslDate("Feb 29 12:00:00.123 2028 GMT")).toBe(Date.UTC(2028, 1, 29, 12));
    expect(parseOpensslDate("Jun 13 13:37:21 2024")).toBe(Date.UTC(2024, 5, 13, 13, 37, 21));
  });

  it("refuses anything else", () => {
    for (const bad of [
      "",
      "garbage",
      "Foo  1 00:00:00 2026 GMT",
      "Feb 30 00:00:00 2026 GMT",
      "Jan 1 25:00:00 2026 GMT",
      "2026-01-01",
    ])
      expect(parseOpensslDate(bad), bad).toBeNull();
  });
});

describe("hostile and odd input", () => {
  it("SANs: DNS names only, empty items of other types skipped", () => {
    expect(parseSans("DNS:a.test, , DNS:b.test")).toEqual(["a.test", "b.test"]);
    expect(parseSans("")).toEqual([]);
  });

  it("a DN value holding a '/' stays whole; the last CN wins", () => {
    expect(dnCommonName("/C=FR/O=a/b corp/CN=x.test")).toBe("x.test");
    expect(dnCommonName("/CN=a/b/CN=c")).toBe("c");
    expect(dnCommonName("/CN=a/b")).toBe("a/b");
    expect(dnCommonName("/O=only")).toBeNull();
  });

  it("a list with garbage is refused, not half-read", () => {
    expect(() => parseSslCertList("\u001b[2Jhello\n")).toThrow(/not a certificate list/);
    expect(parseSslCertList("")).toEqual({ certs: [], transactions: [] });
  });

  it("details: a block that names a certificate not asked is ignored; missing ones get their reply", () => {
    const a =
      "Filename: /a.pem\nStatus: Used\nnotAfter: Jan  1 00:00:00 2026 GMT\nSubject: /CN=\u001b]0;pwned\u0007\n";
    const forged = "Filename: /other.pem\nStatus: Used\n";
    const out = parseSslCertDetails(["/a.pem", "/b.pem"], [a, `${forged}`]);
    expect(out.byName.get("/a.pem")?.cn).toBe("\u001b]0;pwned\u0007");
    expect(out.byName.has("/other.pem")).toBe(false);
    expect(out.errors.get("/b.pem")).toBe("details not found in the reply");
  });

  it("details: an empty line inside one reply does not shift the others onto the wrong name", () => {
    // As the request split cuts it: the first reply ends at its inner empty line, the rest goes on.
    const raw = "Filename: /a.pem\nStatus: Used\n\nOCSP dump line\n\nFilename: /b.pem\nStatus: Unused\n\n";
    const replies = splitReplies(raw, 2, unix);
    const out = parseSslCertDetails(["/a.pem", "/b.pem"], replies);
    expect(out.byName.get("/a.pem")?.status).toBe("Used");
    expect(out.byName.get("/b.pem")?.status).toBe("Unused");
  });

  it("sni: short lines skipped, a reply of another shape refused", () => {
    expect(parseSslSni("# Frontend/Bind\tSNI\n\tonly\n")).toEqual([]);
    expect(() => parseSslSni("Unknown command\n")).toThrow(/not a show ssl sni/);
  });
});

describe("any input", () => {
  const text = fc.string({ unit: "binary", maxLength: 300 });
  const lines = fc
    .array(
      fc.oneof(text, fc.constantFrom("# filename", "# transaction", "Filename: /a.pem", "notAfter: ", "\t")),
      { maxLength: 12 },
    )
    .map((l) => l.join("\n"));

  it("every parser returns or throws an Error, and dates are numbers or null", () => {
    fc.assert(
      fc.property(lines, (input) => {
        for (const parse of [
          parseSslCertList,
          parseSslCertDetail,
          parseSslSni,
          parseCrtLists,
          parseCrtListEntries,
        ]) {
          try {
            parse(input);
          } catch (e) {
            expect(e).toBeInstanceOf(Error);
          }
        }
        const d = parseOpensslDate(input);
        expect(d === null || Number.isFinite(d)).toBe(true);
        const out = parseSslCertDetails(["/a.pem", "/b.pem"], [input, input]);
        for (const name of out.byName.keys()) expect(["/a.pem", "/b.pem"]).toContain(name);
        expect(out.byName.size + out.errors.size).toBe(2);
      }),
      { numRuns: 300 },
    );
  });
});
