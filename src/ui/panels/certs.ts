/**
 * View 8, certificates (issue 13 point 4): every certificate HAProxy holds (`show ssl cert`) with
 * its subject CN, SANs, issuer and notAfter, soonest expiry first; warn when it expires within 30
 * days, bad once expired. The selected one's full subject, SANs, issuer, serial and where it is
 * used are under the table: the frontends on HAProxy 3.2+ (`show ssl sni`), the crt-lists and
 * `crt` directories holding it on older releases (HAProxy does not say which frontend uses those).
 */
import type { SslCertDetails, SslCertList } from "../../parse/sslcert.js";
import { readExtra } from "../../store/extras.js";
import { sanitize } from "../../text/sanitize.js";
import type { Column, SortState } from "../table/types.js";
import { sortRows } from "../views/sort.js";
import {
  CERT_LIST_QUERY,
  CERT_WHERE_QUERY,
  type CertWhere,
  type CrtListContents,
  certDetailsQuery,
  certNameProblem,
  chunkNames,
  crtListContentsQuery,
  MAX_DETAIL_CHUNKS,
  MAX_LISTS,
} from "./certsQueries.js";
import {
  type CertInputs,
  type CertRow,
  certRows,
  daysLeft,
  daysText,
  expiryTone,
  isoDay,
  issuerShort,
  sansShort,
} from "./certsRows.js";
import type { Panel, PanelContext } from "./types.js";

const tone = (row: CertRow) => expiryTone(row.remainingMs);

export const certColumns: Column<CertRow>[] = [
  {
    id: "name",
    title: "CERTIFICATE",
    width: 12,
    grow: true,
    priority: 0,
    // `*`: an uncommitted `set ssl cert` transaction is open on it (HAProxy's own marker).
    cell: (row) => ({ text: `${row.transaction ? "*" : ""}${row.name}`, tone: tone(row) }),
    sortValue: (row) => row.name,
  },
  {
    id: "cn",
    title: "SUBJECT CN",
    width: 16,
    priority: 1,
    cell: (row) => ({ text: row.detail?.cn ?? (row.detail ? "-" : "…"), tone: row.detail ? "none" : "dim" }),
    sortValue: (row) => row.detail?.cn ?? null,
  },
  {
    id: "sans",
    title: "SANS",
    width: 18,
    priority: 3,
    cell: (row) => ({
      text: row.detail ? sansShort(row.detail.sans) : "…",
      tone: row.detail ? "none" : "dim",
    }),
    sortValue: (row) => row.detail?.sans[0] ?? null,
  },
  {
    id: "issuer",
    title: "ISSUER",
    width: 14,
    priority: 2,
    cell: (row) => ({ text: row.detail ? issuerShort(row.detail) : "…", tone: "dim" }),
    sortValue: (row) => (row.detail ? issuerShort(row.detail) : null),
  },
  {
    id: "not_after",
    title: "NOT AFTER",
    width: 10,
    priority: 0,
    cell: (row) => ({
      text: row.detail?.notAfterMs != null ? isoDay(row.detail.notAfterMs) : (row.detail?.notAfter ?? "…"),
      tone: tone(row),
    }),
    sortValue: (row) => row.remainingMs,
  },
  {
    id: "days",
    title: "DAYS LEFT",
    width: 11,
    align: "right",
    priority: 0,
    cell: (row) => ({ text: daysText(row), tone: tone(row) }),
    sortValue: (row) => daysLeft(row),
  },
  {
    id: "status",
    title: "STATUS",
    width: 6,
    priority: 4,
    cell: (row) => ({ text: row.detail?.status ?? "", tone: row.detail?.status === "Used" ? "none" : "dim" }),
    sortValue: (row) => row.detail?.status ?? null,
  },
];

/** Soonest expiry first: expired, then expiring, then the rest; undated last. */
export const CERT_DEFAULT_SORT: SortState = { columnId: "not_after", descending: false };

/** The poll's time: what "days left" counts from (never the clock: build is pure). */
export function certNow(ctx: PanelContext): number | null {
  return ctx.state.snapshot?.takenAt ?? readExtra<SslCertList>(ctx.state.extras, CERT_LIST_QUERY)?.at ?? null;
}

/** Every name of the list split into the ones that may be sent and the ones refused (with why). */
function vetted(names: readonly string[]): { ok: string[]; refused: Map<string, string> } {
  const ok: string[] = [];
  const refused = new Map<string, string>();
  for (const n of names) {
    const why = certNameProblem(n);
    if (why === null) ok.push(n);
    else refused.set(n, why);
  }
  return { ok, refused };
}

interface Plan {
  list: SslCertList | null;
  refused: Map<string, string>;
  chunks: string[][];
  undetailed: Set<string>;
  lists: string[];
}

