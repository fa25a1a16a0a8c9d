import { runSliced, runToEnd, type Steps } from "./slices.js";
import { splitLines } from "./values.js";

/** One captured protocol error from `show errors`. */
export interface ErrorEvent {
  /** Date of the capture as printed, without brackets, e.g. "24/Nov/2026:03:34:27.077". */
  time: string;
  /** Which side of the proxy caught the error: frontend → request, backend → response. */
  proxyKind: "frontend" | "backend";
  proxy: string;
  proxyId: number | null;
  /** The text after the colon, e.g. "invalid request". */
  reason: string;
  direction: "request" | "response";
  /** Backend name (the proxy itself for a response error), null for "<NONE>" or unknown. */
  backend: string | null;
  /** Server name, null for "<NONE>" or unknown. */
  server: string | null;
  /** Event number ("event #N"), a global counter, null when absent. */
  eventNo: number | null;
  /** Client address ("src A"), null when absent. */
  source: string | null;
  /** Byte offset of the offending character ("error at position N"), null when absent. */
  position: number | null;
  /** Every descriptive line of the event (trimmed), including ones this parser does not know. */
  details: string[];
  /**
   * The captured bytes, still escaped as HAProxy prints them (\x01, \r, \n, \\): one line per input
   * line, with "+" continuation lines joined back onto their line, joined with "\n".
   */
  capture: string;
  /** Frontend name (the proxy itself for a request error), null for "<NONE>" or unknown. */
  frontend: string | null;
  frontendId: number | null;
  backendId: number | null;
  serverId: number | null;
  /** Internal session number, only printed by old versions ("session #N"). */
  sessionNo: number | null;
  /** The capture split into its input lines (continuations joined), without the offset column. */
  captureLines: string[];
  /** Offset in the buffer of the first captured byte, null without capture. */
  captureOffset: number | null;
}

/** The whole `show errors` reply. */
export interface ErrorsReport {
  /** Date of the dump as printed in "Total events captured on [date] : N", without brackets. */
  capturedAt: string | null;
  /** N from the "Total events captured" line (a counter of all errors ever captured, not of those listed). */
  total: number;
  events: ErrorEvent[];
  /** Non-blank lines found outside any event and not understood. */
  unknown: string[];
}

