import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx", "src/**/*.test.ts", "src/**/*.test.tsx"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration and e2e tests start real HAProxy processes; two workers fit the 2-core machines.
    // Inside a file, the suites of the HAProxy version matrix run concurrently (test/helpers/matrix.ts).
    maxWorkers: 2,
    // Resolves and prints the HAProxy releases under test (HAPTOP_TEST_HAPROXY, ../shared/haproxy).
    globalSetup: ["test/helpers/global-setup.ts"],
  },
});
