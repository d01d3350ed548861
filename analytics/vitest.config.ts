import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Scenario 6 drives the real router over the same embedded Postgres the router's tests use.
    globalSetup: ["../router/test/support/global-setup.ts"],
    // chdb binds one data directory per process: each test file gets a process of its own.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
