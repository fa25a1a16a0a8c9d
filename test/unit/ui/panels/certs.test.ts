/**
 * The certificates panel (src/ui/panels/certs.ts): rows sorted by expiry, tones at 29/31 days and
 * once expired, days counted from the poll's time (never the clock), what it asks HAProxy for and
 * which names it refuses to send, and the detail lines.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SslCertDetail, SslCertDetails } from "../../../../src/parse/sslcert.js";
import { parseSslCertDetail } from "../../../../src/parse/sslcert.js";
import type { ExtraQuery, ExtraResult } from "../../../../src/store/extras.js";
import { initialState, type MonitorState } from "../../../../src/store/state.js";
import { CERT_DEFAULT_SORT, certColumns, certsPanel } from "../../../../src/ui/panels/certs.js";
import {
  CERT_LIST_QUERY,
  CERT_WHERE_QUERY,
  type CertWhere,
  certNameProblem,
  chunkNames,
  MAX_CHUNK_CHARS,
} from "../../../../src/ui/panels/certsQueries.js";
import { type CertRow, DAY_MS, daysText, expiryTone } from "../../../../src/ui/panels/certsRows.js";
import type { PanelContext } from "../../../../src/ui/panels/types.js";
import { compileFilter, MATCH_ALL } from "../../../../src/ui/views/filter.js";

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const LAYOUT = { width: 200, bodyHeight: 30, showCapture: false };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** OpenSSL's form of a date. */
function openssl(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

function detail(
  name: string,
  notAfter: number | null,
  subject = `/CN=${name.replace(/^.*\//, "")}`,
): SslCertDetail {
  return parseSslCertDetail(
    [
      `Filename: ${name}`,
      "Status: Used",
      "Serial: 0B",
      "notBefore: Jan  1 00:00:00 2020 GMT",
      `notAfter: ${notAfter === null ? "garbage" : openssl(notAfter)}`,
      "Subject Alternative Name: DNS:a.test, DNS:b.test, DNS:c.test",
      "Algorithm: EC256",
      "SHA1 FingerPrint: 00",
      `Subject: ${subject}`,
      "Issuer: /C=US/O=Let's Encrypt/CN=R11",
      "",
    ].join("\n"),
  );
}

function result<T>(value: T, at = NOW): ExtraResult<T> {
  return { value, error: null, at };
}

/** A state whose extras answer every query the panel asks, from `certs` (name → notAfter). */
function stateWith(
  certs: Record<string, number | null>,
  opts: { where?: CertWhere; at?: number } = {},
): MonitorState {
  let state: MonitorState = { ...initialState("test", 1000) };
  const names = Object.keys(certs);
  const extras: Record<string, ExtraResult> = {
    [CERT_LIST_QUERY.key]: result({ certs: names, transactions: [] }, opts.at ?? NOW),
  };
  if (opts.where) extras[CERT_WHERE_QUERY.key] = result(opts.where, opts.at ?? NOW);
  state = { ...state, extras };
  for (const q of certsPanel.queries({ state, drill: null })) {
    if (!q.key.startsWith("certs:details:")) continue;
    const value: SslCertDetails = { byName: new Map(), errors: new Map() };
    for (const c of q.commands) {
      const name = c.slice("show ssl cert ".length);
      value.byName.set(name, detail(name, certs[name] ?? null));
    }
    extras[q.key] = result(value, opts.at ?? NOW);
  }
  return { ...state, extras: { ...extras } };
}

const ctx = (state: MonitorState): PanelContext => ({ state, drill: null });
const names = (rows: CertRow[]) => rows.map((r) => r.name);
const cell = (row: CertRow, id: string) => certColumns.find((c) => c.id === id)!.cell(row);

afterEach(() => vi.useRealTimers());

describe("expiry", () => {
  it("tones: bad once expired, warn within 30 days (29 days), none at 31 days, dim undated", () => {
    expect(expiryTone(-1)).toBe("bad");
    expect(expiryTone(0)).toBe("bad");
    expect(expiryTone(29 * DAY_MS)).toBe("warn");
    expect(expiryTone(30 * DAY_MS - 1)).toBe("warn");
    expect(expiryTone(31 * DAY_MS)).toBe("none");
    expect(expiryTone(null)).toBe("dim");
  });

  it("days left: whole days, 'today' under one, how long ago once expired", () => {
    expect(daysText({ remainingMs: 29.9 * DAY_MS })).toBe("29d");
    expect(daysText({ remainingMs: 3600_000 })).toBe("today");
    expect(daysText({ remainingMs: -5.5 * DAY_MS })).toBe("expired 5d");
    expect(daysText({ remainingMs: null })).toBe("-");
  });

  it("rows of certificates at 31 days, expired, 29 days and undated: expired first, undated last, toned", () => {
    const state = stateWith({
      "/c/late.pem": NOW + 31 * DAY_MS,
      "/c/undated.pem": null,
      "/c/gone.pem": NOW - 2 * DAY_MS,
      "/c/soon.pem": NOW + 29 * DAY_MS,
    });
    const built = certsPanel.build(ctx(state), MATCH_ALL, null);
    expect(built.defaultSort).toEqual(CERT_DEFAULT_SORT);
    expect(names(built.rows)).toEqual(["/c/gone.pem", "/c/soon.pem", "/c/late.pem", "/c/undated.pem"]);
    expect(built.rows.map((r) => cell(r, "days").tone)).toEqual(["bad", "warn", "none", "dim"]);
    expect(built.rows.map((r) => cell(r, "name").tone)).toEqual(["bad", "warn", "none", "dim"]);
    expect(built.rows.map((r) => cell(r, "days").text)).toEqual(["expired 2d", "29d", "31d", "-"]);
    expect(cell(built.rows[0]!, "not_after").text).toBe("2026-11-28");
    expect(built.tabExtra).toBe("1 expired · 1 <30d · 4 certs");
  });

  it("counts from the poll's time, never the clock: the same state gives the same rows", () => {
    const state = stateWith({ "/c/x.pem": NOW + 10 * DAY_MS });
    vi.useFakeTimers();
    vi.setSystemTime(NOW + 100 * DAY_MS);
    const a = certsPanel.build(ctx(state), MATCH_ALL, null).rows;
    vi.setSystemTime(NOW - 100 * DAY_MS);
    const b = certsPanel.build(ctx(state), MATCH_ALL, null).rows;
    expect(a).toEqual(b);
    expect(cell(a[0]!, "days").text).toBe("10d");
    // The snapshot's time wins over the list's fetch time.
    const withSnap = { ...state, snapshot: { takenAt: NOW + 5 * DAY_MS } } as unknown as MonitorState;
    expect(cell(certsPanel.build(ctx(withSnap), MATCH_ALL, null).rows[0]!, "days").text).toBe("5d");
  });

  it("the operator's sort wins; the filter reads names, CNs and SANs", () => {
    const state = stateWith({ "/c/a.pem": NOW + 50 * DAY_MS, "/c/b.pem": NOW + 5 * DAY_MS });
    expect(
      names(certsPanel.build(ctx(state), MATCH_ALL, { columnId: "name", descending: true }).rows),
    ).toEqual(["/c/b.pem", "/c/a.pem"]);
    expect(names(certsPanel.build(ctx(state), compileFilter("a.pem"), null).rows)).toEqual(["/c/a.pem"]);
    expect(certsPanel.build(ctx(state), compileFilter("b.test"), null).rows).toHaveLength(2);
  });

  it("cells: CN, SANs shortened, issuer's CN, self-signed", () => {
    const state = stateWith({ "/c/a.pem": NOW + 50 * DAY_MS });
    const row = certsPanel.build(ctx(state), MATCH_ALL, null).rows[0]!;
    expect(cell(row, "cn").text).toBe("a.pem");
    expect(cell(row, "sans").text).toBe("a.test +2");
    expect(cell(row, "issuer").text).toBe("R11");
  });
});

describe("queries", () => {
  const commandsOf = (qs: ExtraQuery[]) => qs.flatMap((q) => q.commands);

  it("first the list (every poll) and where certificates are used (every minute)", () => {
    const qs = certsPanel.queries(ctx(initialState("t", 1000)));
    expect(qs.map((q) => q.key)).toEqual(["certs:list", "certs:where"]);
    expect(qs[0]!.everyMs).toBeUndefined();
    expect(qs[1]!.everyMs).toBe(60_000);
    expect(commandsOf(qs)).toEqual(["show ssl cert", "show ssl crt-list", "show ssl sni"]);
  });

  it("then the details of every certificate, every minute; a new certificate makes a new query", () => {
    const s1 = stateWith({ "/c/a.pem": NOW });
    const q1 = certsPanel.queries(ctx(s1)).filter((q) => q.key.startsWith("certs:details:"));
    expect(q1).toHaveLength(1);
    expect(q1[0]!.commands).toEqual(["show ssl cert /c/a.pem"]);
    expect(q1[0]!.everyMs).toBe(60_000);
    const s2 = stateWith({ "/c/a.pem": NOW, "/c/b.pem": NOW });
    const q2 = certsPanel.queries(ctx(s2)).filter((q) => q.key.startsWith("certs:details:"));
    expect(q2[0]!.key).not.toBe(q1[0]!.key);
  });

  it("names that would change the command are never sent; the view says so", () => {
    for (const bad of [
      "a b.pem",
      "a;show.pem",
      "a\u001b.pem",
      "a\n.pem",
      "*tx.pem",
      "a\\b",
      "c.pem.ocsp",
      "",
    ])
      expect(certNameProblem(bad), JSON.stringify(bad)).not.toBeNull();
    expect(certNameProblem("/etc/haproxy/certs/example.com.pem")).toBeNull();
    let state = stateWith({ "/c/ok.pem": NOW });
    const list = {
      certs: ["/c/ok.pem", "/c/evil;shutdown sessions.pem", "/c/\u001b[2J.pem"],
      transactions: [],
    };
    state = { ...state, extras: { ...state.extras, [CERT_LIST_QUERY.key]: result(list) } };
    const sent = commandsOf(certsPanel.queries(ctx(state)));
    expect(sent).toContain("show ssl cert /c/ok.pem");
    expect(sent.join("\n")).not.toMatch(/evil|\u001b/);
    const built = certsPanel.build(ctx(state), MATCH_ALL, null);
    expect(built.note).toMatch(/2 certificate name\(s\) not sent to HAProxy/);
    const evil = built.rows.find((r) => r.name.includes("evil"))!;
    expect(certsPanel.detail!(evil, LAYOUT, ctx(state))[0]).toMatch(/not asked: the name holds/);
  });

  it("chunks: at most 40 names and 4000 characters per request", () => {
    const many = Array.from({ length: 100 }, (_, i) => `/etc/haproxy/certs/${"x".repeat(100)}-${i}.pem`);
    const chunks = chunkNames(many, "show ssl cert ;");
    expect(chunks.flat()).toEqual(many);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(40);
      expect(c.map((n) => `show ssl cert ${n}`).join(";").length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
    }
  });

  it("before 3.2 (no show ssl sni) the crt-lists' contents are asked, and shown with the reason", () => {
    const where: CertWhere = {
      lists: ["/c", "/etc/list.txt"],
      listsError: null,
      sni: null,
      sniError: "not in this release (3.2+)",
    };
    const state = stateWith({ "/c/a.pem": NOW + 40 * DAY_MS }, { where });
    const qs = certsPanel.queries(ctx(state));
    const contents = qs.find((q) => q.key.startsWith("certs:crt-lists:"))!;
    expect(contents.commands).toEqual(["show ssl crt-list /c", "show ssl crt-list /etc/list.txt"]);
    const extras = {
      ...state.extras,
      [contents.key]: result(
        new Map([
          ["/c", ["/c/a.pem"]],
          ["/etc/list.txt", []],
        ]),
      ),
    };
    const s = { ...state, extras };
    const row = certsPanel.build(ctx(s), MATCH_ALL, null).rows[0]!;
    const lines = certsPanel.detail!(row, LAYOUT, ctx(s));
    expect(lines.join("\n")).toMatch(/in \/c · frontends: HAProxy before 3\.2 does not tell/);
  });
});

describe("detail", () => {
  it("full subject, issuer, serial, SANs and the frontends (3.2's show ssl sni)", () => {
    const where: CertWhere = {
      lists: [],
      listsError: null,
      sni: [
        {
          frontend: "fe_a",
          bind: "h.cfg:3",
          sni: "a.test",
          type: "ecdsa",
          filename: "/c/a.pem",
          notAfter: "",
        },
        { frontend: "fe_b", bind: "h.cfg:9", sni: "*", type: "ecdsa", filename: "/c/a.pem", notAfter: "" },
      ],
      sniError: null,
    };
    const state = stateWith({ "/c/a.pem": NOW + 40 * DAY_MS }, { where });
    const row = certsPanel.build(ctx(state), MATCH_ALL, null).rows[0]!;
    expect(certsPanel.selection(row, ctx(state))).toEqual({ kind: "cert", cert: "/c/a.pem" });
    const lines = certsPanel.detail!(row, LAYOUT, ctx(state));
    expect(lines[1]).toBe("subject /CN=a.pem · issuer /C=US/O=Let's Encrypt/CN=R11 · serial 0B · EC256");
    expect(lines[2]).toBe("SANs: a.test, b.test, c.test");
    expect(lines[3]).toBe("frontends: fe_a, fe_b");
  });

  it("a refused list is the view's error, in HAProxy's words made plain", () => {
    const state = {
      ...initialState("t", 1000),
      extras: {
        [CERT_LIST_QUERY.key]: { value: null, error: "show ssl cert needs operator level", at: NOW },
      },
    };
    const built = certsPanel.build(ctx(state), MATCH_ALL, null);
    expect(built.rows).toEqual([]);
    expect(built.emptyText).toBe("show ssl cert needs operator level");
    expect(built.noteTone).toBe("bad");
  });

  it("the list query turns HAProxy's user-level answer into the level it needs", () => {
    expect(() => CERT_LIST_QUERY.parse(["Can't allocate memory!\n"])).toThrow(/needs operator level/);
  });
});

it("a HAProxy without show ssl cert (no SSL) is told in plain words", () => {
  expect(() =>
    CERT_LIST_QUERY.parse(["Unknown command, but maybe one of the following ones is a better match:\n"]),
  ).toThrow(/has no show ssl cert/);
});
