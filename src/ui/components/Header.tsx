import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { num, str } from "../../model/snapshot.js";
import type { MonitorState, RateSample } from "../../store/state.js";
import { compact, duration } from "../../text/format.js";
import { sanitize } from "../../text/sanitize.js";
import type { Tone } from "../table/types.js";
import { gauge } from "./gauge.js";
import { sparkline } from "./sparkline.js";
import { toneStyle } from "./tone.js";

/** Lines the header always takes. */
export const HEADER_HEIGHT = 4;

/** How long the "reloaded: pid A → B" note stays. */
export const PID_CHANGE_NOTE_MS = 60_000;

export interface HeaderProps {
  state: MonitorState;
  width: number;
  color: boolean;
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

function identityLine(state: MonitorState, color: boolean): ReactNode[] {
  const brand = (
    <Text key="brand" bold {...toneStyle("accent", color)}>
      haptop
    </Text>
  );
  const target = sanitize(state.target);
  const snap = state.snapshot;
  if (snap === null) return spaced([brand, `connecting to ${target}…`]);
  const info = snap.info;
  const version = str(info, "Version");
  const pid = num(info, "Pid");
  const node = str(info, "node");
  const uptimeSec = num(info, "Uptime_sec");
  const uptime = uptimeSec !== null ? duration(uptimeSec) : str(info, "Uptime");
  const level = state.level ?? snap.level;
  return spaced([
    brand,
    version && `HAProxy ${sanitize(version)}`,
    pid !== null && `pid ${pid}`,
    node && `node ${sanitize(node)}`,
    uptime && `up ${sanitize(uptime)}`,
    `${target}${level ? ` [${level}]` : ""}`,
  ]);
}

function loadLine(state: MonitorState, width: number, color: boolean): ReactNode[] {
  const info = state.snapshot?.info;
  if (!info) return [];
  const g = gauge(num(info, "CurrConns"), num(info, "Maxconn"), clamp(Math.floor(width / 4), 4, 30));
  const idle = num(info, "Idle_pct");
  return spaced([
    <Text key="conns">
      {"conns "}
      <Text {...toneStyle(g.tone, color)}>{g.bar}</Text> {g.label}
    </Text>,
    `idle ${idle === null ? "-" : `${idle}%`}`,
    `runq ${compact(num(info, "Run_queue"))}`,
    `tasks ${compact(num(info, "Tasks"))}`,
  ]);
}

const RATES: { field: keyof Omit<RateSample, "at">; label: string; info: string }[] = [
  { field: "connPerSec", label: "conn/s", info: "ConnRate" },
  { field: "sessPerSec", label: "sess/s", info: "SessRate" },
  { field: "reqPerSec", label: "req/s", info: "ReqRate" },
];

function rateLine(state: MonitorState, width: number, color: boolean): ReactNode[] {
  if (state.snapshot === null && state.history.length === 0) return [];
  // Each of the three parts: label, blank, sparkline, blank, value (~6), two blanks.
  const sparkWidth = clamp(Math.floor((width - 3 * 16) / 3), 4, 40);
  const last = state.history[state.history.length - 1];
  return spaced(
    RATES.map(({ field, label, info }) => {
      const current = last ? last[field] : state.snapshot ? num(state.snapshot.info, info) : null;
      const spark = sparkline(
        state.history.map((s) => s[field]),
        sparkWidth,
      );
      return (
        <Text key={field}>
          {`${label} `}
          <Text {...toneStyle("accent", color)}>{spark}</Text>
          {` ${compact(current)}`}
        </Text>
      );
    }),
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
    (readOnly || level === "user") && <Badge key="ro" text="READ-ONLY" tone="accent" color={color} />,
    state.link !== "ok" && (error || retry) && (
      <Text key="error" {...toneStyle(state.link === "disconnected" ? "bad" : "warn", color)}>
        {/* The countdown first: a long error is cut at the screen's edge, the countdown must not be. */}
        {[retry, error].filter(Boolean).join(" · ")}
      </Text>
    ),
    showPid && (
      <Text key="pid" {...toneStyle("warn", color)}>
        {`reloaded: pid ${pid.from} → ${pid.to}`}
      </Text>
    ),
  ]);
}

/** The four summary lines at the top: identity, load, rates with sparklines, and link status. */
export function Header({ state, width, color, now, readOnly }: HeaderProps) {
  if (width <= 0) return null;
  const lines = [
    identityLine(state, color),
    loadLine(state, width, color),
    rateLine(state, width, color),
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
