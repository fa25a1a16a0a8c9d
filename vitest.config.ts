import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx", "src/**/*.test.ts", "src/**/*.test.tsx"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration and e2e tests start real HAProxy processes; two workers fit the 2-core machines.
    maxWorkers: 2,
  },
});
