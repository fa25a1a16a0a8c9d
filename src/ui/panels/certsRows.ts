/**
 * The certificates view's rows: one per certificate of `show ssl cert`, with its details (dates,
 * subject, SANs) and where it is used, and the expiry tones. Pure: "now" is the poll's time, passed
 * in, never read from the clock, so the same state always gives the same rows.
 */
import {
  frontendsByCert,
  type SslCertDetail,
  type SslCertDetails,
  type SslCertList,
} from "../../parse/sslcert.js";
import type { ExtraResult } from "../../store/extras.js";
import type { Tone } from "../table/types.js";
import type { CertWhere, CrtListContents } from "./certsQueries.js";

export const DAY_MS = 86_400_000;
/** A certificate is flagged (warn) when it expires within this many days. */
export const WARN_DAYS = 30;

/** One certificate of the view. */
export interface CertRow {
  /** `cert:<name>`. */
  key: string;
  /** The name HAProxy lists (a file path or a crt-store alias). Untrusted text. */
  name: string;
  detail: SslCertDetail | null;
  /** Why there are no details: HAProxy's refusal, a name refused by haptop, or still fetching. */
  detailNote: string | null;
  /** An uncommitted `set ssl cert` transaction exists for this name. */
  transaction: boolean;
  /** The frontends serving it (`show ssl sni`, 3.2+), or null when HAProxy does not say. */
  frontends: string[] | null;
  /** The crt-lists and `crt` directories that hold it (`show ssl crt-list <list>`), or null when unknown. */
  lists: string[] | null;
  /** ms until notAfter from the poll's time (negative once expired), or null without a date. */
  remainingMs: number | null;
}

/** Whole days left (rounded down: 29.9 days is 29), negative once expired; null without a date. */
export function daysLeft(row: Pick<CertRow, "remainingMs">): number | null {
  return row.remainingMs === null ? null : Math.floor(row.remainingMs / DAY_MS);
}

/** Expired: bad; expiring within WARN_DAYS days: warn; else none (no date: dim). */
export function expiryTone(remainingMs: number | null): Tone {
  if (remainingMs === null) return "dim";
  if (remainingMs <= 0) return "bad";
  if (remainingMs < WARN_DAYS * DAY_MS) return "warn";
  return "none";
}

/** `2026-01-01` for a notAfter (UTC: certificates are dated in GMT). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The days-left cell: `12d`, `today` (under a day), `expired 3d` (3 days ago), `-` without a date. */
export function daysText(row: Pick<CertRow, "remainingMs">): string {
  const d = daysLeft(row);
  if (d === null || row.remainingMs === null) return "-";
  if (row.remainingMs <= 0) return `expired ${Math.floor(-row.remainingMs / DAY_MS)}d`;
  return d === 0 ? "today" : `${d}d`;
}

/** The SANs shortened: the first, then `+N` for the others. */
export function sansShort(sans: readonly string[]): string {
  if (sans.length === 0) return "-";
  return sans.length === 1 ? sans[0]! : `${sans[0]} +${sans.length - 1}`;
}

/** The issuer's CN, or `self-signed` when the issuer is the subject. */
export function issuerShort(detail: SslCertDetail): string {
  if (detail.issuer === null) return "-";
  if (detail.subject !== null && detail.issuer === detail.subject) return "self-signed";
  const cn = /\/CN=([^/]*)/.exec(detail.issuer);
  return cn ? cn[1]! : detail.issuer;
}

/** What the view has fetched so far, from the extras. */
export interface CertInputs {
  list: ExtraResult<SslCertList> | null;
  details: (ExtraResult<SslCertDetails> | null)[];
  where: ExtraResult<CertWhere> | null;
  contents: ExtraResult<CrtListContents> | null;
  /** Names shown but never sent (see certNameProblem), with the reason. */
  refused: Map<string, string>;
  /** Names beyond the detail chunks fetched (a very large list). */
  undetailed: Set<string>;
}

/** The rows, in HAProxy's order; `now` is the poll's time (ms epoch). */
export function certRows(inputs: CertInputs, now: number): CertRow[] {
  const list = inputs.list?.value;
  if (!list) return [];
  const byName = new Map<string, SslCertDetail>();
  const errors = new Map<string, string>();
  for (const d of inputs.details) {
    for (const [name, detail] of d?.value?.byName ?? []) byName.set(name, detail);
    for (const [name, why] of d?.value?.errors ?? []) errors.set(name, why);
  }
  const sni = inputs.where?.value?.sni ?? null;
  const frontends = frontendsByCert(sni ?? []);
  const contents = inputs.contents?.value ?? null;
  const transactions = new Set(list.transactions);
  return list.certs.map((name) => {
    const detail = byName.get(name) ?? null;
    const notAfter = detail?.notAfterMs ?? null;
    const refused = inputs.refused.get(name);
    return {
      key: `cert:${name}`,
      name,
      detail,
      detailNote: detail
        ? null
        : refused !== undefined
          ? `not asked: the name holds ${refused}`
          : inputs.undetailed.has(name)
            ? "not asked: too many certificates"
            : (errors.get(name) ?? "fetching details…"),
      transaction: transactions.has(name),
      frontends: sni === null ? null : (frontends.get(name) ?? []),
      lists:
        contents === null ? null : [...contents].filter(([, certs]) => certs.includes(name)).map(([l]) => l),
      remainingMs: notAfter === null ? null : notAfter - now,
    };
  });
}
