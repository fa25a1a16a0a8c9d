import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";

/** What a running HAProxy's command line says (HAProxy 2.x option syntax). */
export interface HaproxyArgs {
  argv: string[];
  /** `-f` values and the files after `--`, as written (maybe relative to the process's cwd). */
  configFiles: string[];
  /** `-p`. */
  pidfile: string | null;
  /** The address part of each `-S` (before the first comma), as written. */
  masterSockets: string[];
  /** `-W` or `-Ws`. */
  masterWorker: boolean;
  /** `-D`. */
  daemon: boolean;
  /** `-x`. */
  exposeSocket: string | null;
  /** `-sf`/`-st` pids. */
  oldPids: number[];
  /** Options that change how the configuration is read, kept for `-c` and the new process: `-C dir`, `-L name`. */
  passthrough: string[];
}

/** HAProxy options followed by a value. */
const WITH_VALUE = new Set(["-f", "-p", "-S", "-x", "-C", "-L", "-n", "-m", "-N", "-cc"]);

/** Parses a HAProxy argv (argv[0] included). */
export function parseHaproxyArgs(argv: readonly string[]): HaproxyArgs {
  const out: HaproxyArgs = {
    argv: [...argv],
    configFiles: [],
    pidfile: null,
    masterSockets: [],
    masterWorker: false,
    daemon: false,
    exposeSocket: null,
    oldPids: [],
    passthrough: [],
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      out.configFiles.push(...argv.slice(i + 1));
      break;
    }
    if (a === "-sf" || a === "-st") {
      while (i + 1 < argv.length && /^\d+$/.test(argv[i + 1]!)) out.oldPids.push(Number(argv[++i]));
      continue;
    }
    if (WITH_VALUE.has(a)) {
      const v = argv[i + 1];
      if (v === undefined) break;
      i++;
      if (a === "-f") out.configFiles.push(v);
      else if (a === "-p") out.pidfile = v;
      else if (a === "-S") out.masterSockets.push(v.split(",")[0]!);
      else if (a === "-x") out.exposeSocket = v;
      else if (a === "-C" || a === "-L") out.passthrough.push(a, v);
      continue;
    }
    if (a === "-W" || a === "-Ws") out.masterWorker = true;
    else if (a === "-D") out.daemon = true;
  }
  return out;
}

/** A process as seen in /proc. */
export interface ProcessInfo {
  pid: number;
  ppid: number | null;
  /** One-letter state from /proc/<pid>/stat (Z = zombie). */
  state: string;
  argv: string[];
  /** /proc/<pid>/exe, without a " (deleted)" suffix; null when unreadable. */
  exe: string | null;
  /** /proc/<pid>/cwd; null when unreadable. */
  cwd: string | null;
}

/** Reads /proc/<pid>; null when the process is not visible (gone, another pid namespace, no /proc). */
export function readProcess(pid: number, procRoot = "/proc"): ProcessInfo | null {
  const dir = join(procRoot, String(pid));
  let argv: string[];
  try {
    argv = readFileSync(join(dir, "cmdline"), "latin1").split("\0");
  } catch {
    return null;
  }
  if (argv.at(-1) === "") argv.pop();
  let ppid: number | null = null;
  let state = "?";
  try {
    // "pid (comm) S ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const stat = readFileSync(join(dir, "stat"), "latin1");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    state = rest[0] ?? "?";
    ppid = Number(rest[1]) || null;
  } catch {
    /* no stat: keep unknowns */
  }
  const link = (name: string): string | null => {
    try {
      return readlinkSync(join(dir, name)).replace(/ \(deleted\)$/, "");
    } catch {
      return null;
    }
  };
  return { pid, ppid, state, argv, exe: link("exe"), cwd: link("cwd") };
}

/** True when the process looks like HAProxy (by its executable or argv[0]). */
export function looksLikeHaproxy(p: ProcessInfo): boolean {
  return /haproxy/i.test(basename(p.exe ?? "")) || /haproxy/i.test(basename(p.argv[0] ?? ""));
}

/** True while `pid` exists and is not a zombie (an exited child its parent has not reaped yet). */
export function isRunning(pid: number, procRoot = "/proc"): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const p = readProcess(pid, procRoot);
  // Without /proc (not Linux) the signal test is all there is.
  if (p === null) return !existsSync(join(procRoot, "self"));
  return p.state !== "Z" && p.state !== "X";
}

/** Resolves `path` against a process's cwd when relative. */
export function resolveFrom(cwd: string | null, path: string): string {
  return isAbsolute(path) || cwd === null ? path : resolve(cwd, path);
}

/** The configuration files HAProxy reads for `paths`: files as is, directories as their `*.cfg` sorted. */
export function expandConfigPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      /* missing: kept, haproxy -c reports it */
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    try {
      for (const name of readdirSync(p).sort()) if (name.endsWith(".cfg")) out.push(join(p, name));
    } catch {
      /* unreadable directory */
    }
  }
  return out;
}

/** What haptop needs to know from the configuration's global section. */
export interface ConfigFacts {
  /** `stats socket` addresses (as written, `unix@` removed), in order. */
  statsSockets: string[];
  /** UNIX stats sockets carrying `expose-fd listeners` (usable with `-x`). */
  exposeFdSockets: string[];
  /** `pidfile` in global. */
  pidfile: string | null;
  /** `master-worker` in global. */
  masterWorker: boolean;
}

const SECTIONS =
  /^(global|defaults|frontend|backend|listen|peers|resolvers|userlist|program|mailers|http-errors|ring|cache|crt-store|traces|log-forward|fcgi-app|dynamic-update)(\s|$)/;

/** Removes an unquoted `#` comment. */
function stripComment(line: string): string {
  let q: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (q) {
      if (c === q) q = null;
    } else if (c === '"' || c === "'") q = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

/** Scans configuration texts for the facts above (global section only). */
export function scanConfig(texts: readonly string[]): ConfigFacts {
  const facts: ConfigFacts = { statsSockets: [], exposeFdSockets: [], pidfile: null, masterWorker: false };
  for (const text of texts) {
    let section = "";
    for (const raw of text.split(/\r?\n/)) {
      const line = stripComment(raw).trim();
      if (line === "") continue;
      const sec = SECTIONS.exec(line);
      if (sec) {
        section = sec[1]!;
        continue;
      }
      if (section !== "global") continue;
      const words = line.split(/\s+/).map((w) => w.replace(/^(["'])(.*)\1$/, "$2"));
      if (words[0] === "stats" && words[1] === "socket" && words[2]) {
        const addr = words[2].replace(/^unix@/, "");
        facts.statsSockets.push(addr);
        const isUnix = !/^(ipv4@|ipv6@|abns@|fd@|sockpair@)/.test(addr) && !/^[^/]*:\d+$/.test(addr);
        const hasExpose = words.some((w, i) => w === "expose-fd" && words[i + 1] === "listeners");
        if (hasExpose && isUnix) facts.exposeFdSockets.push(addr);
      } else if (words[0] === "pidfile" && words[1]) facts.pidfile = words[1];
      else if (words[0] === "master-worker") facts.masterWorker = true;
    }
  }
  return facts;
}
