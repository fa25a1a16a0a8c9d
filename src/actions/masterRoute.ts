import { existsSync } from "node:fs";
import { ReplyError } from "../client/errors.js";
import { describeTarget, parseTarget, type Target, TargetSyntaxError } from "../client/target.js";
import type { ExtraQuery } from "../store/extras.js";
import { type Demand, fetchExtra, type PollOptions, type PollResult, pollOnce } from "../store/poll.js";
import { looksLikeHaproxy, parseHaproxyArgs, readProcess, resolveFrom } from "./procinfo.js";
import { showRunning } from "./reload/probe.js";
import { DEBIAN_MASTER_SOCKET } from "./reload/types.js";

/** How the master CLI is found (the reload's rules, src/actions/reload/plan.ts `findMasterSocket`). */
export interface MasterRouteOptions {
  /** `--master-socket`: used as given, never searched for. */
  masterSocket?: string;
  timeoutMs: number;
  procRoot?: string;
  /** Debian's `/run/haproxy-master.sock` unless a test gives another. */
  defaultMasterSocket?: string;
}

/** Where the master CLI is, and how haptop knows ("--master-socket", "-S of pid 12"). */
export interface FoundMaster {
  target: Target;
  how: string;
}

/**
 * Where polls go: the target given on the command line ("home"), or one worker of a master-worker
 * HAProxy through its master CLI (`@!<pid>`), chosen at runtime in the process view. Also finds
 * and queries the master CLI itself (`show proc`) for the process view.
 */
export class MasterRoute {
  private found: FoundMaster | null = null;
  private watched: number | null = null;

  constructor(
    readonly home: Target,
    private readonly opts: MasterRouteOptions,
  ) {}

  /** The target polls and the view's queries go to now. */
  current(): Target {
    return this.watched !== null && this.found
      ? { kind: "worker", master: this.found.target, pid: this.watched }
      : this.home;
  }

  /** The watched worker's pid, or null for the home target. */
  get watchedPid(): number | null {
    return this.watched;
  }

  /** The master CLI last found, or null when none was found yet. */
  get master(): FoundMaster | null {
    return this.found;
  }

  /**
   * Points polls at worker `pid` through the master CLI found by the last `show proc` (the pid
   * comes from that reply), or back home (null). Returns the new target, or an error when no master
   * CLI is known.
   */
  watch(pid: number | null): { target: Target } | { error: string } {
    if (pid === null) {
      this.watched = null;
      return { target: this.home };
    }
    if (!Number.isSafeInteger(pid) || pid <= 0) return { error: `not a process id: ${pid}` };
    if (!this.found)
      return { error: "no master CLI known: open the process view (9) first, or pass --master-socket" };
    this.watched = pid;
    return { target: this.current() };
  }

  /**
   * The master CLI: `--master-socket`, else (home on a local UNIX socket) the `-S` of the master
   * (the parent of the process that answers on the home target, read in /proc), else Debian's
   * default path when it exists.
   */
  async findMaster(): Promise<FoundMaster> {
    if (this.found) return this.found;
    const o = this.opts;
    if (o.masterSocket) {
      try {
        this.found = { target: parseTarget(o.masterSocket), how: "--master-socket" };
        return this.found;
      } catch (e) {
        if (e instanceof TargetSyntaxError) throw new ReplyError(`--master-socket: ${e.message}`);
        throw e;
      }
    }
    // Only beside a local UNIX socket is /proc about the same machine (a TCP or SSH target may be
    // another host, where a pid or a default path here would name some other HAProxy).
    const local = this.home.kind === "unix";
    const fromProc = local ? await this.fromParent().catch(() => null) : null;
    if (fromProc) {
      this.found = fromProc;
      return fromProc;
    }
    const path = o.defaultMasterSocket ?? DEBIAN_MASTER_SOCKET;
    if (local && existsSync(path)) {
      this.found = { target: { kind: "unix", path }, how: "default path" };
      return this.found;
    }
    throw new ReplyError(
      local
        ? "no master CLI found (not master-worker, or started without -S): pass --master-socket <path>"
        : "no master CLI known for a remote target: pass --master-socket <address>",
    );
  }

  /** The `-S` of the HAProxy parent of the process answering on the home target, if visible here. */
  private async fromParent(): Promise<FoundMaster | null> {
    const procRoot = this.opts.procRoot ?? "/proc";
    const running = await showRunning(this.home, this.opts.timeoutMs);
    const worker = readProcess(running.pid, procRoot);
    if (!worker?.ppid || worker.ppid <= 1) return null;
    const parent = readProcess(worker.ppid, procRoot);
    if (!parent || !looksLikeHaproxy(parent)) return null;
    const spec = parseHaproxyArgs(parent.argv).masterSockets[0];
    if (!spec) return null;
    let target = parseTarget(spec);
    if (target.kind === "unix") target = { kind: "unix", path: resolveFrom(parent.cwd, target.path) };
    return { target, how: `-S of the master pid ${parent.pid}` };
  }

  /** One extra query sent to the master CLI; a master that stops answering is searched for again. */
  async fetchMaster(query: ExtraQuery): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
    let master: FoundMaster;
    try {
      master = await this.findMaster();
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    const out = await fetchExtra(master.target, query, { timeoutMs: this.opts.timeoutMs, halfClose: true });
    if (!out.ok && !this.opts.masterSocket && this.watched === null) this.found = null;
    if (!out.ok) return { ok: false, error: `${describeTarget(master.target)}: ${out.error}` };
    return out;
  }

  /** One extra query, to the master CLI or to the current target as the query says. */
  fetchExtra(query: ExtraQuery): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
    if (query.to === "master") return this.fetchMaster(query);
    return fetchExtra(this.current(), query, { timeoutMs: this.opts.timeoutMs });
  }

  /**
   * One poll of the current target. Through the master, the process that answered must be the one
   * asked for: its `show info` Pid is checked.
   */
  async poll(demand: Demand, withLevel: boolean, opts: PollOptions): Promise<PollResult> {
    const target = this.current();
    const result = await pollOnce(target, demand, withLevel, opts);
    if (target.kind === "worker") {
      const pid = result.snapshot.info.Pid;
      if (pid !== target.pid)
        throw new ReplyError(
          `${describeTarget(target)}: the master relayed to pid ${String(pid)}, not ${target.pid}`,
        );
    }
    return result;
  }
}

/**
 * The poller's I/O through a route (spread into PollerOptions): polls and view queries go to the
 * route's current target, `show proc` to the master CLI, and `retarget` moves the route.
 */
export function routedPolling(route: MasterRoute, pollOpts: PollOptions) {
  return {
    fetch: (demand: Demand, withLevel: boolean) => route.poll(demand, withLevel, pollOpts),
    fetchExtra: (query: ExtraQuery) => route.fetchExtra(query),
    retarget: (pid: number | null) => {
      const out = route.watch(pid);
      if ("error" in out) return out;
      const master = route.master;
      return {
        target: describeTarget(out.target),
        via:
          pid !== null && master
            ? { pid, master: describeTarget(master.target), home: describeTarget(route.home) }
            : null,
      };
    },
  };
}
