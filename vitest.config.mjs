// Vitest's settings: its defaults, plus CI's current-test files (.ci/current-test.mjs) when NEXTBEST_CURRENT_TESTS is set.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    setupFiles: process.env.NEXTBEST_CURRENT_TESTS ? ["./.ci/current-test.mjs"] : [],
  },
});
