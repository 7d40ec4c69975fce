import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "model/index": "src/model/index.ts" },
  external: ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  shims: true,
});
