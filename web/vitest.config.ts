import { defineConfig } from "vitest/config";

/** Unit tests beside the code; browser tests in e2e/ start Postgres, the router and the built app themselves. */
export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "server/**/*.test.ts", "e2e/**/*.test.ts"],
    globalSetup: ["./e2e/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // Browser pages settle at the machine's pace: a busy CI box needs more than the 1 s default to see a change.
    expect: { poll: { timeout: 10_000 } },
  },
});
