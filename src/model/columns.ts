/**
 * The `show stat` columns the monitor reads: the snapshot's grouping (`pxname`, `svname`, `type`,
 * `status`, ids), the counters behind the rates, and what the views, details and actions show.
 * The poller parses only these (column-selective parsing, src/parse/statBody.ts): ~48 of the 74
 * columns of 2.6 and of the 141 of 3.2, so rows are smaller (RSS at 50k servers) and a poll
 * allocates far less (the garbage collector was the largest cost of a tick, docs/benchmarks.md).
 * Batch mode (`--once --json`) still parses every column.
 *
 * test/unit/model/columns.test.ts scans the sources for every string literal that names a
 * `show stat` column and fails when one is missing here: a new column read in a view must be added.
 */
export const MONITOR_STAT_COLUMNS: ReadonlySet<string> = new Set([
  // grouping and identity (src/model/snapshot.ts, src/store/adaptive.ts)
  "pxname",
  "svname",
  "type",
  "status",
  "iid",
  "sid",
  "pid",
  // sessions, queue, limits
  "scur",
  "smax",
  "slim",
  "stot",
  "qcur",
  "qmax",
  "qlimit",
  "rate",
  "rate_max",
  "req_rate",
  "req_tot",
  "lbtot",
  // bytes, HTTP responses, errors, denials, retries (rates: src/model/rates.ts)
  "bin",
  "bout",
  "hrsp_2xx",
  "hrsp_3xx",
  "hrsp_4xx",
  "hrsp_5xx",
  "ereq",
  "econ",
  "eresp",
  "dreq",
  "dresp",
  "wretr",
  "wredis",
  "cli_abrt",
  "srv_abrt",
  // servers: weight, role, checks, state times, response times
  "weight",
  "act",
  "bck",
  "check_status",
  "check_duration",
  "agent_status",
  "chkfail",
  "chkdown",
  "lastchg",
  "downtime",
  "rtime",
  "ttime",
  "proto",
  // named in sources for other reasons (test/unit/model/columns.test.ts keeps them: harmless)
  "mode",
]);
