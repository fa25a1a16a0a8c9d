/**
 * The HAProxy lab toolkit shared by the demo, the tests, the bench and the scripts: free ports,
 * starting a HAProxy of any release in any mode on a given config, readiness, stopping by pid,
 * zombie-aware liveness, temp dirs. Config generation stays with each lab (demo/lab.ts,
 * test/helpers/haproxy.ts, bench/haproxy.ts). Not part of the shipped product (src/).
 */
export * from "./haproxy.js";
export * from "./ports.js";
export * from "./process.js";
