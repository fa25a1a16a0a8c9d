/**
 * The test lab (lab/test-lab.ts) and the lab toolkit's helpers (lab/), re-exported so the test
 * files keep one import.
 */
export { freePort, freePorts, isAlive, killPid, readPids, sleep, waitFor } from "../../lab/index.js";
export {
  HaproxyLab,
  httpGets,
  killAllStarted,
  type LabOptions,
  pidsMentioning,
} from "../../lab/test-lab.js";
