import { defineConfig } from "vitest/config";
import { sdfkitAlias } from "./vitest.shared.js";

export default defineConfig({
  resolve: { alias: sdfkitAlias },
  test: {
    environment: "node",
    include: ["packages/*/tests/**/*.test.ts", "examples/*/tests/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/*.slow.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
