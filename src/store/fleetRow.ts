import { emptyFleetRow, type FleetRow } from "../model/fleet.js";
import { num, str } from "../model/snapshot.js";
import type { MonitorState } from "./state.js";

/**
 * A socket target's row of the fleet overview, from its poller's state: the last data stays while
 * the target is unreachable (with the error), like the single-target header does.
 */
export function fleetRowOf(name: string, s: MonitorState): FleetRow {
  const row = emptyFleetRow(`t/${name}`, name, "socket");
  row.reachable = s.link === "connecting" ? null : s.link === "ok";
  row.error = s.link === "ok" ? null : s.error;
  row.lastOkAt = s.lastOkAt;
  row.changedAt = s.pidChange?.at ?? null;
  const snap = s.snapshot;
  if (!snap) return row;
  const info = snap.info;
  row.version = str(info, "Version") || null;
  row.uptimeSec = num(info, "Uptime_sec");
  row.pid = num(info, "Pid");
  row.curConns = num(info, "CurrConns");
  row.maxConn = num(info, "Maxconn");
  const last = s.history[s.history.length - 1];
  row.reqPerSec = last?.reqPerSec ?? null;
  row.http5xxPerSec = last?.http5xxPerSec ?? null;
  row.errPerSec = last?.errPerSec ?? null;
  let down = 0;
  let maint = 0;
  let total = 0;
  for (const b of snap.backends)
    for (const sv of b.servers) {
      total++;
      if (sv.admin === "MAINT") maint++;
      else if (sv.op === "DOWN") down++;
    }
  row.serversDown = down;
  row.serversMaint = maint;
  row.serversTotal = total;
  return row;
}
