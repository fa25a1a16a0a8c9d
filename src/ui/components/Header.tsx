import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { num, str } from "../../model/snapshot.js";
import type { MonitorState } from "../../store/state.js";
import { compact, duration } from "../../text/format.js";
import { sanitize } from "../../text/sanitize.js";
import type { Tone } from "../table/types.js";
import { useColor, useLayout } from "../theme.js";
import { pctText } from "../views/cells.js";
import { gauge } from "./gauge.js";
import { fitParts, GAP, lineWidth, type Part } from "./headerParts.js";
import { sparkline } from "./sparkline.js";
import { toneStyle } from "./tone.js";

/** Lines the header always takes. */
export const HEADER_HEIGHT = 4;

/** How long the "reloaded: pid A → B" note stays. */
export const PID_CHANGE_NOTE_MS = 60_000;

export interface HeaderProps {
  state: MonitorState;
  /** The screen's width (from context) unless given. */
  width?: number;
  /** The theme's (from context) unless given. */
  color?: boolean;
  /** ms epoch, passed in so the header stays pure. */
  now: number;
  readOnly: boolean;
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** "0.4s" below ten seconds, then "1m15s". */
export function age(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return s < 10 ? `${s.toFixed(1)}s` : duration(s);
}

function Line({ children }: { children: ReactNode }) {
  return <Text wrap="truncate">{children}</Text>;
}

function Badge({ text, tone, color }: { text: string; tone: Tone; color: boolean }) {
  return (
    <Text inverse bold {...toneStyle(tone, color)}>
      {` ${text} `}
    </Text>
  );
}

/** Joins parts with two blanks, skipping the empty ones. */
function spaced(parts: (ReactNode | null | false)[]): ReactNode[] {
  const out: ReactNode[] = [];
  for (const p of parts) {
    if (p === null || p === false || p === "") continue;
    if (out.length > 0) out.push("  ");
    out.push(p);
  }
  return out;
}

/** Renders fitted parts as Ink text, two blanks apart. */
function renderParts(parts: Part[], color: boolean): ReactNode[] {
  const out: ReactNode[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(" ".repeat(GAP));
    out.push(
      <Text key={p.key}>
        {p.segments.map((seg, j) => (
          <Text
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of a part have no identity but their place.
            key={j}
            bold={seg.bold}
            inverse={seg.inverse}
            {...(seg.tone ? toneStyle(seg.tone, color) : {})}
          >
            {seg.text}
          </Text>
        ))}
      </Text>,
    );
  });
  return out;
}

const part = (key: string, priority: number, text: string, tone?: Tone): Part => ({
  key,
  priority,
  segments: [{ text, tone }],
});

/**
 * haptop, version, pid, node, uptime (and boot time), target and level. The target and its level
 * stay: the target is cut in its middle before the level is lost ("/run/hap…admin.sock [admin]").
 */
export function identityParts(state: MonitorState): Part[] {
  const brand: Part = {
    key: "brand",
    priority: 0,
    segments: [{ text: "haptop", bold: true, tone: "accent" }],
  };
  const target = sanitize(state.target);
  const snap = state.snapshot;
  if (snap === null)
    return [
      brand,
      { key: "target", priority: 0, segments: [{ text: `connecting to ${target}…` }], shrink: 0 },
    ];
  const info = snap.info;
  const version = str(info, "Version");
  const pid = num(info, "Pid");
  const node = str(info, "node");
  const uptimeSec = num(info, "Uptime_sec");
  const uptime = uptimeSec !== null ? duration(uptimeSec) : str(info, "Uptime");
  const boot = num(info, "BootTime_ms");
  const level = state.level ?? snap.level;
  const parts: Part[] = [brand];
  if (version) parts.push(part("version", 2, `HAProxy ${sanitize(version)}`));
  if (pid !== null) parts.push(part("pid", 1, `pid ${pid}`));
  if (node) parts.push(part("node", 4, `node ${sanitize(node)}`));
  if (uptime) parts.push(part("uptime", 3, `up ${sanitize(uptime)}`));
  // 2.8+: how long the last start took (a slow boot: big maps, DNS at startup).
  if (boot !== null) parts.push(part("boot", 5, `boot ${boot}ms`));
  parts.push({
    key: "target",
    priority: 0,
    segments: [{ text: target }, ...(level ? [{ text: ` [${level}]` }] : [])],
    shrink: 0,
  });
  return parts;
}

