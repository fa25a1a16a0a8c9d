import { num, type ProxyEntry, type Snapshot, str } from "../model/snapshot.js";
import { statusTone } from "../model/status.js";
import { bytes, compact, ofLimit } from "../text/format.js";
import { fit as fitText, sanitize } from "../text/sanitize.js";

interface Column {
  title: string;
  align?: "left" | "right";
  cell: (e: ProxyEntry) => string;
}

const n = (field: string) => (e: ProxyEntry) => compact(num(e.stats, field));
const b = (field: string) => (e: ProxyEntry) => bytes(num(e.stats, field));
const sessions = (e: ProxyEntry) => ofLimit(num(e.stats, "scur"), num(e.stats, "slim"));

const FRONTEND_COLUMNS: Column[] = [
  { title: "STATUS", cell: (e) => e.status },
  { title: "SESS", align: "right", cell: sessions },
  { title: "SMAX", align: "right", cell: n("smax") },
  { title: "RATE", align: "right", cell: n("rate") },
  { title: "REQ/S", align: "right", cell: n("req_rate") },
  { title: "STOT", align: "right", cell: n("stot") },
  { title: "REQS", align: "right", cell: n("req_tot") },
  { title: "BIN", align: "right", cell: b("bin") },
  { title: "BOUT", align: "right", cell: b("bout") },
  { title: "DREQ", align: "right", cell: n("dreq") },
  { title: "EREQ", align: "right", cell: n("ereq") },
  { title: "4XX", align: "right", cell: n("hrsp_4xx") },
  { title: "5XX", align: "right", cell: n("hrsp_5xx") },
];

const BACKEND_COLUMNS: Column[] = [
  { title: "STATUS", cell: (e) => e.status },
  { title: "CHECK", cell: (e) => str(e.stats, "check_status") },
  { title: "WEIGHT", align: "right", cell: n("weight") },
  {
    title: "ACT/BCK",
    align: "right",
    cell: (e) => `${num(e.stats, "act") ?? "-"}/${num(e.stats, "bck") ?? "-"}`,
  },
  { title: "QCUR", align: "right", cell: n("qcur") },
  { title: "SESS", align: "right", cell: sessions },
  { title: "RATE", align: "right", cell: n("rate") },
  { title: "STOT", align: "right", cell: n("stot") },
  { title: "BIN", align: "right", cell: b("bin") },
  { title: "BOUT", align: "right", cell: b("bout") },
  { title: "ECON", align: "right", cell: n("econ") },
  { title: "ERESP", align: "right", cell: n("eresp") },
  { title: "5XX", align: "right", cell: n("hrsp_5xx") },
];

const ANSI = { reset: "\x1b[0m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", bold: "\x1b[1m" };

interface Row {
  name: string;
  cells: string[];
  status: string;
}

function table(title: string, columns: Column[], rows: Row[], color: boolean): string[] {
  const headers = [title, ...columns.map((c) => c.title)];
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => [...(i === 0 ? r.name : (r.cells[i - 1] ?? ""))].length)),
  );
  const line = (cells: string[], status?: string) =>
    cells
      .map((c, i) => {
        const text = fitText(c, widths[i]!, i === 0 ? "left" : (columns[i - 1]?.align ?? "left"));
        if (!color || i !== 1 || status === undefined) return text;
        const tone = statusTone(status);
        const code =
          tone === "good" ? ANSI.green : tone === "bad" ? ANSI.red : tone === "warn" ? ANSI.yellow : "";
        return code ? code + text + ANSI.reset : text;
      })
      .join("  ")
      .trimEnd();
  const head = line(headers);
  return [
    color ? ANSI.bold + head + ANSI.reset : head,
    ...rows.map((r) => line([r.name, ...r.cells], r.status)),
  ];
}

const toRow = (e: ProxyEntry, columns: Column[], indent = ""): Row => ({
  name: indent + sanitize(e.name),
  cells: columns.map((c) => sanitize(c.cell(e))),
  status: e.status,
});

/** The header line: version, pid, node, uptime, connections against maxconn. Every value escaped. */
export function headerLine(target: string, s: Snapshot): string {
  const i = s.info;
  const parts = [
    `HAProxy ${str(i, "Version")}`,
    `pid ${str(i, "Pid")}`,
    `node ${str(i, "node")}`,
    `uptime ${str(i, "Uptime")}`,
    `conns ${ofLimit(num(i, "CurrConns"), num(i, "Maxconn"))}`,
  ];
  if (s.level) parts.push(`level ${s.level}`);
  parts.push(`target ${target}`);
  return parts.map(sanitize).join("  ");
}

/** One snapshot as aligned plain-text tables, like `top -b`. */
export function snapshotToText(target: string, s: Snapshot, color: boolean): string {
  const fe = s.frontends.map((e) => toRow(e, FRONTEND_COLUMNS));
  const be = s.backends.flatMap((bk) => [
    toRow(bk, BACKEND_COLUMNS),
    ...bk.servers.map((sv) => toRow(sv, BACKEND_COLUMNS, "  ")),
  ]);
  return [
    headerLine(target, s),
    "",
    ...table("FRONTEND", FRONTEND_COLUMNS, fe, color),
    "",
    ...table("BACKEND/SERVER", BACKEND_COLUMNS, be, color),
    "",
  ].join("\n");
}
