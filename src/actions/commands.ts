import { isProxyId } from "../store/poll.js";
import type { ActionName } from "./level.js";
import {
  checkProxyName,
  checkServerName,
  checkSessionId,
  InvalidNameError,
  parseWeight,
  serverRef,
  weightArg,
} from "./names.js";

/**
 * Every Runtime API command haptop sends, built in one place from typed arguments (names checked
 * here, once). The dialog shows `commands`; running the plan sends exactly `commands`, then the
 * read-only `verify` commands that read the result back (and `before`, read first, for a diff).
 * Pure: no I/O, so what the user confirms is what is sent, by construction.
 */
export type ServerState = "ready" | "drain" | "maint";
export const SERVER_STATES: readonly ServerState[] = ["ready", "drain", "maint"];

export type CommandSpec =
  | { kind: "clear-counters"; all: boolean }
  /**
   * `backendId`: the backend's numeric id (`iid`), to read the server back by id (null: unknown,
   * nothing is read back). Never by name: a frontend of the same name, or a digits-only name
   * that is another proxy's id, would be dumped instead (see statCommands in store/poll.ts).
   */
  | {
      kind: "set-server-state";
      backend: string;
      backendId: number | null;
      server: string;
      state: ServerState;
    }
  /** An absolute weight 0–256 or `N%` of the initial weight (relative changes are resolved before). */
  | { kind: "set-weight"; backend: string; server: string; weight: number | string }
  | { kind: "shutdown-session"; id: string }
  | { kind: "shutdown-sessions-server"; backend: string; server: string };

export interface BuiltCommand {
  action: ActionName;
  /** The changing command lines, in order: what the dialog shows. */
  commands: string[];
  /** Read-only commands sent after, in the same request, to read the result back. */
  verify: string[];
  /** Read-only commands sent first, in the same request (a before/after comparison). */
  before: string[];
}

const STAT_PROXIES = "show stat -1 3 -1";

/** Builds one action's commands; throws InvalidNameError on a bad name, state or weight. */
export function buildCommand(spec: CommandSpec): BuiltCommand {
  switch (spec.kind) {
    case "clear-counters": {
      const cmd = spec.all ? "clear counters all" : "clear counters";
      return {
        action: spec.all ? "clear-counters-all" : "clear-counters",
        commands: [cmd],
        before: [STAT_PROXIES],
        verify: [STAT_PROXIES],
      };
    }
    case "set-server-state": {
      if (!SERVER_STATES.includes(spec.state))
        throw new InvalidNameError("server", String(spec.state), "state must be ready, drain or maint");
      const ref = serverRef(spec.backend, spec.server);
      return {
        action: "set-server-state",
        commands: [`set server ${ref} state ${spec.state}`],
        before: [],
        verify: isProxyId(spec.backendId) ? [`show stat +${spec.backendId} 4 -1`] : [],
      };
    }
    case "set-weight": {
      const ref = serverRef(spec.backend, spec.server);
      const w = parseWeight(spec.weight);
      if (w.kind === "relative")
        throw new InvalidNameError("weight", String(spec.weight), "resolve a relative weight first");
      return {
        action: "set-weight",
        commands: [`set weight ${ref} ${weightArg(w)}`],
        before: [],
        verify: [`get weight ${ref}`],
      };
    }
    case "shutdown-session":
      return {
        action: "shutdown-session",
        commands: [`shutdown session ${checkSessionId(spec.id)}`],
        before: [],
        verify: [],
      };
    case "shutdown-sessions-server":
      return {
        action: "shutdown-sessions-server",
        commands: [`shutdown sessions server ${serverRef(spec.backend, spec.server)}`],
        before: [],
        verify: [],
      };
  }
}

/** The same server change in several backends: one build per backend, all names checked first. */
export function buildInBackends(
  backends: readonly string[],
  server: string,
  make: (backend: string) => CommandSpec,
): BuiltCommand[] {
  if (backends.length === 0) throw new InvalidNameError("proxy", "", "no backend given");
  for (const be of backends) checkProxyName(be);
  checkServerName(server);
  return backends.map((be) => buildCommand(make(be)));
}