/** From what is known so far: which details and crt-lists to ask for. */
function plan(ctx: PanelContext): Plan {
  const list = readExtra<SslCertList>(ctx.state.extras, CERT_LIST_QUERY)?.value ?? null;
  const { ok, refused } = vetted(list?.certs ?? []);
  const all = chunkNames(ok, "show ssl cert ;");
  const chunks = all.slice(0, MAX_DETAIL_CHUNKS);
  const undetailed = new Set(all.slice(MAX_DETAIL_CHUNKS).flat());
  const where = readExtra<CertWhere>(ctx.state.extras, CERT_WHERE_QUERY)?.value;
  // Lists are read only while `show ssl sni` does not answer (before 3.2): it tells more.
  const lists = where && where.sni === null ? vetted(where.lists ?? []).ok.slice(0, MAX_LISTS) : [];
  return { list, refused, chunks, undetailed, lists };
}

function inputs(ctx: PanelContext, p: Plan): CertInputs {
  const extras = ctx.state.extras;
  return {
    list: readExtra<SslCertList>(extras, CERT_LIST_QUERY),
    details: p.chunks.map((c) => readExtra<SslCertDetails>(extras, certDetailsQuery(c))),
    where: readExtra<CertWhere>(extras, CERT_WHERE_QUERY),
    contents: p.lists.length > 0 ? readExtra<CrtListContents>(extras, crtListContentsQuery(p.lists)) : null,
    refused: p.refused,
    undetailed: p.undetailed,
  };
}

/** Where the selected certificate is used, as far as HAProxy says. */
function usedBy(row: CertRow, ctx: PanelContext): string {
  if (row.frontends !== null)
    return row.frontends.length > 0
      ? `frontends: ${row.frontends.join(", ")}`
      : "frontends: none (show ssl sni)";
  const where = readExtra<CertWhere>(ctx.state.extras, CERT_WHERE_QUERY)?.value;
  const lists =
    row.lists === null ? "" : `in ${row.lists.length > 0 ? row.lists.join(", ") : "no crt-list"} · `;
  const why = where?.listsError ? ` (crt-lists: ${where.listsError})` : "";
  return `${lists}frontends: HAProxy before 3.2 does not tell (no show ssl sni)${why}`;
}

export const certsPanel: Panel<CertRow> = {
  view: "certs",
  queries: (ctx) => {
    const p = plan(ctx);
    return [
      CERT_LIST_QUERY,
      CERT_WHERE_QUERY,
      ...p.chunks.map((c) => certDetailsQuery(c)),
      ...(p.lists.length > 0 ? [crtListContentsQuery(p.lists)] : []),
    ];
  },
  build: (ctx, filter, sort) => {
    const p = plan(ctx);
    const now = certNow(ctx);
    const listResult = readExtra<SslCertList>(ctx.state.extras, CERT_LIST_QUERY);
    const all = now === null ? [] : certRows(inputs(ctx, p), now);
    const rows = all.filter(
      (r) =>
        filter.match(r.name) ||
        (r.detail !== null && [r.detail.cn ?? "", ...r.detail.sans].some(filter.match)),
    );
    const s = sort ?? CERT_DEFAULT_SORT;
    const column = certColumns.find((c) => c.id === s.columnId);
    const expired = all.filter((r) => r.remainingMs !== null && r.remainingMs <= 0).length;
    const soon = all.filter((r) => expiryTone(r.remainingMs) === "warn").length;
    const notes: string[] = [];
    if (listResult?.error) notes.push(listResult.error);
    if (p.refused.size > 0)
      notes.push(
        `${p.refused.size} certificate name(s) not sent to HAProxy (${sanitize([...p.refused.values()][0]!)}): no details`,
      );
    if (p.undetailed.size > 0) notes.push(`details of the first ${all.length - p.undetailed.size} only`);
    return {
      columns: certColumns,
      rows: sortRows(rows, column, s.descending),
      defaultSort: CERT_DEFAULT_SORT,
      emptyText:
        listResult?.error ??
        (listResult ? "no certificate loaded (show ssl cert)" : "fetching show ssl cert…"),
      // What matters first, as the tab bar may cut the end: expired, expiring soon, then the count.
      tabExtra: listResult?.value
        ? [
            ...(expired > 0 ? [`${expired} expired`] : []),
            ...(soon > 0 ? [`${soon} <30d`] : []),
            `${all.length} cert${all.length === 1 ? "" : "s"}`,
          ].join(" · ")
        : "",
      note: notes.length > 0 ? notes.join(" · ") : null,
      noteTone: listResult?.error ? "bad" : notes.length > 0 ? "warn" : null,
    };
  },
  selection: (row) => (row ? { kind: "cert", cert: row.name } : { kind: null }),
  detail: (row, layout, ctx) => {
    if (!row || layout.bodyHeight < 8) return [];
    const d = row.detail;
    if (!d) return [`${row.name}: ${row.detailNote ?? "no details"}`];
    const lines = [
      `${row.name}${row.transaction ? " (uncommitted transaction open)" : ""} · ${d.status ?? "?"} · not after ${d.notAfter ?? "?"} · ${daysText(row)}`,
      `subject ${d.subject ?? "-"} · issuer ${d.issuer ?? "-"} · serial ${d.serial ?? "-"} · ${d.algorithm ?? "-"}`,
      `SANs: ${d.sans.length > 0 ? d.sans.join(", ") : "none"}`,
      usedBy(row, ctx),
    ];
    return layout.bodyHeight >= 14 ? lines : lines.slice(0, 2);
  },
};
