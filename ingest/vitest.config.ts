import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The same real Postgres (embedded, one per run, a migrated template cloned per file) as the router's tests.
    globalSetup: ["../router/test/support/global-setup.ts"],
    // chdb binds one data directory per process: each test file gets a process of its own.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