/**
 * The process: CurrConns/Maxconn gauge (a real limit: red when reached), how many times Maxconn
 * was reached (2.8+), idle, run queue, tasks, streams (2.8+) and startup warnings (2.8+). Fields
 * a release lacks are not shown.
 */
export function loadParts(state: MonitorState, width: number): Part[] {
  const info = state.snapshot?.info;
  if (!info) return [];
  const g = gauge(num(info, "CurrConns"), num(info, "Maxconn"), clamp(Math.floor(width / 5), 4, 30));
  const parts: Part[] = [
    {
      key: "conns",
      priority: 0,
      segments: [{ text: "conns " }, { text: g.bar, tone: g.tone }, { text: ` ${g.label}` }],
    },
  ];
  const reached = num(info, "MaxconnReached");
  if (reached !== null)
    parts.push(
      reached > 0
        ? part("maxconn", 0, `maxconn reached ${compact(reached)}×`, "bad")
        : part("maxconn", 7, "maxconn reached 0×"),
    );
  const idle = num(info, "Idle_pct");
  parts.push(
    part(
      "idle",
      1,
      `idle ${idle === null ? "-" : `${idle}%`}`,
      idle !== null && idle < 10 ? "warn" : undefined,
    ),
  );
  parts.push(part("runq", 3, `runq ${compact(num(info, "Run_queue"))}`));
  parts.push(part("tasks", 5, `tasks ${compact(num(info, "Tasks"))}`));
  const streams = num(info, "CurrStreams");
  if (streams !== null) parts.push(part("streams", 4, `streams ${compact(streams)}`));
  const warnings = num(info, "TotalWarnings");
  if (warnings !== null)
    parts.push(
      part(
        "warnings",
        warnings > 0 ? 2 : 6,
        `warnings ${compact(warnings)}`,
        warnings > 0 ? "warn" : undefined,
      ),
    );
  return parts;
}

type SampleField = "connPerSec" | "sessPerSec" | "reqPerSec" | "http5xxPerSec";

// The error rate first; req/s last, where the eye finds "how much traffic" at the line's end.
const RATES: { field: SampleField; label: string; priority: number }[] = [
  { field: "http5xxPerSec", label: "5xx/s", priority: 0 },
  { field: "connPerSec", label: "conn/s", priority: 2 },
  { field: "sessPerSec", label: "sess/s", priority: 3 },
  { field: "reqPerSec", label: "req/s", priority: 1 },
];

/** Sparklines get at least this many cells; fewer and a part is dropped instead. */
const MIN_SPARK = 6;
const MAX_SPARK = 40;

/**
 * HAProxy's own conn/s, sess/s, req/s (show info's ConnRate, SessRate, the frontends' req_rate: haptop's CLI
 * connections are not in them) and the global error rate: 5xx per second answered by the
 * frontends with its share of requests, each with a sparkline; then request, connection and
 * response errors per second. On a narrow screen sess/s goes first, then conn/s: 5xx/s stays.
 */
