import { defineConfig } from "vitest/config";
import { sdfkitAlias } from "./vitest.shared.js";

export default defineConfig({
  resolve: { alias: sdfkitAlias },
  test: {
    environment: "node",
    include: ["packages/*/tests/**/*.slow.test.ts", "examples/*/tests/**/*.slow.test.ts", "tests/**/*.slow.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