const TOTAL_LINE = /^\s*Total events captured on \[([^\]]*)\]\s*:\s*(\d+)/;
const EVENT_LINE = /^(?:>>>\s*)?\[([^\]]+)\]\s+(frontend|backend)\s+(\S+)\s+\(#(-?\d+)\)\s*:\s*(.*?)\s*$/;
const CAPTURE_LINE = /^\s*(\d{5,})([ +]) ?(.*)$/;

function nameOrNull(name: string | undefined): string | null {
  if (name === undefined || name === "" || name.toUpperCase() === "<NONE>") return null;
  return name;
}

function idOrNull(id: string | undefined): number | null {
  if (id === undefined) return null;
  const n = Number(id);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

function firstMatch(lines: string[], re: RegExp): RegExpExecArray | null {
  for (const line of lines) {
    const m = re.exec(line);
    if (m) return m;
  }
  return null;
}

function newEvent(m: RegExpExecArray): ErrorEvent {
  const proxyKind = m[2] === "backend" ? "backend" : "frontend";
  const proxy = m[3]!;
  const proxyId = idOrNull(m[4]);
  return {
    time: m[1]!,
    proxyKind,
    proxy,
    proxyId,
    reason: m[5]!,
    direction: proxyKind === "backend" ? "response" : "request",
    backend: proxyKind === "backend" ? proxy : null,
    server: null,
    eventNo: null,
    source: null,
    position: null,
    details: [],
    capture: "",
    frontend: proxyKind === "frontend" ? proxy : null,
    frontendId: proxyKind === "frontend" ? proxyId : null,
    backendId: proxyKind === "backend" ? proxyId : null,
    serverId: null,
    sessionNo: null,
    captureLines: [],
    captureOffset: null,
  };
}

/** Fills the fields that come from the descriptive lines (other side, server, event, src...). */
function finishEvent(ev: ErrorEvent): void {
  const other = ev.proxyKind === "frontend" ? "backend" : "frontend";
  const otherMatch = firstMatch(ev.details, new RegExp(`(?:^|[\\s,])${other}\\s+(\\S+)\\s+\\(#(-?\\d+)\\)`));
  if (otherMatch) {
    const name = nameOrNull(otherMatch[1]);
    const id = name === null ? null : idOrNull(otherMatch[2]);
    if (other === "backend") {
      ev.backend = name;
      ev.backendId = id;
    } else {
      ev.frontend = name;
      ev.frontendId = id;
    }
  }
  const srv = firstMatch(ev.details, /(?:^|[\s,])server\s+(\S+)\s+\(#(-?\d+)\)/);
  if (srv) {
    ev.server = nameOrNull(srv[1]);
    ev.serverId = ev.server === null ? null : idOrNull(srv[2]);
  }
  const eventNo = firstMatch(ev.details, /(?:^|[\s,])event\s+#(\d+)/);
  if (eventNo) ev.eventNo = Number(eventNo[1]);
  const src = firstMatch(ev.details, /(?:^|[\s,])src\s+([^,\s]+)/);
  if (src) ev.source = src[1]!;
  const session = firstMatch(ev.details, /(?:^|[\s,])session\s+#(\d+)/);
  if (session) ev.sessionNo = Number(session[1]);
  const pos = firstMatch(ev.details, /error at position\s+(\d+)/);
  if (pos) ev.position = Number(pos[1]);
  ev.capture = ev.captureLines.join("\n");
}

/**
 * Parses a `show errors` reply (any version from 1.4 to 2.x) into its events. Never throws: lines it
 * does not understand are kept in the event's `details` or in the report's `unknown`.
 */
export function parseErrors(text: string): ErrorsReport {
  return runToEnd(errorsSteps(text));
}

/** parseErrors in slices, so the event loop keeps turning on a long reply. */
export function parseErrorsSliced(text: string): Promise<ErrorsReport> {
  return runSliced(errorsSteps(text));
}

/** Lines read between two chances to yield (see slices.ts). */
const STEP_LINES = 512;

function* errorsSteps(text: string): Steps<ErrorsReport> {
  const reader = new ErrorsReader();
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i += STEP_LINES) {
    reader.read(lines, i, Math.min(lines.length, i + STEP_LINES));
    yield;
  }
  return reader.finish();
}

/** The parse's state between lines (a class: V8 optimizes its loop far better than a generator's). */
class ErrorsReader {
  private readonly report: ErrorsReport = { capturedAt: null, total: 0, events: [], unknown: [] };
  private totalSeen = false;
  private current: ErrorEvent | null = null;

  read(lines: string[], from: number, to: number): void {
    for (let i = from; i < to; i++) this.line(lines[i]!);
  }

  finish(): ErrorsReport {
    if (this.current) finishEvent(this.current);
    if (!this.totalSeen) this.report.total = this.report.events.length;
    return this.report;
  }

  private line(line: string): void {
    const { report } = this;
    const total = TOTAL_LINE.exec(line);
    if (total && !this.totalSeen) {
      this.totalSeen = true;
      report.capturedAt = total[1]!;
      report.total = Number(total[2]);
      return;
    }
    const header = EVENT_LINE.exec(line.trim());
    if (header) {
      if (this.current) finishEvent(this.current);
      this.current = newEvent(header);
      report.events.push(this.current);
      return;
    }
    if (line.trim() === "") return;
    const current = this.current;
    if (!current) {
      report.unknown.push(line.trim());
      return;
    }
    const cap = CAPTURE_LINE.exec(line);
    if (cap) {
      const content = cap[3]!;
      const last = current.captureLines.length - 1;
      if (cap[2] === "+" && last >= 0) {
        current.captureLines[last] += content;
      } else {
        if (current.captureOffset === null) current.captureOffset = Number(cap[1]);
        current.captureLines.push(content);
      }
      return;
    }
    current.details.push(line.trim());
  }
}