export function rateParts(state: MonitorState, width: number): Part[] {
  if (state.snapshot === null && state.history.length === 0) return [];
  const last = state.history[state.history.length - 1];
  const value = (f: SampleField) => (last ? (last[f] ?? null) : null);
  const err = last?.errPerSec ?? null;
  const pct = last?.http5xxPct ?? null;
  const build = (spark: number): Part[] => {
    const parts: Part[] = RATES.map(({ field, label, priority }) => {
      const v = value(field);
      const bad = field === "http5xxPerSec" && v !== null && v > 0;
      const line = sparkline(
        state.history.map((s) => s[field] ?? null),
        spark,
      );
      return {
        key: field,
        priority,
        segments: [
          { text: `${label} ` },
          { text: line, tone: bad ? "bad" : "accent" },
          { text: ` ${compact(v)}`, tone: bad ? "bad" : undefined },
          ...(field === "http5xxPerSec" && pct !== null
            ? [{ text: ` ${pctText(pct)}`, tone: bad ? ("bad" as Tone) : undefined }]
            : []),
        ],
      };
    });
    parts.splice(1, 0, part("err", 2, `err/s ${compact(err)}`, err !== null && err > 0 ? "bad" : undefined));
    return parts;
  };
  // The widest sparklines with which the most parts fit.
  const shown = fitParts(build(MIN_SPARK), width);
  const sparks = shown.filter((p) => RATES.some((r) => r.field === p.key)).length;
  const room = width - (lineWidth(shown) - sparks * MIN_SPARK);
  const spark = sparks > 0 ? clamp(Math.floor(room / sparks), MIN_SPARK, MAX_SPARK) : MIN_SPARK;
  const keys = new Set(shown.map((p) => p.key));
  return fitParts(
    build(spark).filter((p) => keys.has(p.key)),
    width,
  );
}

function statusLine(state: MonitorState, color: boolean, now: number, readOnly: boolean): ReactNode[] {
  const level = state.level ?? state.snapshot?.level ?? null;
  const error = state.error ? sanitize(state.error) : null;
  let retry: string | null = null;
  if (state.retryAt !== null) {
    const secs = Math.ceil((state.retryAt - now) / 1000);
    retry = secs > 0 ? `retry in ${secs}s` : "retrying…";
  }
  const pid = state.pidChange;
  const showPid = pid !== null && now - pid.at < PID_CHANGE_NOTE_MS;
  // Badges first: a long error must not push them off a narrow line.
  return spaced([
    state.lastOkAt !== null ? `updated ${age(now - state.lastOkAt)} ago` : "no data yet",
    state.paused && <Badge key="paused" text="PAUSED" tone="warn" color={color} />,
    state.link === "stale" && <Badge key="stale" text="STALE" tone="warn" color={color} />,
    state.link === "disconnected" && <Badge key="down" text="DISCONNECTED" tone="bad" color={color} />,
    // Watching one worker through the master CLI (process view): not the command line's target.
    state.via != null && (
      <Badge key="via" text={`VIA MASTER @!${state.via.pid}`} tone="accent" color={color} />
    ),
    (readOnly || level === "user") && <Badge key="ro" text="READ-ONLY" tone="accent" color={color} />,
    state.link !== "ok" && (error || retry) && (
      <Text key="error" {...toneStyle(state.link === "disconnected" ? "bad" : "warn", color)}>
        {/* The countdown first: a long error is cut at the screen's edge, the countdown must not be. */}
        {[retry, error].filter(Boolean).join(" · ")}
      </Text>
    ),
    showPid && (
      <Text key="pid" {...toneStyle("warn", color)}>
        {`${pid.kind === "restart" ? "restarted" : "reloaded"}: pid ${pid.from} → ${pid.to}`}
      </Text>
    ),
  ]);
}

/** The four summary lines at the top: identity, load, rates with sparklines, and link status. */
export function Header({ state, width: widthProp, color: colorProp, now, readOnly }: HeaderProps) {
  const color = useColor(colorProp);
  const layout = useLayout();
  const width = widthProp ?? layout.width;
  if (width <= 0) return null;
  const lines = [
    renderParts(fitParts(identityParts(state), width), color),
    renderParts(fitParts(loadParts(state, width), width), color),
    renderParts(rateParts(state, width), color),
    statusLine(state, color, now, readOnly),
  ];
  return (
    <Box flexDirection="column" width={width} height={HEADER_HEIGHT} overflow="hidden">
      {lines.map((parts, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the four lines are fixed.
        <Line key={i}>{parts.length > 0 ? parts : " "}</Line>
      ))}
    </Box>
  );
}
